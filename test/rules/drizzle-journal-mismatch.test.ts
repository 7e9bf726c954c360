import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-journal-mismatch.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const clean = loadFixture('clean');
const v1 = loadFixture('v1-layout');
const JOURNAL = 'drizzle/meta/_journal.json';

const without = (tree: Tree, ...paths: string[]): Tree => Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)));
const editJournal = (tree: Tree, edit: (j: { entries: Record<string, unknown>[] }) => void): Tree => {
  const j = JSON.parse(tree[JOURNAL]);
  edit(j);
  return { ...tree, [JOURNAL]: JSON.stringify(j, null, 2) };
};
const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });

describe('drizzle-journal-mismatch', () => {
  it('passes a PR that generated its migration normally (legacy and v1 layouts)', async () => {
    await expectPasses(rule, await input(clean.base, clean.head));
    await expectPasses(rule, await input(v1.base, v1.head));
  });

  it('fires for a SQL file the journal does not list', async () => {
    const f = loadFixture('journal-missing-entry');
    const [r] = await expectFires(rule, await input(f.base, f.head));
    expect(r).toMatchObject({ messageId: 'sql-not-in-journal', file: 'drizzle/0001_posts.sql', data: { tag: '0001_posts', journal: JOURNAL } });
    expect(r.preexisting).toBe(false);
  });

  it('does not fire for a file missing from the journal when wrangler applies the folder (it runs every file)', async () => {
    const f = loadFixture('journal-missing-entry');
    const i = await input(f.base, f.head);
    i.drizzle.folders[0].applier = 'wrangler';
    await expectPasses(rule, i);
  });

  it('fires for a journal entry whose SQL file is gone, at the entry\'s line', async () => {
    const [r] = await expectFires(rule, await input(clean.base, without(clean.head, 'drizzle/0001_posts.sql')));
    expect(r).toMatchObject({ messageId: 'entry-without-file', file: JOURNAL, line: 16, data: { tag: '0001_posts', idx: 1, expected: 'drizzle/0001_posts.sql' } });
  });

  it('does not fire for an entry whose file was renamed when wrangler applies the folder (it never reads the journal)', async () => {
    // Modelled on gxxk-dev/VOCArchive 4af6447: `0001_steady_nightmare_fixed.sql` renamed by hand, the journal kept its tag.
    const renamed = { ...without(clean.head, 'drizzle/0001_posts.sql'), 'drizzle/0001_add_posts.sql': clean.head['drizzle/0001_posts.sql'] };
    const i = await input(clean.base, renamed);
    i.drizzle.folders[0].applier = 'wrangler';
    await expectPasses(rule, i);
  });

  it('fires for an entry without its snapshot', async () => {
    const [r] = await expectFires(rule, await input(clean.base, without(clean.head, 'drizzle/meta/0001_snapshot.json')));
    expect(r).toMatchObject({ messageId: 'entry-without-snapshot', data: { expected: 'drizzle/meta/0001_snapshot.json' } });
  });

  it('fires for idx values that are not 0, 1, 2… and for a duplicated tag', async () => {
    const gap = editJournal(clean.head, (j) => void j.entries.forEach((e, i) => (e.idx = i === 0 ? 0 : i + 1)));
    const three = editJournal(gap, (j) => void j.entries.push({ ...j.entries[1], idx: 3, tag: '0002_more' }));
    const withFiles = { ...three, 'drizzle/0002_more.sql': 'SELECT 1;', 'drizzle/meta/0002_snapshot.json': clean.head['drizzle/meta/0001_snapshot.json'] };
    const reports = await expectFires(rule, await input(clean.base, withFiles));
    // Reported once, at the first entry out of step, not once per later entry.
    expect(reports.filter((r) => r.messageId === 'idx-gap')).toEqual([
      expect.objectContaining({ line: 16, data: expect.objectContaining({ tag: '0001_posts', idx: 2, expected: 1 }) }),
    ]);

    const dup = editJournal(clean.head, (j) => void j.entries.push({ ...j.entries[1], idx: 2 }));
    const dupReports = await expectFires(rule, await input(clean.base, dup));
    expect(dupReports.map((x) => x.messageId)).toEqual(['duplicate-tag']);
    expect(dupReports[0]).toMatchObject({ data: { tag: '0001_posts', count: 2 } });
  });

  it('fires for a missing or unreadable journal, naming the line of the syntax error', async () => {
    const [missing] = await expectFires(rule, await input(clean.base, without(clean.head, JOURNAL)));
    expect(missing).toMatchObject({ messageId: 'journal-missing', data: { folder: 'drizzle', count: 2 } });

    const broken = { ...clean.head, [JOURNAL]: clean.head[JOURNAL].replace('"tag": "0001_posts",', '"tag": "0001_posts"') };
    const [r] = await expectFires(rule, await input(clean.base, broken));
    expect(r).toMatchObject({ messageId: 'journal-unreadable', file: JOURNAL });
    expect(r.line).toBeGreaterThanOrEqual(16);
  });

  it('fires for a v1 migration folder without its snapshot', async () => {
    const sql = Object.keys(v1.head).find((p) => p.endsWith('_posts/migration.sql'))!;
    const [r] = await expectFires(rule, await input(v1.base, without(v1.head, sql.replace('migration.sql', 'snapshot.json'))));
    expect(r).toMatchObject({ messageId: 'folder-without-snapshot', file: sql });
  });

  it('marks a problem main already had as pre-existing', async () => {
    const f = loadFixture('journal-missing-entry');
    const head = { ...f.head, 'README.md': 'unrelated change\n' };
    const [r] = await expectFires(rule, await input(f.head, head));
    expect(r).toMatchObject({ messageId: 'sql-not-in-journal', preexisting: true });
  });

  it('treats a folder already broken on main as the same problem when the PR adds one more file (counts differ)', async () => {
    // Main's folder lost its journal (2 files); the PR adds a third migration. "3 files" on head and "2 files" on base
    // is the same problem: main's, not the PR's.
    const base = without(clean.head, JOURNAL);
    const head = { ...base, 'drizzle/0002_tags.sql': 'CREATE TABLE `tags` (`id` integer PRIMARY KEY);' };
    const [r] = await expectFires(rule, await input(base, head));
    expect(r).toMatchObject({ messageId: 'journal-missing', data: { folder: 'drizzle', count: 3 }, preexisting: true });
  });

  describe('a drizzle-kit `out` folder that wrangler applies, with hand-written SQL and no journal', () => {
    // Modelled on Workers apps whose drizzle.config.ts says `out: './migrations', driver: 'd1-http'` while
    // wrangler.toml's `migrations_dir = "migrations"` applies the same folder (several public D1 projects do this).
    const sqlOnly = (n: number): Tree =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`drizzle/000${i}_m${i}.sql`, `CREATE TABLE t${i} (id INTEGER PRIMARY KEY);`]));
    const asWrangler = async (base: Tree, head: Tree, configOnBase = true) => {
      const i = await input(base, head);
      i.drizzle.folders[0].applier = 'wrangler';
      i.drizzle.folders[0].configFile = 'drizzle.config.ts';
      (i as unknown as { baseFiles: readonly string[] }).baseFiles = configOnBase ? [...i.baseFiles, 'drizzle.config.ts'] : i.baseFiles;
      return i;
    };

    it('is not an error, and says nothing on a PR that only adds a migration', async () => {
      await expectPasses(rule, await asWrangler(sqlOnly(2), sqlOnly(3)));
    });

    it('gets a notice on the PR that points an existing drizzle config\'s `out` at the folder', async () => {
      // open-mool: packages/db/drizzle.config.ts changed `out: "./drizzle"` to `out: "../../apps/api/migrations"`.
      const i = await asWrangler(sqlOnly(2), sqlOnly(2));
      (i.touched as Set<string>).add('drizzle.config.ts');
      expect((await rule.check(i)).map((r) => r.messageId)).toEqual(['journal-missing-wrangler']);
    });

    it('gets one notice, never advising to delete migrations, on the PR that adds the drizzle config', async () => {
      const reports = await expectFires(rule, await asWrangler(sqlOnly(2), sqlOnly(2), false));
      expect(reports).toEqual([expect.objectContaining({ messageId: 'journal-missing-wrangler', severity: 'notice', preexisting: false })]);
      const fix = String((rule.meta.fix as Record<string, string>)['journal-missing-wrangler']);
      expect(fix).not.toMatch(/\bdelete\b/i);
      expect(String((rule.meta.fix as Record<string, string>)['journal-missing'])).not.toMatch(/\bdelete\b/i);
    });
  });

  describe('a folder whose meta/ is git-ignored (the journal stays on the developer\'s machine)', () => {
    // Modelled on mybai0514/dongdong-front-end: drizzle.config.ts `out: './db/migrations'`, `.gitignore` has
    // `db/migrations/meta/` under "# Drizzle meta (optional)", and no wrangler `migrations_dir` names the folder.
    const gitignore = 'node_modules/\n.next/\n\n# Drizzle meta (optional)\ndrizzle/meta/\n';
    const config = "export default { schema: './src/db/schema.ts', out: './drizzle', dialect: 'sqlite', driver: 'd1-http' };\n";
    const sql = (n: number): Tree => Object.fromEntries(Array.from({ length: n }, (_, i) => [`drizzle/000${i}_m${i}.sql`, `CREATE TABLE t${i} (id INTEGER PRIMARY KEY);`]));

    it('is one notice naming the .gitignore line on the PR that creates the folder, not a journal-missing error', async () => {
      const reports = await expectFires(rule, await input({ '.gitignore': gitignore }, { '.gitignore': gitignore, ...sql(1) }));
      expect(reports).toEqual([
        expect.objectContaining({ messageId: 'journal-ignored', severity: 'notice', preexisting: false, data: expect.objectContaining({ folder: 'drizzle', ignoredBy: '.gitignore:5' }) }),
      ]);
    });

    it('says nothing on a later PR that adds a migration', async () => {
      const repo = { '.gitignore': gitignore, 'drizzle.config.ts': config };
      await expectPasses(rule, await input({ ...repo, ...sql(1) }, { ...repo, ...sql(2) }));
    });

    it('is still journal-missing when a negation re-includes the journal or nothing ignores it', async () => {
      const reincluded = `${gitignore.replace('drizzle/meta/', 'drizzle/meta/*')}!drizzle/meta/_journal.json\n`;
      const [r] = await expectFires(rule, await input({ '.gitignore': reincluded }, { '.gitignore': reincluded, ...sql(1) }));
      expect(r).toMatchObject({ messageId: 'journal-missing' });
      const [plain] = await expectFires(rule, await input({}, sql(1)));
      expect(plain).toMatchObject({ messageId: 'journal-missing' });
    });
  });

  it('makes journal problems warnings, with one notice, when .gitignore hides the wrangler config beside the drizzle config', async () => {
    // Modelled on hwld/evodo-openapi before 3fca898: backend/.gitignore listed `wrangler.toml`, whose `migrations_dir`
    // applied backend/drizzle; the journal named `0000_narrow_rage` while the team had renamed the file `0000_sample.sql`.
    const f = loadFixture('journal-missing-entry');
    const gitignore = { '.gitignore': 'node_modules\n.dev.vars\n\n# Change them to your taste:\nwrangler.toml\n' };
    const reports = await expectFires(rule, await input({ ...f.base, ...gitignore }, { ...f.head, ...gitignore }));
    expect(reports.map((r) => [r.messageId, r.severity ?? 'error'])).toEqual([
      ['applier-unknown', 'notice'],
      ['sql-not-in-journal', 'warning'],
    ]);
    expect(reports[0]).toMatchObject({ file: '.gitignore', line: 5, data: { ignoredBy: '.gitignore:5' } });
    // A committed wrangler config (which does not name the folder) leaves Drizzle as the applier: still an error.
    const committed = await expectFires(rule, await input({ ...f.base, 'wrangler.toml': 'name = "x"\n' }, { ...f.head, 'wrangler.toml': 'name = "x"\n' }));
    expect(committed.map((r) => [r.messageId, r.severity ?? 'error'])).toEqual([['sql-not-in-journal', 'error']]);
  });
});
