// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. The compatibility notes come from a real replay of the PR's migration.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/d1-compatibility.js';
import { expectFires } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const files = { '.github/safari.yml': JSON.stringify({ databases: { db: { dialect: 'd1' } } }) };

describe('d1-compatibility (mutation cases)', () => {
  it('quotes the statement on one line, spaces collapsed, at most 120 characters', async () => {
    const name = 's'.repeat(150);
    const sql = `PRAGMA foreign_keys\n\t=   OFF;\nSAVEPOINT ${name};\nCREATE TABLE t (a);\nRELEASE ${name};\n`;
    const reports = await expectFires(rule, migrationsInput({}, { 'm/0001_a.sql': sql }, { database: 'db', files }));
    expect(reports.map((r) => [r.messageId, r.line, r.data])).toEqual([
      ['foreign-keys-pragma', 1, { statement: 'PRAGMA foreign_keys = OFF;' }],
      ['transaction-statement', 3, { statement: `SAVEPOINT ${name}`.slice(0, 120) }],
      ['transaction-statement', 5, { statement: `RELEASE ${name}`.slice(0, 120) }],
    ]);
  });
});
