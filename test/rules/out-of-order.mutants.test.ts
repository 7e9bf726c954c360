// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/out-of-order.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleJournal, drizzleMigrationsInput, migrationsInput, preparedInput, WRANGLER } from '../helpers/prepared-input.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const sql = 'SELECT 1;\n';
const T0 = Date.UTC(2026, 0, 1);

/**
 * A Drizzle folder `d` on main plus the PR's files; `when` in ms per file, null for a file without a journal entry. Hand-made:
 * discovery drops a file an existing journal doesn't list, so a folder mixing both can't come from a repository.
 */
function drizzle(base: Record<string, number | null>, add: Record<string, number | null>) {
  const files = (list: Record<string, number | null>) => Object.fromEntries(Object.keys(list).map((p) => [p, sql]));
  const i = makeRuleInput({
    databases: [{ name: 'app', applier: 'drizzle', base: files(base), head: { ...files(base), ...files(add) } }],
    changes: Object.keys(add).map((path) => ({ path, status: 'added' as const })),
  });
  const when = { ...base, ...add };
  for (const f of [...i.databases[0].base.files, ...i.databases[0].head.files]) {
    const w = when[f.path];
    if (w !== null) f.journal = { idx: f.number ?? 0, when: w, tag: f.path.split('/').pop()!.replace(/\.sql$/, '') };
  }
  return i;
}

describe('out-of-order (mutation cases)', () => {
  it('compares a Drizzle entry with main\'s newest entry by date, whatever the file order', async () => {
    const when = { '0000_a': T0 + 2000, '0001_b': T0, '0002_c': T0 + 1000 };
    const [r] = await expectFires(rule, drizzleMigrationsInput({ '0000_a': sql, '0001_b': sql }, { '0002_c': sql }, { when }));
    expect(r).toMatchObject({ messageId: 'drizzleSkipped', data: { latest: '0000_a' } });
  });

  it('ignores main\'s files that have no journal entry when finding its newest entry', async () => {
    await expectPasses(rule, drizzle({ 'd/0000_a.sql': T0, 'd/0001_hand.sql': null }, { 'd/0002_c.sql': T0 + 1000 }));
  });

  it('leaves a file without a number alone (wrangler applies it by name; nothing to compare)', async () => {
    const input = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql }, pr: { 'migrations/seed.sql': sql } });
    await expectPasses(rule, input);
  });

  it('suggests a number above every file of the folder, the PR\'s own included, and not another folder\'s', async () => {
    const base = { 'engine/0084_latest.sql': sql, 'landing/0001_a.sql': sql, 'landing/0003_c.sql': sql };
    const add = { 'landing/0002_x.sql': sql, 'landing/0005_y.sql': sql };
    const [r] = await expectFires(rule, migrationsInput(base, add));
    expect(r).toMatchObject({ messageId: 'lower', file: 'landing/0002_x.sql', data: { latest: '0003_c.sql', suggested: '0006_x.sql' } });
  });

  it('judges a folder drizzle-kit generates and wrangler applies by its numbers, not by journal dates', async () => {
    // wrangler applies by file name: a lower number runs in a different order on fresh databases, whatever `when` says.
    const base = { 'm/0000_a.sql': sql, 'm/0002_b.sql': sql, 'm/meta/_journal.json': drizzleJournal([['0000_a', T0], ['0002_b', T0 + 1000]]) };
    const add = { 'm/0001_c.sql': sql, 'm/meta/_journal.json': drizzleJournal([['0000_a', T0], ['0002_b', T0 + 1000], ['0001_c', T0 + 2000]]) };
    const config = "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: './m', dialect: 'sqlite', driver: 'd1-http' });\n";
    const i = await migrationsInput(base, add, { files: { 'drizzle.config.ts': config } });
    expect(i.databases[0].head.files.map((f) => [f.path, f.applier, f.journal?.when])).toEqual([
      ['m/0000_a.sql', 'wrangler', T0],
      ['m/0001_c.sql', 'wrangler', T0 + 2000],
      ['m/0002_b.sql', 'wrangler', T0 + 1000],
    ]);
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'lower', file: 'm/0001_c.sql' });
    expect(r.severity).toBeUndefined();
  });
});
