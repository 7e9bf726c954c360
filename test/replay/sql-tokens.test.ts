import { describe, expect, it } from 'vitest';
import { readSqlTokens } from '../../src/replay/sql-tokens.js';

const shape = (sql: string, firstLine?: number) => readSqlTokens(sql, firstLine).map((t) => [t.kind, t.value, t.line]);

describe('readSqlTokens (the splitter tokenizer, with meaning)', () => {
  it('reads words, quoted names, strings, blobs, numbers and punctuation, skipping comments', () => {
    expect(shape(`CREATE TABLE "Us""ers" ([Order] INT, \`Note\` TEXT DEFAULT 'it''s', b BLOB DEFAULT X'0A', n REAL DEFAULT 1e5); -- done`)).toEqual([
      ['word', 'create', 1], ['word', 'table', 1], ['quoted', 'us"ers', 1], ['punct', '(', 1], ['quoted', 'order', 1], ['word', 'int', 1],
      ['punct', ',', 1], ['quoted', 'note', 1], ['word', 'text', 1], ['word', 'default', 1], ['string', "it's", 1], ['punct', ',', 1],
      ['word', 'b', 1], ['word', 'blob', 1], ['word', 'default', 1], ['blob', '0a', 1], ['punct', ',', 1], ['word', 'n', 1],
      ['word', 'real', 1], ['word', 'default', 1], ['number', '1e5', 1], ['punct', ')', 1], ['punct', ';', 1],
    ]);
  });

  it('reads non-ASCII characters as part of a name, as SQLite does', () => {
    expect(shape('SELECT endé, 日本, naïve€ FROM t')).toEqual([
      ['word', 'select', 1], ['word', 'endé', 1], ['punct', ',', 1], ['word', '日本', 1], ['punct', ',', 1], ['word', 'naïve€', 1],
      ['word', 'from', 1], ['word', 't', 1],
    ]);
  });

  it('counts lines across comments, strings and names spanning lines, from the first line given', () => {
    expect(shape("/* a\nb */ SELECT 'x\ny',\n\"c\nd\" -- e\n;", 10)).toEqual([
      ['word', 'select', 11], ['string', 'x\ny', 11], ['punct', ',', 12], ['quoted', 'c\nd', 13], ['punct', ';', 15],
    ]);
  });

  it('keeps offsets of the source and reads an unterminated string to the end', () => {
    const tokens = readSqlTokens("x = 'abc");
    expect(tokens.map((t) => [t.kind, t.value, t.start, t.end])).toEqual([['word', 'x', 0, 1], ['punct', '=', 2, 3], ['string', 'abc', 4, 8]]);
  });
});
