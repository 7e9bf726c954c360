// Builds a Schema from SQL with real SQLite, for rule and diff tests that need a schema but not a whole replay.
import Database from 'better-sqlite3';
import { extractSchema } from '../../src/replay/extract.js';
import type { Schema } from '../../src/schema/model.js';

export function schemaFromSql(sql: string): Schema {
  const db = new Database(':memory:');
  try {
    db.exec(sql);
    return extractSchema(db);
  } finally {
    db.close();
  }
}
