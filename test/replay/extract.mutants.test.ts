// What extractSchema reads back from SQLite, field by field, for the shapes a migration can give a table: partial and
// expression indexes, index order, composite and implicit foreign keys, virtual tables with hidden columns, quoted
// names. The incremental extraction is checked against extractSchema, so these pin extractSchema itself.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractSchema } from '../../src/replay/extract.js';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => db.close());

const table = (name: string) => extractSchema(db).tables[name];

describe('extractSchema: indexes', () => {
  it('reads the key columns of plain, multi-column and expression indexes, without the rowid', () => {
    db.exec(`CREATE TABLE t (a, b, c, d);
             CREATE INDEX t_c ON t (c);
             CREATE INDEX t_b_d ON t (b, d);
             CREATE INDEX t_expr ON t (lower(a), d);`);
    expect(table('t').indexes.map((ix) => [ix.name, ix.columns])).toEqual([
      ['t_b_d', ['b', 'd']],
      ['t_c', ['c']],
      ['t_expr', ['<expr>', 'd']],
    ]);
  });

  it('reads an index on an INTEGER PRIMARY KEY by its column name', () => {
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, q); CREATE INDEX t_id_q ON t (id, q);`);
    expect(table('t').indexes[0].columns).toEqual(['id', 'q']);
  });

  it('lists indexes sorted by name, whatever order they were created in', () => {
    db.exec(`CREATE TABLE t (a, b, c, d, e);
             CREATE INDEX ix_c ON t (c); CREATE INDEX ix_a ON t (a); CREATE INDEX ix_e ON t (e);
             CREATE INDEX ix_b ON t (b); CREATE INDEX ix_d ON t (d);`);
    expect(table('t').indexes.map((ix) => ix.name)).toEqual(['ix_a', 'ix_b', 'ix_c', 'ix_d', 'ix_e']);
  });

  it('tells unique from plain indexes', () => {
    db.exec(`CREATE TABLE t (a, b); CREATE UNIQUE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b);`);
    expect(table('t').indexes.map((ix) => [ix.name, ix.unique])).toEqual([
      ['t_a', true],
      ['t_b', false],
    ]);
  });

  it("reads a partial index's WHERE clause, trimmed, and none for a full index", () => {
    db.exec(`CREATE TABLE t (a, b);
             CREATE INDEX t_live ON t (a) WHERE b IS NOT NULL
               AND a > 0  ;
             CREATE INDEX t_all ON t (b);`);
    const [all, live] = table('t').indexes;
    expect(live.where).toBe('b IS NOT NULL\n               AND a > 0');
    expect(all.where).toBeNull();
  });

  it('finds the WHERE keyword, not a name or string that spells it', () => {
    db.exec(`CREATE TABLE t ("where", b);
             CREATE INDEX "where" ON t ("where") WHERE "where" > 'WHERE';`);
    expect(table('t').indexes[0].where).toBe(`"where" > 'WHERE'`);
  });

  it('omits the auto-indexes of UNIQUE and PRIMARY KEY constraints', () => {
    db.exec(`CREATE TABLE t (a TEXT PRIMARY KEY, b UNIQUE);`);
    expect(table('t').indexes).toEqual([]);
  });
});

describe('extractSchema: foreign keys', () => {
  it('reads composite keys column by column, with explicit and implicit parent columns', () => {
    db.exec(`CREATE TABLE p (x, y, PRIMARY KEY (x, y));
             CREATE TABLE ch (u, v, w,
               FOREIGN KEY (w, u) REFERENCES p (y, x) ON DELETE CASCADE,
               FOREIGN KEY (u, v) REFERENCES p ON UPDATE SET NULL);`);
    const keys = table('ch').foreignKeys;
    expect(keys).toHaveLength(2);
    expect(keys).toContainEqual({ from: ['w', 'u'], table: 'p', to: ['y', 'x'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' });
    expect(keys).toContainEqual({ from: ['u', 'v'], table: 'p', to: [], onDelete: 'NO ACTION', onUpdate: 'SET NULL' });
  });
});

describe('extractSchema: table kinds and names', () => {
  it('reads a virtual table without its hidden columns, indexes or foreign keys', () => {
    db.exec(`CREATE VIRTUAL TABLE docs USING fts5(body, title);`);
    const docs = table('docs');
    expect(docs.kind).toBe('virtual');
    expect(docs.columns.map((c) => c.name)).toEqual(['body', 'title']);
    expect(docs.indexes).toEqual([]);
    expect(docs.foreignKeys).toEqual([]);
    // Its shadow tables (docs_data, docs_config …) are fts5's, not the user's.
    expect(Object.keys(extractSchema(db).tables)).toEqual(['docs']);
  });

  it("reads an ordinary table as kind 'table'", () => {
    db.exec(`CREATE TABLE t (a);`);
    expect(table('t').kind).toBe('table');
  });

  it('reads a table whose name holds a double quote', () => {
    db.exec(`CREATE TABLE "odd""name" (a INTEGER NOT NULL, b);  CREATE INDEX "odd""ix" ON "odd""name" (b);`);
    const odd = table('odd"name');
    expect(odd.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(odd.indexes.map((ix) => [ix.name, ix.columns])).toEqual([['odd"ix', ['b']]]);
  });
});
