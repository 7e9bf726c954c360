// Behaviours of review-incomplete that its mutation run (issue 11 §4) showed untested: what each kind of item says
// (the values its message names), for items the real review produces where a test can make it do so quickly.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/review-incomplete.js';
import { loadFixture, changesBetween } from '../drizzle/drizzle-input.js';
import { expectFires } from '../helpers/lint.js';
import { preparedInput, prInput } from '../helpers/prepared-input.js';

describe('review-incomplete (mutation cases)', () => {
  it('names the folder, database and cap of a schema evaluation the cap left out', async () => {
    const f = loadFixture('stale-schema');
    const pr = Object.fromEntries(changesBetween(f.base, f.head).map((c) => [c.path, f.head[c.path] ?? null]));
    const base = { ...f.base, '.github/safari.yml': 'limits:\n  maxSchemaEvaluations: 0\n' };
    const reports = await expectFires(rule, preparedInput({ base, pr, options: { evaluateSchema: true } }));
    expect(reports).toEqual([
      { messageId: 'evaluation-cap', database: 'drizzle', file: 'drizzle', severity: 'error', data: { kind: 'evaluation-cap', database: 'drizzle', folder: 'drizzle', limit: 0, seconds: 30 } },
    ]);
  });

  it('names a file over the per-file cap with its size and the cap', async () => {
    const big = `CREATE TABLE t (id INTEGER PRIMARY KEY);\n-- ${'x'.repeat(2000)}\n`;
    const input = await prInput({ 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n', '.github/safari.yml': 'limits:\n  maxFileBytes: 1024\n' }, { 'migrations/0002_b.sql': big });
    expect(rule.check(input)).toEqual([
      { messageId: 'file-cap', file: 'migrations/0002_b.sql', severity: 'error', data: { file: 'migrations/0002_b.sql', size: '2 KB', limit: '1 KB' } },
    ]);
  });

  // The deadline has to expire during the code search itself, which no quick test can arrange: the item is the one
  // review.ts pushes from the search's onDeadline.
  it('says how far the code search got before the deadline', async () => {
    const input = { ...(await prInput({})), incomplete: [{ kind: 'deadline-code-search' as const, searched: 3, total: 9 }] };
    const [r] = await expectFires(rule, input);
    expect(r).toEqual({ messageId: 'deadline-code-search', severity: 'error', data: { kind: 'deadline-code-search', searched: 3, total: 9, seconds: 30 } });
  });
});
