// Behaviours of drizzle-journal-mismatch that its mutation run showed untested: wrangler-applied folders' other
// problems, the notice about a git-ignored wrangler config (long .gitignore, mixed problems, main's own), and when the
// once-only notices are said again.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-journal-mismatch.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });
const clean = loadFixture('clean');
const JOURNAL = 'drizzle/meta/_journal.json';
const without = (tree: Tree, ...paths: string[]): Tree => Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)));

describe('drizzle-journal-mismatch: folders wrangler applies', () => {
  it('keeps an entry without its snapshot as it is (only a missing journal becomes the wrangler notice)', async () => {
    const i = await input(clean.base, without(clean.head, 'drizzle/meta/0001_snapshot.json'));
    i.drizzle.folders[0].applier = 'wrangler';
    const reports = await expectFires(rule, i);
    expect(reports.map((r) => r.messageId)).toEqual(['entry-without-snapshot']);
  });

  it('does not repeat the notice for a folder without a drizzle config that main already had', async () => {
    const sql = (n: number): Tree => Object.fromEntries(Array.from({ length: n }, (_, k) => [`drizzle/000${k}_m${k}.sql`, `CREATE TABLE t${k} (id INTEGER PRIMARY KEY);`]));
    const i = await input(sql(2), sql(3));
    i.drizzle.folders[0].applier = 'wrangler';
    i.drizzle.folders[0].configFile = undefined;
    await expectPasses(rule, i);
  });

  it('gives the notice on the PR that deletes the folder\'s journal, though the drizzle config did not change', async () => {
    const i = await input(clean.head, without(clean.head, JOURNAL));
    i.drizzle.folders[0].applier = 'wrangler';
    i.drizzle.folders[0].configFile = 'drizzle.config.ts';
    const reports = await expectFires(rule, i);
    expect(reports).toEqual([expect.objectContaining({ messageId: 'journal-missing-wrangler', severity: 'notice', preexisting: false })]);
  });
});

describe('drizzle-journal-mismatch: a git-ignored wrangler config', () => {
  // The wrangler.toml line is past line 9, and the folder has a problem only Drizzle's migrator has (a file the journal
  // lacks) beside one it has either way (an entry without its snapshot).
  const gitignore = { '.gitignore': `${Array.from({ length: 11 }, (_, k) => `tmp${k}/`).join('\n')}\nwrangler.toml\n` };
  const f = loadFixture('journal-missing-entry');
  const broken = { ...without(f.head, 'drizzle/meta/0000_snapshot.json'), ...gitignore };

  it('gives the notice at the .gitignore line when one of several problems is the migrator\'s', async () => {
    const reports = await expectFires(rule, await input({ ...f.base, ...gitignore }, broken));
    const notice = reports.find((r) => r.messageId === 'applier-unknown');
    expect(notice).toMatchObject({ file: '.gitignore', line: 12, preexisting: false, data: { ignoredBy: '.gitignore:12' } });
  });

  it('marks the notice pre-existing when main already had such a problem', async () => {
    const reports = await expectFires(rule, await input(broken, { ...broken, 'README.md': 'x\n' }));
    expect(reports.find((r) => r.messageId === 'applier-unknown')).toMatchObject({ preexisting: true });
  });
});
