// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline; a few notices discovery only makes in odd repositories are pushed
// by hand, as in discovery.test.ts.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/discovery.js';
import { expectFires } from '../helpers/lint.js';
import { prInput } from '../helpers/prepared-input.js';
import type { DiscoveryNotice } from '../../src/discover/types.js';

const sql = 'SELECT 1;\n';
const guessed = (folder: string): DiscoveryNotice => ({
  messageId: 'guessed-folder',
  data: { folder, config: 'workers/backup/wrangler.toml', bindings: 'DB, ENGINE', database: 'backups' },
  file: 'workers/backup/wrangler.toml',
});

describe('discovery (mutation cases)', () => {
  it("a notice about a config file is the PR's when the PR edits that file, old news otherwise", async () => {
    const broken = 'this is = = not toml\n';
    const mine = await expectFires(rule, prInput({ 'migrations/0001_a.sql': sql }, { 'wrangler.toml': broken }));
    expect(mine).toEqual([expect.objectContaining({ messageId: 'config-unreadable', file: 'wrangler.toml', preexisting: false })]);
    const old = await expectFires(rule, prInput({ 'migrations/0001_a.sql': sql, 'wrangler.toml': broken }, { 'src/a.ts': 'export {};\n' }));
    expect(old).toEqual([expect.objectContaining({ messageId: 'config-unreadable', file: 'wrangler.toml', preexisting: true })]);
  });

  it("a folder notice is the PR's when one of several changes is in the folder (the file the notice names untouched)", async () => {
    const input = await prInput({ 'migrations/0001_a.sql': sql }, { 'workers/backup/migrations/0002_b.sql': sql, 'src/a.ts': 'export {};\n' });
    input.discovery.notices.push(guessed('workers/backup/migrations'));
    const reports = await expectFires(rule, input);
    expect(reports.find((r) => r.messageId === 'guessed-folder')).toMatchObject({ preexisting: false, data: { folder: 'workers/backup/migrations' } });
  });

  it("a rename out of the folder touches it; a rename elsewhere does not", async () => {
    const base = { 'migrations/0001_a.sql': sql, 'workers/backup/migrations/0001_b.sql': 'CREATE TABLE b (id INTEGER);\n' };
    const out = await prInput(base, { 'workers/backup/migrations/0001_b.sql': null, 'archive/0001_b.sql': 'CREATE TABLE b (id INTEGER);\n' });
    expect(out.changes).toContainEqual(expect.objectContaining({ status: 'renamed', oldPath: 'workers/backup/migrations/0001_b.sql' }));
    out.discovery.notices.push(guessed('workers/backup/migrations'));
    expect(rule.check(out).find((r) => r.messageId === 'guessed-folder')).toMatchObject({ preexisting: false });

    const elsewhere = await prInput({ ...base, 'src/a.ts': 'export const a = 1;\n' }, { 'src/a.ts': null, 'src/b.ts': 'export const a = 1;\n' });
    expect(elsewhere.changes).toContainEqual(expect.objectContaining({ status: 'renamed', oldPath: 'src/a.ts' }));
    elsewhere.discovery.notices.push(guessed('workers/backup/migrations'));
    expect(rule.check(elsewhere).find((r) => r.messageId === 'guessed-folder')).toMatchObject({ preexisting: true });
  });

  it('a notice that names neither a file nor a folder is old news', async () => {
    const input = await prInput({ 'migrations/0001_a.sql': sql }, { 'undefined/x.txt': 'x\n' });
    input.discovery.notices.push({ messageId: 'not-replayed', data: { reason: 'its dialect is "postgresql"' }, database: 'pg' });
    expect(rule.check(input)).toEqual([expect.objectContaining({ messageId: 'not-replayed', preexisting: true })]);
  });

  it('reports an unattributed folder once, whether discovery noticed it or only listed it, and not because another notice names it', async () => {
    const input = await prInput({ 'migrations/0001_a.sql': sql }, { 'src/a.ts': 'export {};\n' });
    input.discovery.notices.push({ messageId: 'unattributed-folder', data: { folder: 'a/sql' }, file: 'a/sql' }, guessed('b/sql'));
    input.discovery.unattributed.push('a/sql', 'b/sql', 'c/sql');
    const reports = rule.check(input);
    expect(reports.filter((r) => r.messageId === 'unattributed-folder').map((r) => [r.data?.folder, r.file, r.preexisting])).toEqual([
      ['a/sql', 'a/sql', true],
      ['b/sql', 'b/sql', true],
      ['c/sql', 'c/sql', true],
    ]);
  });

  it('names the folders of migration files that were not reviewed, one file or several', async () => {
    const one = await expectFires(rule, prInput({ 'migrations/0001_a.sql': sql, 'migrations/manual/0001_old.sql': sql }, { 'migrations/manual/fill.sql': sql }));
    expect(one).toContainEqual(
      expect.objectContaining({
        messageId: 'not-reviewed',
        file: 'migrations/manual/fill.sql',
        details: ['migrations/manual/fill.sql'],
        data: expect.objectContaining({ count: 1, fileWord: 'file', verb: 'was', folder: 'migrations/manual', reason: expect.stringContaining('no wrangler') }),
      }),
    );
    const notReviewed = one.find((r) => r.messageId === 'not-reviewed')!;
    expect(notReviewed).not.toHaveProperty('database');
    expect(notReviewed.data?.configLine).toContain('migrations/manual');
    const two = await expectFires(rule, prInput({ 'migrations/0001_a.sql': sql, 'migrations/manual/0001_old.sql': sql }, { 'migrations/manual/a.sql': sql, 'migrations/manual/b.sql': sql }));
    expect(two.find((r) => r.messageId === 'not-reviewed')).toMatchObject({ data: { count: 2, fileWord: 'files', verb: 'were' }, details: ['migrations/manual/a.sql', 'migrations/manual/b.sql'] });
  });

  it("names the database whose folder is not replayed", async () => {
    const config = `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: './drizzle', schema: './src/schema.ts', dialect: 'postgresql' });\n`;
    const reports = await expectFires(rule, prInput({ 'drizzle.config.ts': config }, { 'drizzle/0000_init.sql': 'CREATE TABLE a (id serial);\n' }));
    const nr = reports.find((r) => r.messageId === 'not-reviewed');
    expect(nr).toMatchObject({ file: 'drizzle/0000_init.sql', data: { folder: 'drizzle', count: 1 } });
    expect(nr?.database).toEqual(expect.any(String));
  });

  it('names the conflicting file and the changed config in the data', async () => {
    const input = await prInput({ '.github/safari.yml': 'failOn: error\n', 'migrations/0001_a.sql': sql }, { '.github/safari.yml': 'failOn: warning\n' });
    input.conflicts.push('drizzle/meta/_journal.json');
    const reports = rule.check(input);
    expect(reports.find((r) => r.messageId === 'merge-conflict')).toMatchObject({ file: 'drizzle/meta/_journal.json', data: { file: 'drizzle/meta/_journal.json' } });
    expect(reports.find((r) => r.messageId === 'config-changed')).toMatchObject({ file: '.github/safari.yml', data: { file: '.github/safari.yml' } });
  });
});
