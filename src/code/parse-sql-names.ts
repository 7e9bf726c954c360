/**
 * The raw parse behind sql-names.ts: the tables and columns node-sql-parser's sqlite grammar finds in a SQL string,
 * or null when it does not parse. Runs in the parser worker (sql-parser-worker.ts), never unbounded in the review
 * process.
 */
import sqlite from 'node-sql-parser/build/sqlite.js';

export interface SqlNames {
  /** Lower-cased table names. */
  tables: Set<string>;
  /** `table.column` (lower-cased); `.column` when the parser could not tell the table. */
  columns: Set<string>;
}

const parser = new sqlite.Parser();
const OPTIONS = { database: 'sqlite' };

/** Template placeholders (`${expr}`) become a bare identifier so the rest of the statement still parses. */
const prepare = (literal: string) => literal.replace(/\$\{[^}]*\}/g, '__expr__').replace(/\$\d+/g, '?').replace(/\?\d+/g, '?');

export function parseSqlNames(literal: string): SqlNames | null {
  const sql = prepare(literal);
  try {
    const tables = new Set<string>();
    for (const entry of parser.tableList(sql, OPTIONS)) {
      const name = entry.split('::')[2];
      if (name) tables.add(name.toLowerCase());
    }
    const columns = new Set<string>();
    for (const entry of parser.columnList(sql, OPTIONS)) {
      const [, table, column] = entry.split('::');
      if (!column || column === '(.*)') continue;
      columns.add(`${table === 'null' ? '' : table.toLowerCase()}.${column.toLowerCase()}`);
    }
    return { tables, columns };
  } catch {
    return null;
  }
}
