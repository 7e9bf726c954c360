/**
 * The schema model: what SQLite itself reports after a replay (sqlite_master + pragmas), as plain JSON data.
 * Produced only by `src/replay/extract.ts`; everything else reads it.
 */

export interface Column {
  name: string;
  /** Declared type as written (upper-cased by SQLite's pragma), '' when none. */
  type: string;
  notNull: boolean;
  /** Default expression as SQLite stores it (e.g. `'free'`, `0`, `CURRENT_TIMESTAMP`), null when none. */
  default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
  /** Generated column kind, from `pragma table_xinfo(...).hidden` (2 = virtual, 3 = stored). */
  generated: 'virtual' | 'stored' | null;
}

export interface Index {
  name: string;
  table: string;
  unique: boolean;
  /** 'c' = CREATE INDEX, 'u' = UNIQUE constraint, 'pk' = PRIMARY KEY constraint. Auto-indexes (sqlite_autoindex_*) are omitted. */
  origin: 'c' | 'u' | 'pk';
  /** Key columns in order; an expression key is rendered as `<expr>`. */
  columns: string[];
  /** The partial-index WHERE clause text, null when the index is not partial. */
  where: string | null;
  sql: string | null;
}

export interface ForeignKey {
  /** Child columns in this table. */
  from: string[];
  /** Parent table. */
  table: string;
  /** Parent columns; empty when the FK references the parent's primary key implicitly. */
  to: string[];
  onDelete: string; // 'NO ACTION' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT'
  onUpdate: string;
}

export interface Table {
  name: string;
  /** 'virtual' for CREATE VIRTUAL TABLE (fts5 …); shadow tables of virtual tables are not listed at all. */
  kind: 'table' | 'virtual';
  strict: boolean;
  withoutRowid: boolean;
  columns: Column[];
  /** Sorted by name. */
  indexes: Index[];
  foreignKeys: ForeignKey[];
  sql: string | null;
}

export interface View {
  name: string;
  sql: string | null;
}

export interface Trigger {
  name: string;
  table: string;
  sql: string | null;
}

/** One database's schema. Every record is keyed by object name; names are as SQLite stores them. */
export interface Schema {
  tables: Record<string, Table>;
  views: Record<string, View>;
  triggers: Record<string, Trigger>;
}

export const emptySchema = (): Schema => ({ tables: {}, views: {}, triggers: {} });

/**
 * Sets a record entry as an own property. Names come from hostile SQL: `record[name] = value` with a table named
 * `__proto__` would set the object's prototype instead, and the table would silently vanish from the review.
 */
export function setEntry<T>(record: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}
