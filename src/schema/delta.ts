/** The base → head difference of one database's schema, exactly as the JSON contract (schemaVersion 1) spells it. */

export interface Rename {
  from: string;
  to: string;
}

export interface ColumnChange {
  column: string;
  /** Short readable strings: `type TEXT → INTEGER`, `NOT NULL added`, `default 'free' → 'pro'`, `primary key removed`. */
  changes: string[];
}

export interface TableDelta {
  /** The table's name on head. */
  table: string;
  columnsAdded: string[];
  columnsDropped: string[];
  columnsRenamed: Rename[];
  columnsChanged: ColumnChange[];
  indexesAdded: string[];
  indexesDropped: string[];
  /** Rendered as `(tenant_id) → tenants(id) ON DELETE CASCADE`. */
  foreignKeysAdded: string[];
  foreignKeysDropped: string[];
  /**
   * Table-level changes that belong to no column: `STRICT added`, `WITHOUT ROWID removed`,
   * `ordinary table → virtual table`. Added after schemaVersion 1 was drafted, hence optional; diffSchemas always sets it.
   */
  changes?: string[];
}

export interface SchemaDelta {
  tablesAdded: string[];
  tablesDropped: string[];
  tablesRenamed: Rename[];
  tablesChanged: TableDelta[];
  viewsAdded: string[];
  viewsDropped: string[];
  viewsChanged: string[];
  triggersAdded: string[];
  triggersDropped: string[];
  triggersChanged: string[];
}

export const emptyDelta = (): SchemaDelta => ({
  tablesAdded: [],
  tablesDropped: [],
  tablesRenamed: [],
  tablesChanged: [],
  viewsAdded: [],
  viewsDropped: [],
  viewsChanged: [],
  triggersAdded: [],
  triggersDropped: [],
  triggersChanged: [],
});

/** No table, view or trigger changed. */
export function isDeltaEmpty(delta: SchemaDelta): boolean {
  return Object.values(delta).every((value) => value.length === 0); // every field is a list
}
