// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/out-of-order.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { preparedInput, WRANGLER } from '../helpers/prepared-input.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const sql = 'SELECT 1;\n';
const T0 = Date.UTC(2026, 0, 1);

/** A Drizzle folder `d` on main plus the PR's files; `when` in ms per file, null for a file without a journal entry. */
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
    const [r] = await expectFires(rule, drizzle({ 'd/0000_a.sql': T0 + 2000, 'd/0001_b.sql': T0 }, { 'd/0002_c.sql': T0 + 1000 }));
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
    const i = makeRuleInput({ databases: [{ name: 'db', base, head: { ...base, ...add } }], changes: Object.keys(add).map((path) => ({ path, status: 'added' as const })) });
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'lower', file: 'landing/0002_x.sql', data: { latest: '0003_c.sql', suggested: '0006_x.sql' } });
  });

  it('judges a folder drizzle-kit generates and wrangler applies by its numbers, not by journal dates', async () => {
    // wrangler applies by file name: a lower number runs in a different order on fresh databases, whatever `when` says.
    const base = { 'm/0000_a.sql': sql, 'm/0002_b.sql': sql };
    const i = makeRuleInput({ databases: [{ name: 'db', base, head: { ...base, 'm/0001_c.sql': sql } }], changes: [{ path: 'm/0001_c.sql', status: 'added' }] });
    const when: Record<string, number> = { 'm/0000_a.sql': T0, 'm/0002_b.sql': T0 + 1000, 'm/0001_c.sql': T0 + 2000 };
    for (const f of [...i.databases[0].base.files, ...i.databases[0].head.files]) f.journal = { idx: f.number ?? 0, when: when[f.path], tag: f.path.slice(2, -4) };
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'lower', file: 'm/0001_c.sql' });
    expect(r.severity).toBeUndefined();
  });
});
