/**
 * The tables and columns a SQL string names, from node-sql-parser's sqlite grammar. Returns null when the string
 * does not parse, so callers fall back to plain identifier matching.
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

/** Repositories repeat the same queries; parsing is the expensive part (~0.3 ms a statement). */
const cache = new Map<string, SqlNames | null>();
const CACHE_SIZE = 10_000;

/**
 * node-sql-parser backtracks exponentially on nested sub-selects: `SELECT (SELECT (SELECT …` 14 deep took 12 s and
 * 400 MB, 20 deep ended the process with a V8 fatal error no `try` catches. The literal is the PR's text, so only
 * literals this short and this shallow are parsed (the slowest shapes measured at these caps take ~1.5 s; 2,800
 * characters 4 deep took 2.3 s); the rest fall back to the identifier match, which finds more references, never
 * fewer. The code search also caps the parser's total time per review.
 */
export const MAX_SQL_CHARS = 2_000;
export const MAX_SQL_DEPTH = 4;

/** Whether a literal is small and shallow enough to hand to the parser. */
export function parseable(literal: string): boolean {
  if (literal.length > MAX_SQL_CHARS) return false;
  let depth = 0;
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    if (c === 40 && ++depth > MAX_SQL_DEPTH) return false; // (
    if (c === 41 && depth > 0) depth--; // )
  }
  return true;
}

export function sqlNamesOf(literal: string): SqlNames | null {
  if (!parseable(literal)) return null;
  let names = cache.get(literal);
  if (names === undefined) {
    names = parse(literal);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(literal, names);
  }
  return names;
}

function parse(literal: string): SqlNames | null {
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
