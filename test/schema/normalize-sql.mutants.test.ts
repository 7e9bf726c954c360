import { describe, expect, it } from 'vitest';
import { normalizeSql, sqlTokens } from '../../src/schema/normalize-sql.js';

describe('normalizeSql', () => {
  it('keeps literals verbatim, quotes names lower-cased and punctuation as is', () => {
    expect(sqlTokens(`SELECT "A""b", 'It''s', x'AB', 1 FROM t`)).toEqual([
      '"select"',
      '"a""b"',
      ',',
      `'It''s'`,
      ',',
      "x'ab'",
      ',',
      '1',
      '"from"',
      '"t"',
    ]);
  });

  it('tells a string from a name and a blob from a string', () => {
    expect(normalizeSql(`'a'`)).not.toBe(normalizeSql('a'));
    expect(normalizeSql(`x'61'`)).not.toBe(normalizeSql(`'61'`));
  });

  it('joins tokens with one space and gives the empty string for no SQL', () => {
    expect(normalizeSql('a  b')).toBe('"a" "b"');
    expect(normalizeSql(null)).toBe('');
  });
});
