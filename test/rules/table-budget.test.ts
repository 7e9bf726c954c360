import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/table-budget.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const tables = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `CREATE TABLE ${prefix}${i}(id);`).join('\n');

function input(opts: { base: number; added: number; dropped?: number; maxTables?: number; dbMax?: number }) {
  const add: Record<string, string> = {};
  if (opts.added || opts.dropped) {
    add['m/0002.sql'] = `-- more\n${tables('n', opts.added)}\n${Array.from({ length: opts.dropped ?? 0 }, (_, i) => `DROP TABLE t${i};`).join('\n')}`;
  }
  const config = { maxTables: opts.maxTables, ...(opts.dbMax ? { databases: { 'grove-engine-db': { maxTables: opts.dbMax } } } : {}) };
  return migrationsInput({ 'm/0001.sql': tables('t', opts.base) }, add, { database: 'grove-engine-db', files: { '.github/safari.yml': JSON.stringify(config) } });
}

describe('table-budget', () => {
  it('passes while under the default budget of 100', async () => {
    await expectPasses(rule, input({ base: 98, added: 2 }));
  });

  it('fires when the PR crosses the budget, pointing at the first new table', async () => {
    const [r] = await expectFires(rule, input({ base: 9, added: 2, maxTables: 10 }));
    expect(r).toMatchObject({ messageId: 'crosses', database: 'grove-engine-db', file: 'm/0002.sql', line: 2, data: { count: 11, baseCount: 9, budget: 10 } });
    expect(r.preexisting).toBeUndefined();
  });

  it('fires when the PR grows a database that is already over budget (the 120-table engine db)', async () => {
    const [r] = await expectFires(rule, input({ base: 12, added: 1, dbMax: 10 }));
    expect(r).toMatchObject({ messageId: 'grows', data: { count: 13, baseCount: 12, budget: 10 } });
  });

  it('prefers the per-database budget over the default', async () => {
    await expectPasses(rule, input({ base: 9, added: 2, maxTables: 5, dbMax: 20 }));
  });

  it('never blames the PR for an over-budget database it does not grow', async () => {
    const reports = rule.check(await input({ base: 12, added: 1, dropped: 1, maxTables: 10 }));
    expect(reports).toEqual([expect.objectContaining({ messageId: 'already', preexisting: true })]);
    await expectPasses(rule, input({ base: 12, added: 0, maxTables: 10 }));
  });

  it('counts through a failure main already has, but not through one only the head has', async () => {
    const failure = { kind: 'sql' as const, file: 'm/0001.sql', line: 1, statement: 'x', message: 'y', more: 0 };
    const same = await input({ base: 9, added: 2, maxTables: 10 });
    same.databases[0].base.replay.failures = [failure];
    same.databases[0].head.replay.failures = [{ ...failure }];
    await expectFires(rule, same);
    const headOnly = await input({ base: 9, added: 2, maxTables: 10 });
    headOnly.databases[0].head.replay.failures = [failure];
    await expectPasses(rule, headOnly);
  });
});
