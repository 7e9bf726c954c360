/**
 * Reads a database's schema back from SQLite itself (sqlite_master + pragmas), never from the SQL text,
 * so the model is exactly what SQLite would hold.
 */
import type Database from 'better-sqlite3';
import type { Column, ForeignKey, Index, Schema, Table } from '../schema/model.js';
import { setEntry } from '../schema/model.js';
import { readSqlTokens } from './sql-tokens.js';

export interface TableListRow {
  schema: string;
  name: string;
  type: 'table' | 'view' | 'shadow' | 'virtual';
  wr: number;
  strict: number;
}
export interface XInfoRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}
export interface IndexListRow {
  name: string;
  unique: number;
  origin: 'c' | 'u' | 'pk';
  partial: number;
}
export interface IndexXInfoRow {
  seqno: number;
  cid: number;
  name: string | null;
  key: number;
}
export interface FkRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}
export interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The WHERE clause of a partial index, from its CREATE INDEX text (SQLite keeps no parsed form): what follows the first
 * WHERE keyword, read with the splitter's tokens so a name or string spelling `where` is not taken for it.
 */
function partialWhere(sql: string | null): string | null {
  if (sql === null) return null;
  const where = readSqlTokens(sql).find((t) => t.kind === 'word' && t.value === 'where');
  return where ? sql.slice(where.end).trim() : null;
}

/** One table read back through the pragmas; `sqlOf('table:x' | 'index:y')` gives sqlite_master's text. */
export function extractTable(db: Database.Database, t: TableListRow, sqlOf: (key: string) => string | null | undefined): Table {
  const columns: Column[] = (db.prepare(`PRAGMA main.table_xinfo(${q(t.name)})`).all() as XInfoRow[])
    .filter((c) => c.hidden !== 1) // 1 = hidden column of a virtual table
    .map((c) => ({
      name: c.name,
      type: c.type,
      notNull: c.notnull === 1,
      default: c.dflt_value,
      pk: c.pk,
      generated: c.hidden === 2 ? 'virtual' : c.hidden === 3 ? 'stored' : null,
    }));
  // A virtual table has no indexes and no foreign keys: both pragmas give it no rows.
  const indexes: Index[] = [];
  for (const ix of db.prepare(`PRAGMA main.index_list(${q(t.name)})`).all() as IndexListRow[]) {
    const sql = sqlOf(`index:${ix.name}`) ?? null;
    if (ix.name.startsWith('sqlite_autoindex_')) continue;
    const cols = (db.prepare(`PRAGMA main.index_xinfo(${q(ix.name)})`).all() as IndexXInfoRow[])
      .filter((c) => c.key === 1)
      // A key column has a name unless it is an expression (cid -2): SQLite refuses to index `rowid` itself and
      // records an INTEGER PRIMARY KEY by its column, so cid -1 (the rowid) only appears among the non-key columns.
      .map((c) => c.name ?? '<expr>');
    indexes.push({
      name: ix.name,
      table: t.name,
      unique: ix.unique === 1,
      origin: ix.origin,
      columns: cols,
      where: ix.partial ? partialWhere(sql) : null,
      sql,
    });
  }
  indexes.sort((a, b) => (a.name < b.name ? -1 : 1)); // never equal: indexes share one namespace
  const fkRows = db.prepare(`PRAGMA main.foreign_key_list(${q(t.name)})`).all() as FkRow[];
  // The pragma lists each key's columns in `seq` order.
  const byId = new Map<number, FkRow[]>();
  for (const r of fkRows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const foreignKeys: ForeignKey[] = [...byId.values()].map((rows) => ({
    from: rows.map((r) => r.from),
    table: rows[0].table,
    // `to` is null for every column of a key that names no parent columns (the parent's primary key), else for none.
    to: rows.flatMap((r) => (r.to === null ? [] : [r.to])),
    onDelete: rows[0].on_delete,
    onUpdate: rows[0].on_update,
  }));
  return {
    name: t.name,
    kind: t.type === 'virtual' ? 'virtual' : 'table',
    strict: t.strict === 1,
    withoutRowid: t.wr === 1,
    columns,
    indexes,
    foreignKeys,
    sql: sqlOf(`table:${t.name}`) ?? null,
  };
}

/** The main schema's tables, views and virtual tables in SQLite's order (sqlite_% internals included). */
export function readTableList(db: Database.Database): TableListRow[] {
  return db.prepare(`SELECT * FROM pragma_table_list WHERE schema = 'main'`).all() as TableListRow[];
}

export function extractSchema(db: Database.Database): Schema {
  const master = db.prepare(`SELECT type, name, tbl_name, sql FROM main.sqlite_master`).all() as MasterRow[];
  const sqlOf = new Map(master.map((r) => [`${r.type}:${r.name}`, r.sql]));
  const schema: Schema = { tables: {}, views: {}, triggers: {} };

  for (const t of readTableList(db)) {
    if (t.name.startsWith('sqlite_')) continue;
    if (t.type === 'view') {
      setEntry(schema.views, t.name, { name: t.name, sql: sqlOf.get(`view:${t.name}`) ?? null });
      continue;
    }
    if (t.type === 'shadow') continue; // fts5 & co. internals: not the user's tables
    setEntry(schema.tables, t.name, extractTable(db, t, (key) => sqlOf.get(key)));
  }
  for (const r of master) {
    if (r.type === 'trigger') setEntry(schema.triggers, r.name, { name: r.name, table: r.tbl_name, sql: r.sql });
  }
  return schema;
}
