// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// token tests.
import { describe, expect, it } from 'vitest';
import { isIdentifierToken, readSqlTokens } from '../../src/replay/sql-tokens.js';

const shape = (sql: string) => readSqlTokens(sql).map((t) => [t.kind, t.value]);

describe('readSqlTokens (mutation cases)', () => {
  it('keeps a doubled [ inside a bracketed name, and reads an unterminated quoted name to the end', () => {
    expect(shape('[a[[b] "c""d')).toEqual([['quoted', 'a[[b'], ['quoted', 'c"d']]);
  });

  it('reads x or X right before a string as a blob, and any other word as a word', () => {
    expect(shape("x'0A' X'0b' n'c' SELECT x")).toEqual([
      ['blob', '0a'], ['blob', '0b'], ['word', 'n'], ['string', 'c'], ['word', 'select'], ['word', 'x'],
    ]);
  });

  it('gives a blob the offsets of x through its closing quote and counts the lines inside it', () => {
    expect(readSqlTokens("x'0\nA' y\nz", 5).map((t) => [t.kind, t.value, t.start, t.end, t.line])).toEqual([
      ['blob', '0\na', 0, 6, 5], ['word', 'y', 7, 8, 6], ['word', 'z', 9, 10, 7],
    ]);
  });

  it('reads an unterminated blob to the end', () => {
    expect(shape("SELECT x'0A")).toEqual([['word', 'select'], ['blob', '0a']]);
  });

  it('calls a word a number exactly when it starts with a digit', () => {
    expect(shape('0 9 0x1F $a _b')).toEqual([['number', '0'], ['number', '9'], ['number', '0x1f'], ['word', '$a'], ['word', '_b']]);
  });
});

describe('isIdentifierToken (mutation cases)', () => {
  it('is false past the last token', () => {
    expect(isIdentifierToken(undefined)).toBe(false);
    expect(readSqlTokens('a "b" \'c\'').map(isIdentifierToken)).toEqual([true, true, false]);
  });
});
