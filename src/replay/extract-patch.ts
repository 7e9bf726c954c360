/**
 * Incremental schema extraction: after appended migrations ran on a database whose schema is already known, read back
 * only the tables whose definition may have changed, and let the parent share every other Table object.
 *
 * A Table (see extract.ts, which this mirrors table for table) is a function of its own `CREATE TABLE` text and of its
 * indexes' rows in sqlite_master: columns, foreign keys, STRICT / WITHOUT ROWID and the index pragmas are all parsed
 * from that text by SQLite. ADD / DROP / RENAME COLUMN and RENAME TO rewrite the text of every table they affect, so a
 * table whose text and index rows are unchanged reads back exactly as before. Views and triggers are cheap (one
 * sqlite_master row each) and are always sent in full.
 */
import type Database from 'better-sqlite3';
import type { Schema, Table, Trigger, View } from '../schema/model.js';
import { extractTable as readTable, readTableList, type MasterRow, type TableListRow } from './extract.js';
import { setEntry } from '../schema/model.js';

export type { MasterRow };

/** sqlite_master as it stood, by `type:name`: what every table's definition was made of. */
export type DefinitionState = Map<string, MasterRow>;

/** A schema as a change of the previous one: tables not in `tables` are unchanged (the same object is reused). */
export interface SchemaPatch {
  /** Every table, in SQLite's order (the order extractSchema gives). */
  order: string[];
  /** Tables that are new or whose definition changed, read back in full. */
  tables: Record<string, Table>;
  views: Record<string, View>;
  triggers: Record<string, Trigger>;
}


function byKey(master: MasterRow[]): DefinitionState {
  return new Map(master.map((r) => [`${r.type}:${r.name}`, r]));
}

/** Tables (lower-cased names) whose own row or any of whose indexes' rows is new, changed or gone since `before`. */
function changedTables(before: DefinitionState, now: DefinitionState): Set<string> {
  const changed = new Set<string>();
  for (const [key, row] of now) {
    const old = before.get(key);
    // Same text, same table: RENAME TO rewrites the text (`ON "new"`) or the name (sqlite_autoindex_<table>_N) of
    // every row it moves, even under legacy_alter_table, so tbl_name needs no comparison of its own.
    if (old && old.sql === row.sql) continue;
    if (row.type === 'table') changed.add(row.name.toLowerCase());
    else if (row.type === 'index') {
      changed.add(row.tbl_name.toLowerCase());
      if (old) changed.add(old.tbl_name.toLowerCase());
    }
  }
  for (const [key, old] of before) if (old.type === 'index' && !now.has(key)) changed.add(old.tbl_name.toLowerCase());
  return changed;
}

function readMaster(db: Database.Database): MasterRow[] {
  return db.prepare(`SELECT type, name, tbl_name, sql FROM main.sqlite_master`).all() as MasterRow[];
}

/** The definitions as they stand now (the "before" of the next extractPatch). */
export function definitionState(db: Database.Database): DefinitionState {
  return byKey(readMaster(db));
}

function extractTable(db: Database.Database, t: TableListRow, rows: DefinitionState): Table {
  return readTable(db, t, (key) => rows.get(key)?.sql);
}

/**
 * The schema now, as a patch against the schema that `before` described (an empty state: against the empty schema).
 * Returns the new state too, for the next segment.
 */
export function extractPatch(db: Database.Database, before: DefinitionState): { patch: SchemaPatch; state: DefinitionState } {
  const master = readMaster(db);
  const state = byKey(master);
  const changed = changedTables(before, state);
  const sqlOf = { get: (key: string) => state.get(key)?.sql };
  const patch: SchemaPatch = { order: [], tables: {}, views: {}, triggers: {} };
  const list = readTableList(db);
  for (const t of list) {
    if (t.name.startsWith('sqlite_')) continue;
    if (t.type === 'view') {
      setEntry(patch.views, t.name, { name: t.name, sql: sqlOf.get(`view:${t.name}`) ?? null });
      continue;
    }
    if (t.type === 'shadow') continue;
    patch.order.push(t.name);
    // A new table's own row is new, so it is in `changed` too.
    if (changed.has(t.name.toLowerCase())) setEntry(patch.tables, t.name, extractTable(db, t, state));
  }
  for (const r of master) {
    if (r.type === 'trigger') setEntry(patch.triggers, r.name, { name: r.name, table: r.tbl_name, sql: r.sql });
  }
  return { patch, state };
}

/**
 * The schema a patch describes, sharing unchanged Table objects with `previous` (schemas are read-only).
 * Throws when the patch names an unchanged table `previous` lacks: the two sides disagree about the base.
 */
export function applyPatch(previous: Schema, patch: SchemaPatch): Schema {
  const tables: Record<string, Table> = {};
  for (const name of patch.order) {
    const table = Object.hasOwn(patch.tables, name)
      ? patch.tables[name]
      : Object.hasOwn(previous.tables, name)
        ? previous.tables[name]
        : undefined;
    if (!table) throw new Error(`schema patch: table ${name} is neither sent nor known`);
    setEntry(tables, name, table);
  }
  return { tables, views: patch.views, triggers: patch.triggers };
}
