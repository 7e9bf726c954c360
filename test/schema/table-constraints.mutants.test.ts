import { describe, expect, it } from 'vitest';
import { tableConstraints, type TableConstraints } from '../../src/schema/table-constraints.js';

const none = (): TableConstraints => ({ unique: [], checks: [], collations: new Map() });
const uniques = (sql: string) => tableConstraints(sql).unique.map((u) => u.text);
const checks = (sql: string) => tableConstraints(sql).checks.map((c) => c.text);

describe('tableConstraints', () => {
  it('reads column and table UNIQUE, CHECK and COLLATE with their comparison keys', () => {
    const sql =
      `CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT COLLATE NOCASE, ` +
      `plan TEXT CHECK (plan IN ('free', 'pro')), UNIQUE (a, b DESC), CHECK (x > 0))`;
    expect(tableConstraints(sql)).toEqual({
      unique: [
        { key: 'unique("email")', text: 'UNIQUE (email)' },
        { key: 'unique("a" "b")', text: 'UNIQUE (a, b)' },
      ],
      checks: [
        { key: `"check" ( "plan" "in" ( 'free' , 'pro' ) )`, text: `CHECK (plan IN ('free', 'pro'))` },
        { key: `"check" ( "x" > 0 )`, text: 'CHECK (x > 0)' },
      ],
      collations: new Map([['name', 'NOCASE']]),
    });
  });

  it('gives nothing for no SQL, a virtual table, a table without a column list or an empty list', () => {
    expect(tableConstraints(null)).toEqual(none());
    expect(tableConstraints('CREATE VIRTUAL TABLE v USING m(create table, c UNIQUE)')).toEqual(none());
    expect(tableConstraints('CREATE TABLE t AS SELECT 1')).toEqual(none());
    expect(tableConstraints('CREATE TABLE t ()')).toEqual(none());
  });

  it('accepts leading whitespace and any whitespace between CREATE and TABLE', () => {
    expect(uniques('\n  create \n TABLE t (a UNIQUE)')).toEqual(['UNIQUE (a)']);
  });

  it('maps base names through the mapper in keys only', () => {
    const mapped = tableConstraints('CREATE TABLE t (old UNIQUE)', (name) => (name === 'old' ? 'new' : undefined));
    expect(mapped.unique).toEqual([{ key: 'unique("new")', text: 'UNIQUE (old)' }]);
  });

  it('names only the columns of a UNIQUE list: no ASC/DESC, COLLATE or collation, but quoted keywords', () => {
    expect(uniques('CREATE TABLE t (a, b, c, UNIQUE (a COLLATE nocase DESC, b ASC, "desc"))')).toEqual([
      'UNIQUE (a, b, "desc")',
    ]);
    expect(tableConstraints('CREATE TABLE t (a, UNIQUE (a COLLATE nocase))').unique[0].key).toBe('unique("a")');
  });

  it('ends a UNIQUE list at its parenthesis and reads a constraint that follows without a comma', () => {
    expect(tableConstraints('CREATE TABLE t (a, UNIQUE (a) ON CONFLICT REPLACE CHECK (a > 0))')).toEqual({
      ...none(),
      unique: [{ key: 'unique("a")', text: 'UNIQUE (a)' }],
      checks: [{ key: `"check" ( "a" > 0 )`, text: 'CHECK (a > 0)' }],
    });
    expect(checks('CREATE TABLE t (a, UNIQUE (a) CHECK (a > 0))')).toEqual(['CHECK (a > 0)']);
  });

  it('reads what follows a CHECK, a DEFAULT expression or a typed column', () => {
    const sql =
      'CREATE TABLE t (a INT CHECK (a > 0) UNIQUE, b NUMERIC(10) CHECK (b > 0) UNIQUE, ' +
      'c INT DEFAULT (1) UNIQUE, d NUMERIC(10) DEFAULT (1) UNIQUE, e INT DEFAULT -1 UNIQUE)';
    expect(uniques(sql)).toEqual(['UNIQUE (a)', 'UNIQUE (b)', 'UNIQUE (c)', 'UNIQUE (d)', 'UNIQUE (e)']);
    expect(checks(sql)).toEqual(['CHECK (a > 0)', 'CHECK (b > 0)']);
  });

  it('ignores parentheses and commas inside string literals', () => {
    const sql = `CREATE TABLE t (a TEXT CHECK (a <> ')') UNIQUE, b TEXT CHECK (b <> '(') UNIQUE, c TEXT DEFAULT ',' UNIQUE)`;
    expect(uniques(sql)).toEqual(['UNIQUE (a)', 'UNIQUE (b)', 'UNIQUE (c)']);
    expect(checks(sql)).toEqual([`CHECK (a <> ')')`, `CHECK (b <> '(')`]);
  });

  it('splits columns only at top-level commas', () => {
    const sql = 'CREATE TABLE t (a NUMERIC(10, 2) UNIQUE, b TEXT CHECK (b IN (1, 2)), c INT UNIQUE)';
    expect(uniques(sql)).toEqual(['UNIQUE (a)', 'UNIQUE (c)']);
    expect(checks(sql)).toEqual(['CHECK (b IN (1, 2))']);
  });

  it('finds the column list after a schema-qualified table name', () => {
    expect(uniques('CREATE TABLE main.t (a UNIQUE, b)')).toEqual(['UNIQUE (a)']);
  });

  it('treats a quoted keyword as a column name', () => {
    expect(uniques('CREATE TABLE t ("unique" TEXT UNIQUE, "check" INT)')).toEqual(['UNIQUE ("unique")']);
  });

  it('takes no collation from a DEFAULT or generated expression', () => {
    const sql = `CREATE TABLE t (a TEXT DEFAULT ('x' COLLATE nocase), b TEXT AS (a COLLATE rtrim), c TEXT COLLATE binary)`;
    expect(tableConstraints(sql).collations).toEqual(new Map([['c', 'binary']]));
  });

  it('shows a CHECK with its whitespace collapsed and cuts a long one', () => {
    expect(checks('CREATE TABLE t (a INT CHECK (a  >\n   0))')).toEqual(['CHECK (a > 0)']);
    const body = `a IN (${Array.from({ length: 40 }, (_, i) => i + 100).join(', ')})`;
    const [long] = checks(`CREATE TABLE t (a INT CHECK (${body}))`);
    expect(long).toHaveLength(120);
    expect(long).toBe(`CHECK (${body}`.slice(0, 119) + '…');
    // exactly 120 characters is shown whole
    const exact = `CHECK (a = '${'x'.repeat(120 - 'CHECK (a = \'\')'.length)}')`;
    expect(exact).toHaveLength(120);
    expect(checks(`CREATE TABLE t (a TEXT ${exact})`)).toEqual([exact]);
  });
});
