// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// splitter tests.
import { describe, expect, it } from 'vitest';
import { splitDrizzle, splitStatements, tokenize } from '../../src/replay/split.js';

const shape = (sql: string) => tokenize(sql).map((t) => [t.kind, t.text]);

describe('tokenize (mutation cases)', () => {
  it('reads A–Z, a–z, 0–9, _, $ and every character from U+0080 as name characters, and nothing else', () => {
    expect(shape('aZ09_$\u0080 z{Z|0}9~\u007f')).toEqual([
      ['word', 'aZ09_$\u0080'], ['space', ' '], ['word', 'z'], ['punct', '{'], ['word', 'Z'], ['punct', '|'], ['word', '0'],
      ['punct', '}'], ['word', '9'], ['punct', '~'], ['punct', '\u007f'],
    ]);
  });

  it('joins only quoted names written with the same quote, never brackets or other tokens', () => {
    expect(shape('"a""b" `c``d` "e"`f` [g][h] x"y" ((;;')).toEqual([
      ['quoted', '"a""b"'], ['space', ' '], ['quoted', '`c``d`'], ['space', ' '], ['quoted', '"e"'], ['quoted', '`f`'],
      ['space', ' '], ['quoted', '[g]'], ['quoted', '[h]'], ['space', ' '], ['word', 'x'], ['quoted', '"y"'], ['space', ' '],
      ['punct', '('], ['punct', '('], ['semi', ';'], ['semi', ';'],
    ]);
  });
});

describe('splitStatements (mutation cases)', () => {
  it('counts a newline at the very start of the text as a line', () => {
    expect(splitStatements('\nSELECT 1;').statements.map((s) => s.line)).toEqual([2]);
  });

  it('gives a statement starting at the last character of a line that line', () => {
    expect(splitStatements('SELECT 1;X\nSELECT 2;').statements.map((s) => [s.line, s.sql])).toEqual([
      [1, 'SELECT 1;'],
      [1, 'X\nSELECT 2;'],
    ]);
  });
});

describe('splitDrizzle (mutation cases)', () => {
  it('keeps the last character of a file without breakpoints', () => {
    expect(splitDrizzle('CREATE TABLE a (x);').statements.map((s) => s.sql)).toEqual(['CREATE TABLE a (x);']);
  });

  it('reads a file that starts with a breakpoint once, to its end', () => {
    const text = '--> statement-breakpoint\nCREATE TABLE a (x);\n--> statement-breakpoint\nCREATE TABLE b (y);';
    expect(splitDrizzle(text).statements.map((s) => [s.line, s.sql])).toEqual([
      [2, 'CREATE TABLE a (x);'],
      [4, 'CREATE TABLE b (y);'],
    ]);
  });
});
