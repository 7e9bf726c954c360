// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant of
// src/rules/shared/unique-constraints.ts that survived the tests of the rules using it. Every statement is one SQLite
// accepts (checked against better-sqlite3, which stores the text as given).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uniqueKeys } from '../../../src/rules/shared/unique-constraints.js';

/** The CREATE TABLE text SQLite stores for `sql`, so every case is one SQLite accepts. */
function stored(sql: string): string {
  const db = new Database(':memory:');
  try {
    db.exec(sql);
    return (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table'").get() as { sql: string }).sql;
  } finally {
    db.close();
  }
}

const keysOf = (sql: string) => uniqueKeys(stored(sql));

describe('uniqueKeys (mutation cases)', () => {
  it('has no keys without a statement', () => {
    expect(uniqueKeys(null)).toEqual([]);
    expect(uniqueKeys('')).toEqual([]);
  });

  it('reads a column UNIQUE and a table-level UNIQUE list, in order', () => {
    expect(keysOf('CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, a, b, UNIQUE (a, b))')).toEqual([['email'], ['a', 'b']]);
  });

  it('has no keys for a table without UNIQUE, even where the word is a name or a string', () => {
    expect(keysOf(`CREATE TABLE t (id INTEGER, a TEXT DEFAULT 'unique', "unique" TEXT, b INT CHECK (b IN (1, 2)), PRIMARY KEY (id, a))`)).toEqual([]);
  });

  it('reads a named table constraint and a named column constraint', () => {
    expect(keysOf('CREATE TABLE t (a, b TEXT CONSTRAINT b_u UNIQUE, CONSTRAINT ab_u UNIQUE (b, a))')).toEqual([['b'], ['b', 'a']]);
  });

  it('keeps the first name of each indexed column, not its collation or order', () => {
    expect(keysOf('CREATE TABLE t (a, b, UNIQUE (a COLLATE nocase, b DESC) ON CONFLICT REPLACE)')).toEqual([['a', 'b']]);
    expect(keysOf('CREATE TABLE t (a, b, UNIQUE ("a" COLLATE "nocase", [b] ASC))')).toEqual([['a', 'b']]);
  });

  it('lower-cases names given as strings, as SQLite takes them', () => {
    expect(keysOf("CREATE TABLE t ('Mail' TEXT UNIQUE, B, UNIQUE ('B'))")).toEqual([['mail'], ['b']]);
  });

  it('reads quoted names that spell keywords as the columns they are', () => {
    expect(keysOf('CREATE TABLE t ("constraint" TEXT UNIQUE, "unique" INT UNIQUE, "primary" TEXT UNIQUE, "check" TEXT)')).toEqual([
      ['constraint'],
      ['unique'],
      ['primary'],
    ]);
  });

  it('splits definitions only at top-level commas, and finds UNIQUE after a parenthesized constraint', () => {
    expect(keysOf("CREATE TABLE t (a INT CHECK (a IN (1, 2)) UNIQUE, b VARCHAR(10, 2) DEFAULT ('x,y') UNIQUE, c)")).toEqual([['a'], ['b']]);
  });

  it('reads the columns of one table-level UNIQUE only, not the definitions after it', () => {
    expect(keysOf('CREATE TABLE t (a, b, c, UNIQUE (a), CHECK (b > 0), FOREIGN KEY (c) REFERENCES t (a))')).toEqual([['a']]);
  });


  it('reads only punctuation as parentheses and commas, not names or strings that spell them', () => {
    expect(keysOf('CREATE TABLE "(" (a UNIQUE)')).toEqual([['a']]);
    expect(keysOf("CREATE TABLE t (a TEXT DEFAULT '(', b TEXT DEFAULT ')', c TEXT DEFAULT ',' UNIQUE, d UNIQUE)")).toEqual([['c'], ['d']]);
  });

  it('stops at the end of the column list: table options after it are no columns', () => {
    expect(keysOf('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, UNIQUE (a, b)) STRICT, WITHOUT ROWID')).toEqual([['a', 'b']]);
  });
});
