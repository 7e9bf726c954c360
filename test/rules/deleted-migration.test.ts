import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/deleted-migration.js';
import type { FileChange } from '../../src/source/types.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';
import { reviewFiles } from '../helpers/review-files.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';
const base = { 'm/001_a.sql': sql, 'm/002_b.sql': sql, 'm/003_c.sql': sql };

/** The prepared input of a PR that makes `pr`'s changes (null deletes) to `base` (git reports the change shapes). */
const real = (pr: Record<string, string | null>, onMain: Record<string, string> = base) => migrationsInput(onMain, pr, { database: 'db' });

/** A hand-made input for an exact change shape git may report otherwise for these identical files (see rule-input.ts). */
function input(head: Record<string, string>, changes: FileChange[], applier?: 'drizzle') {
  return makeRuleInput({ databases: [{ name: 'db', base, head, applier }], changes });
}

describe('deleted-migration', () => {
  it('passes a PR that only adds migrations', async () => {
    await expectPasses(rule, real({ 'm/004_d.sql': sql }));
  });

  it('passes a PR that only edits an unrelated file', async () => {
    await expectPasses(rule, migrationsInput(base, { 'src/index.ts': 'export {};\n' }, { database: 'db', files: { 'src/index.ts': '' } }));
  });

  it('fires for a deleted migration that is on main', async () => {
    const [r] = await expectFires(rule, real({ 'm/002_b.sql': null }));
    expect(r).toMatchObject({ messageId: 'deleted', file: 'm/002_b.sql', database: 'db', data: { name: '002_b.sql' } });
  });

  it('warns, not errs, when the deleted migration fails on main: no database can have applied it', async () => {
    const result = await reviewFiles({
      base: { 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n', 'migrations/0002_b.sql': 'CREATE TABLE t (x, x);\n' },
      pr: { 'migrations/0002_b.sql': null },
    });
    expect(result.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([
      expect.objectContaining({ messageId: 'deletedNeverApplied', severity: 'warning', file: 'migrations/0002_b.sql', line: 1 }),
    ]);
  });

  describe('reverting main\'s newest migration, which every database with rows refused', () => {
    // Modelled on the grove fixture's incident (a real team's revert 22 minutes after merging): `ADD COLUMN … DEFAULT
    // (unixepoch())` on a table with rows. D1 refused it, wrangler recorded nothing; the empty replay accepts it.
    const posts = 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n';
    const pinned = 'ALTER TABLE posts ADD COLUMN pinned_at INTEGER DEFAULT (unixepoch());\n';

    it('is a warning that says which databases refused it and which may have run it', async () => {
      const result = await reviewFiles({ base: { 'migrations/0001_posts.sql': posts, 'migrations/0002_pinned.sql': pinned }, pr: { 'migrations/0002_pinned.sql': null } });
      expect(result.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([
        expect.objectContaining({
          messageId: 'deletedRefused',
          severity: 'warning',
          file: 'migrations/0002_pinned.sql',
          line: 1,
          data: expect.objectContaining({ table: 'posts', column: 'pinned_at', reason: 'the non-constant default `(unixepoch())`' }),
        }),
      ]);
      expect(result.conclusion).not.toBe('failure');
    });

    it('stays an error when a later migration ran after it, or when its statements work on a table with rows', async () => {
      const later = await reviewFiles({
        base: { 'migrations/0001_posts.sql': posts, 'migrations/0002_pinned.sql': pinned, 'migrations/0003_tags.sql': 'CREATE TABLE tags (id INTEGER);\n' },
        pr: { 'migrations/0002_pinned.sql': null },
      });
      expect(later.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([expect.objectContaining({ messageId: 'deleted', severity: 'error' })]);
      const fine = await reviewFiles({
        base: { 'migrations/0001_posts.sql': posts, 'migrations/0002_pinned.sql': 'ALTER TABLE posts ADD COLUMN pinned_at INTEGER DEFAULT 0;\n' },
        pr: { 'migrations/0002_pinned.sql': null },
      });
      expect(fine.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([expect.objectContaining({ messageId: 'deleted', severity: 'error' })]);
      // The table is created by the same file: empty when the ALTER runs, everywhere.
      const own = await reviewFiles({ base: { 'migrations/0001_posts.sql': posts + pinned }, pr: { 'migrations/0001_posts.sql': null } });
      expect(own.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([expect.objectContaining({ messageId: 'deleted', severity: 'error' })]);
    });
  });

  it('passes a Drizzle folder moved along with its config into a new place (the database is named anew)', async () => {
    // Modelled on NAinfini/Guild_Management 1126562: `drizzle.config.ts` (out `drizzle`) moved to
    // `config/drizzle/drizzle.config.ts` (out `./infra/database/drizzle`, run from the root by `db:generate`), and the
    // folder moved with it, unchanged.
    const journal = JSON.stringify({ version: '7', dialect: 'sqlite', entries: [{ idx: 0, version: '6', when: 1_700_000_000_000, tag: '0000_free_baron', breakpoints: true }] });
    const sql = 'CREATE TABLE users (id TEXT PRIMARY KEY);\n';
    const config = (out: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: '${out}', dialect: 'sqlite' });\n`;
    const result = await reviewFiles({
      base: { 'drizzle.config.ts': config('./drizzle'), 'drizzle/0000_free_baron.sql': sql, 'drizzle/meta/_journal.json': journal },
      pr: {
        'drizzle.config.ts': null,
        'drizzle/0000_free_baron.sql': null,
        'drizzle/meta/_journal.json': null,
        'package.json': JSON.stringify({ scripts: { 'db:generate': 'drizzle-kit generate --config config/drizzle/drizzle.config.ts' } }),
        'config/drizzle/drizzle.config.ts': config('./infra/database/drizzle'),
        'infra/database/drizzle/0000_free_baron.sql': sql,
        'infra/database/drizzle/meta/_journal.json': journal,
      },
    });
    expect(result.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([]);
  });

  it('fires for a rename: wrangler applies the new name again', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input({ ...rest, 'm/002_better.sql': sql }, [{ path: 'm/002_better.sql', oldPath: 'm/002_b.sql', status: 'renamed' }]));
    expect(r).toMatchObject({ messageId: 'renamed', file: 'm/002_better.sql', data: { from: 'm/002_b.sql', name: '002_better.sql' } });
  });

  it('calls a move out of the migration folders a deletion', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input(rest, [{ path: 'archive/002_b.sql', oldPath: 'm/002_b.sql', status: 'renamed' }]));
    expect(r).toMatchObject({ messageId: 'movedOut', data: { to: 'archive/002_b.sql' } });
  });

  it('reports a whole folder removed once', async () => {
    const reports = await expectFires(rule, real(Object.fromEntries(Object.keys(base).map((path) => [path, null]))));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ messageId: 'folderDeleted', data: { count: 3, folder: 'm' } });
  });

  it('warns (not errors) for a Drizzle rename, which is not re-run', async () => {
    const { 'm/002_b.sql': _old, ...rest } = base;
    const [r] = await expectFires(rule, input({ ...rest, 'm/002_x.sql': sql }, [{ path: 'm/002_x.sql', oldPath: 'm/002_b.sql', status: 'renamed' }], 'drizzle'));
    expect(r).toMatchObject({ messageId: 'renamedDrizzle', severity: 'warning' });
  });

  it('ignores deleting a file that was never on main', async () => {
    await expectPasses(rule, input(base, [{ path: 'm/009_draft.sql', status: 'deleted' }]));
  });

  describe('a moved wrangler folder (wrangler tracks applied migrations by file name)', () => {
    const moveAll = (names: string[]): FileChange[] => names.map((n) => ({ path: `n/${n}`, oldPath: `m/${n}`, status: 'renamed' }));

    it('passes when the folder moves unchanged', async () => {
      const head = { 'n/001_a.sql': sql, 'n/002_b.sql': sql, 'n/003_c.sql': sql };
      await expectPasses(rule, input(head, moveAll(['001_a.sql', '002_b.sql', '003_c.sql'])));
    });

    it('passes when git shows the move as deletions and additions', async () => {
      const head = { 'n/001_a.sql': sql, 'n/002_b.sql': sql, 'n/003_c.sql': sql };
      const changes: FileChange[] = Object.keys(base).flatMap((path) => [
        { path, status: 'deleted' as const },
        { path: path.replace('m/', 'n/'), status: 'added' as const },
      ]);
      await expectPasses(rule, input(head, changes));
    });

    it('fires only for the file renamed to a new name during the move', async () => {
      const head = { 'n/001_a.sql': sql, 'n/002_better.sql': sql, 'n/003_c.sql': sql };
      const changes = [...moveAll(['001_a.sql', '003_c.sql']), { path: 'n/002_better.sql', oldPath: 'm/002_b.sql', status: 'renamed' as const }];
      const reports = await expectFires(rule, input(head, changes));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ messageId: 'renamed', file: 'n/002_better.sql', data: { from: 'm/002_b.sql', name: '002_better.sql' } });
    });

    it('reports a file edited during the move as an edit, not a deletion', async () => {
      const edited = 'SELECT 1;\nCREATE TABLE t (id INTEGER PRIMARY KEY);';
      const head = { 'n/001_a.sql': sql, 'n/002_b.sql': edited, 'n/003_c.sql': sql };
      const reports = await expectFires(rule, input(head, moveAll(['001_a.sql', '002_b.sql', '003_c.sql'])));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ messageId: 'movedAndEdited', file: 'n/002_b.sql', line: 2, data: { name: '002_b.sql', to: 'n/002_b.sql', changed: 1 } });
      expect(reports[0].severity).toBeUndefined();
    });

    it('warns for a move that only changes comments or whitespace', async () => {
      const head = { 'n/001_a.sql': sql, 'n/002_b.sql': `-- tidy\n${sql}`, 'n/003_c.sql': sql };
      const [r] = await expectFires(rule, input(head, moveAll(['001_a.sql', '002_b.sql', '003_c.sql'])));
      expect(r).toMatchObject({ messageId: 'movedAndEdited', severity: 'warning' });
    });

    it('still fires for a deletion hidden behind a same-named file that was already on main', async () => {
      const reports = await expectFires(rule, real({ 'm/002_b.sql': null }, { ...base, 'o/002_b.sql': sql }));
      expect(reports[0]).toMatchObject({ messageId: 'deleted', file: 'm/002_b.sql' });
    });

    it('keeps the journal view for Drizzle: a moved file still warns', async () => {
      const head = { 'n/001_a.sql': sql, 'n/002_b.sql': sql, 'n/003_c.sql': sql };
      const reports = await expectFires(rule, input(head, moveAll(['001_a.sql', '002_b.sql', '003_c.sql']), 'drizzle'));
      expect(reports.map((r) => r.messageId)).toEqual(['renamedDrizzle', 'renamedDrizzle', 'renamedDrizzle']);
    });

    it('end to end: a Drizzle folder moved with its journal (config `out` changed) raises nothing', async () => {
      // Modelled on suzulabo/announcing.202312 e5599a5: packages/db/{drizzle => migrations}, journal and all.
      const journal = JSON.stringify({ version: '7', dialect: 'sqlite', entries: [{ idx: 0, version: '6', when: 1_700_000_000_000, tag: '0000_bouncy', breakpoints: true }] });
      const config = (out: string) => `export default { out: '${out}', dialect: 'sqlite', schema: './src/schema.ts' };\n`;
      const at = (dir: string) => ({ [`${dir}/0000_bouncy.sql`]: 'CREATE TABLE channels (id TEXT PRIMARY KEY);\n', [`${dir}/meta/_journal.json`]: journal });
      const result = await reviewFiles({
        base: { 'packages/db/drizzle.config.ts': config('./drizzle'), ...at('packages/db/drizzle') },
        pr: { 'packages/db/drizzle.config.ts': config('./migrations'), 'packages/db/drizzle/0000_bouncy.sql': null, 'packages/db/drizzle/meta/_journal.json': null, ...at('packages/db/migrations') },
      });
      expect(result.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([]);
    });

    it('end to end: moving the folder along with migrations_dir raises no deleted-migration finding', async () => {
      const toml = (dir: string) => `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "x"\nmigrations_dir = "${dir}"\n`;
      const files = {
        '0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
        '0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n',
      };
      const at = (dir: string, content: string | null) => Object.fromEntries(Object.entries(files).map(([n, c]) => [`${dir}/${n}`, content ?? c]));
      const result = await reviewFiles({
        base: { 'wrangler.toml': toml('db/migrations'), ...at('db/migrations', null) },
        pr: {
          'wrangler.toml': toml('packages/db/migrations'),
          ...Object.fromEntries(Object.keys(files).map((n) => [`db/migrations/${n}`, null])),
          ...at('packages/db/migrations', null),
        },
      });
      expect(result.databases[0].delta.tablesAdded).toEqual([]);
      expect(result.databases[0].head.tables).toBe(2);
      expect(result.findings.filter((f) => f.rule === 'deleted-migration')).toEqual([]);
      // the same move without updating migrations_dir really loses the folder
      const stale = await reviewFiles({
        base: { 'wrangler.toml': toml('db/migrations'), ...at('db/migrations', null) },
        pr: { ...Object.fromEntries(Object.keys(files).map((n) => [`db/migrations/${n}`, null])), ...at('packages/db/migrations', null) },
      });
      expect(stale.findings.filter((f) => f.rule === 'deleted-migration').map((f) => f.messageId)).toEqual(['folderDeleted']);
    });
  });
});
