// isComplete and splitStatements against SQLite's own sqlite3_complete(), on a corpus made by
// scripts/make-split-corpus.py: each case holds SQLite's verdict and the offsets where SQLite ends each statement.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isComplete, splitStatements } from '../../src/replay/split.js';

type Case = [sql: string, complete: boolean, ends: number[], tailCompletes: boolean];
const corpus = JSON.parse(readFileSync(new URL('../../fixtures/split/complete-corpus.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  complete: number;
};

/** Whitespace and comments as SQLite skips them (an unterminated block comment runs to the end). */
const LEADING_BLANK = /^(?:[ \t\n\f\r]+|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))*/;

/** The statements SQLite's boundaries give: each non-blank piece from its first token through its `;`. */
function expectedSplit([sql, , ends, tailCompletes]: Case) {
  const statements: { offset: number; sql: string }[] = [];
  let from = 0;
  for (const end of ends) {
    const piece = sql.slice(from, end);
    const lead = LEADING_BLANK.exec(piece)![0].length;
    if (piece.slice(lead) !== ';') statements.push({ offset: from + lead, sql: piece.slice(lead) });
    from = end;
  }
  const tail = sql.slice(from);
  const lead = LEADING_BLANK.exec(tail)![0].length;
  const tailStart = lead < tail.length ? from + lead : undefined;
  return { statements, tailStart, tailCompletes };
}

describe('the splitter matches sqlite3_complete()', () => {
  it('holds thousands of cases of both verdicts, many with several statements', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(5000);
    expect(corpus.complete).toBeGreaterThan(1000);
    expect(corpus.cases.length - corpus.complete).toBeGreaterThan(1000);
    expect(corpus.cases.filter((c) => c[2].length >= 2).length).toBeGreaterThan(1000);
    expect(corpus.cases.filter((c) => /[^\x00-\x7f]/.test(c[0]) && c[2].length > 0).length).toBeGreaterThan(500);
  });

  it('agrees on completeness in every case', () => {
    const mismatches = corpus.cases.filter(([sql, expected]) => isComplete(sql) !== expected);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('ends every statement where SQLite does, with the same text', () => {
    const mismatches = corpus.cases.flatMap((c) => {
      const expected = expectedSplit(c);
      const { statements, incomplete } = splitStatements(c[0]);
      const terminated = statements.filter((s) => s.sql.endsWith(';') && expected.statements.some((e) => e.offset === s.offset));
      const actual = statements.slice(0, expected.statements.length).map((s) => ({ offset: s.offset, sql: s.sql }));
      const rest = statements.slice(expected.statements.length);
      const tailOk =
        expected.tailStart === undefined
          ? rest.length === 0 && incomplete === null
          : expected.tailCompletes
            ? rest.length === 1 && rest[0].offset === expected.tailStart && incomplete === null
            : rest.length === 0 && incomplete !== null && c[0].indexOf(incomplete.sql, expected.tailStart) === expected.tailStart;
      const same = JSON.stringify(actual) === JSON.stringify(expected.statements) && terminated.length === expected.statements.length;
      return same && tailOk ? [] : [{ sql: c[0], expected, statements, incomplete }];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
