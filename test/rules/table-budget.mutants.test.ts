// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/table-budget.js';
import { expectFires } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const tables = (n: number) => Array.from({ length: n }, (_, i) => `CREATE TABLE t${i}(id);`).join('\n');
const config = (maxTables: number) => ({ files: { '.github/safari.yml': JSON.stringify({ maxTables }) } });

describe('table-budget (mutation cases)', () => {
  it('a database exactly at its budget is crossed, not grown, and the new tables are listed', async () => {
    const sql = 'CREATE TABLE n0(id);\nCREATE TABLE n1(id);';
    const [r] = await expectFires(rule, migrationsInput({ 'm/0001.sql': tables(3) }, { 'm/0002.sql': sql }, config(3)));
    expect(r).toMatchObject({ messageId: 'crosses', data: { count: 5, baseCount: 3, budget: 3 }, details: ['New tables: `n0`, `n1`'] });
  });

  it('points at the CREATE TABLE of the first new table, not an earlier DROP TABLE IF EXISTS of it', async () => {
    const sql = 'DROP TABLE IF EXISTS n0;\nCREATE TABLE n0(id);';
    const [r] = await expectFires(rule, migrationsInput({ 'm/0001.sql': tables(3) }, { 'm/0002.sql': sql }, config(3)));
    expect(r).toMatchObject({ file: 'm/0002.sql', line: 2 });
  });
});
