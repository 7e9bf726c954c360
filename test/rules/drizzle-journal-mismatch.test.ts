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
});
