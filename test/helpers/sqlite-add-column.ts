// What SQLite itself says to an `ALTER TABLE … ADD COLUMN`, on an empty table and on one with a row: the reference
// the add-column-on-populated-table tests hold the rule to.
import Database from 'better-sqlite3';

/** Main's schema in the probes: `posts` gets the new column, `parents` is there to be referenced. */
export const PROBE_BASE = 'CREATE TABLE parents (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);';

/** SQLite's refusals on a populated table, by the rule's hazard (its message id for a table on main). */
export const REFUSALS: Record<string, string> = {
  'Cannot add a column with non-constant default': 'nonConstantDefault',
  'Cannot add a NOT NULL column with default value NULL': 'notNullWithoutDefault',
  'Cannot add a REFERENCES column with non-NULL default value': 'referencesWithDefault',
  'cannot add a STORED column': 'storedGenerated',
};

/** What SQLite (foreign keys on, as D1 and better-sqlite3 run) says to `ALTER TABLE posts ADD COLUMN <def>`: `ok` or its error. */
export function sqliteAddColumn(def: string, rows: boolean): string {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = ON');
    db.exec(PROBE_BASE);
    if (rows) db.exec("INSERT INTO parents VALUES (1); INSERT INTO posts VALUES (1, 'a')");
    db.exec(`ALTER TABLE posts ADD COLUMN ${def}`);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}
