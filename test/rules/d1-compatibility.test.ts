import { beforeAll, describe, expect, it } from 'vitest';
import type { RuleInput } from '../../src/rules/types.js';
import rule from '../../src/rules/d1-compatibility.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

/** The PR adds m/0001_a.sql (untouched: main gained it after the PR branched); its compatibility notes are set here. */
async function input(dialect: 'd1' | 'sqlite', touched: boolean) {
  const files = { '.github/safari.yml': JSON.stringify({ databases: { db: { dialect } } }) };
  const add = { 'm/0001_a.sql': 'BEGIN; CREATE TABLE t(a); COMMIT;' };
  const i = await migrationsInput({}, touched ? add : {}, { database: 'db', files, ...(touched ? {} : { mainAfter: add }) });
  i.databases[0].head.replay.compatibility = [
    { messageId: 'transaction-statement', file: 'm/0001_a.sql', line: 1, statement: 'BEGIN' },
    { messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: 2, statement: 'PRAGMA foreign_keys = OFF' },
  ];
  return i;
}

describe('d1-compatibility', () => {
  it('fires on D1 for transaction statements (error) and the foreign_keys pragma (warning)', async () => {
    const reports = await expectFires(rule, input('d1', true));
    expect(reports.map((r) => [r.messageId, r.severity, r.preexisting])).toEqual([
      ['transaction-statement', 'error', false],
      ['foreign-keys-pragma', 'warning', false],
    ]);
  });

  it('does not fire for a foreign_keys pragma that turns enforcement on or reads it (D1 enforces anyway)', async () => {
    const i = await input('d1', true);
    i.databases[0].head.replay.compatibility = ['PRAGMA foreign_keys=ON;', 'PRAGMA foreign_keys = 1', 'pragma main.foreign_keys(true);', 'PRAGMA foreign_keys;'].map(
      (statement, n) => ({ messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: n + 1, statement }),
    );
    await expectPasses(rule, i);
    i.databases[0].head.replay.compatibility.push({ messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: 9, statement: 'PRAGMA foreign_keys = false;' });
    const reports = await expectFires(rule, i);
    expect(reports.map((r) => r.line)).toEqual([9]);
  });

  // Issue 9: the statement is the PR's text. The old pattern backtracked over runs of spaces (67 ms for one
  // 500-character statement): 200 of them took seconds, and the timeout fails it.
  // The input (a git repository and a replay) is built before the timed test.
  let prebuilt: RuleInput;
  beforeAll(async () => {
    prebuilt = await input('d1', true);
  });

  it('reads 200 whitespace-padded pragmas in linear time', { timeout: 3_000 }, async () => {
    const i = prebuilt;
    const padded = `PRAGMA foreign_keys${' '.repeat(480)}x`;
    i.databases[0].head.replay.compatibility = Array.from({ length: 200 }, (_, n) => ({ messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: n + 1, statement: padded }));
    i.databases[0].head.replay.compatibility.push({ messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: 999, statement: `PRAGMA "foreign_keys" ${' '.repeat(400)}= ON  ;` });
    const reports = await expectFires(rule, i);
    expect(reports).toHaveLength(200);
    expect(reports.some((r) => r.line === 999)).toBe(false);
  });

  it('does not fire for plain SQLite databases', async () => {
    await expectPasses(rule, input('sqlite', true));
  });

  it('marks notes in files the PR did not touch as already on main', async () => {
    const reports = await expectFires(rule, input('d1', false));
    expect(reports.every((r) => r.preexisting)).toBe(true);
  });

  it('keeps a statement already on main as already on main when the PR edits its file', async () => {
    const i = await input('d1', true);
    i.databases[0].base.replay.compatibility = [
      { messageId: 'foreign-keys-pragma', file: 'm/0001_a.sql', line: 1, statement: 'PRAGMA foreign_keys = OFF' },
    ];
    const reports = await expectFires(rule, i);
    expect(reports.map((r) => [r.messageId, r.preexisting])).toEqual([
      ['transaction-statement', false],
      ['foreign-keys-pragma', true],
    ]);
  });
});
