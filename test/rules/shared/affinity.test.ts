// affinityOf against SQLite itself: what SQLite stores for the same values in a column of each declared type.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { affinityOf, narrows } from '../../../src/rules/shared/affinity.js';

// The examples of https://sqlite.org/datatype3.html §3.1.1, the empty type, and the order quirks of the rules.
const DECLARED = ['INT', 'INTEGER', 'TINYINT', 'UNSIGNED BIG INT', 'INT8', 'CHARACTER(20)', 'VARCHAR(255)', 'NCHAR(55)', 'TEXT', 'CLOB', 'BLOB', '', ' ', 'REAL', 'DOUBLE', 'DOUBLE PRECISION', 'FLOAT', 'NUMERIC', 'DECIMAL(10,5)', 'BOOLEAN', 'DATE', 'DATETIME', 'FLOATING POINT', 'STRING', 'CHARINT', 'real', 'text'];

/** The affinity SQLite gives the column, told apart by how it stores text '7', integer 5 and text '1e0'. */
function sqliteAffinity(db: Database.Database, declared: string): string {
  db.exec(`DROP TABLE IF EXISTS t; CREATE TABLE t (c ${declared});`);
  const insert = db.prepare('INSERT INTO t (c) VALUES (?)');
  for (const v of ['7', 5n, '1e0']) insert.run(v); // 5n: better-sqlite3 binds a plain number as a float
  const types = (db.prepare('SELECT typeof(c) AS t FROM t ORDER BY rowid').all() as { t: string }[]).map((r) => r.t).join(',');
  // INTEGER and NUMERIC store alike (they differ only in CAST), so both read as INTEGER|NUMERIC here.
  return { 'integer,integer,integer': 'INTEGER|NUMERIC', 'real,real,real': 'REAL', 'text,text,text': 'TEXT', 'text,integer,text': 'BLOB' }[types] ?? types;
}

describe('affinityOf', () => {
  it('gives the affinity SQLite gives, for the documented examples and the rule-order quirks', () => {
    const db = new Database(':memory:');
    try {
      for (const declared of DECLARED) {
        const ours = affinityOf(declared);
        expect({ declared, affinity: ours === 'INTEGER' || ours === 'NUMERIC' ? 'INTEGER|NUMERIC' : ours }).toEqual({ declared, affinity: sqliteAffinity(db, declared) });
      }
    } finally {
      db.close();
    }
  });

  it('tells INTEGER from NUMERIC as the documentation does (they differ in CAST)', () => {
    expect(['INT', 'BIGINT', 'FLOATING POINT'].map(affinityOf)).toEqual(['INTEGER', 'INTEGER', 'INTEGER']);
    expect(['NUMERIC', 'DECIMAL(10,5)', 'BOOLEAN', 'DATETIME', 'STRING'].map(affinityOf)).toEqual(['NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC', 'NUMERIC']);
  });
});

describe('narrows', () => {
  it('is true where copying rows can change stored values, false where values stay', () => {
    expect(narrows('TEXT', 'INTEGER')).toBe(true);
    expect(narrows('', 'NUMERIC')).toBe(true);
    expect(narrows('INTEGER', 'REAL')).toBe(true);
    expect(narrows('DECIMAL(10,2)', 'DOUBLE')).toBe(true);
    expect(narrows('INTEGER', 'TEXT')).toBe(false);
    expect(narrows('REAL', 'INTEGER')).toBe(false);
    expect(narrows('VARCHAR(10)', 'TEXT')).toBe(false);
    expect(narrows('REAL', 'FLOAT')).toBe(false);
  });

  it('is true from text to REAL, and false between text and untyped columns, both ways (neither converts text)', () => {
    expect(narrows('VARCHAR(20)', 'REAL')).toBe(true);
    expect(narrows('TEXT', '')).toBe(false);
    expect(narrows('', 'TEXT')).toBe(false);
    expect(narrows('BLOB', 'CLOB')).toBe(false);
  });
});
