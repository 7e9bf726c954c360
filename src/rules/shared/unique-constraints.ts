/**
 * The column lists of a table's UNIQUE constraints, read from its CREATE TABLE text. SQLite backs each with an index
 * (sqlite_autoindex_*) that the schema model leaves out, yet it serves lookups like any CREATE INDEX.
 */
import { readSqlTokens, type SqlToken } from '../../replay/sql-tokens.js';

const isName = (t: SqlToken | undefined) => t?.kind === 'word' || t?.kind === 'quoted' || t?.kind === 'string';
const TABLE_CONSTRAINTS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign']);

/** The definitions between the outermost parentheses, split at top-level commas. */
function definitions(tokens: SqlToken[]): SqlToken[][] {
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  if (open < 0) return [];
  const items: SqlToken[][] = [[]];
  let depth = 0;
  for (const t of tokens.slice(open + 1)) {
    if (t.kind === 'punct' && t.value === '(') depth++;
    if (t.kind === 'punct' && t.value === ')') {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && t.kind === 'punct' && t.value === ',') items.push([]);
    else items[items.length - 1].push(t);
  }
  return items.filter((item) => item.length > 0);
}

/** Lower-cased column lists, one per UNIQUE constraint (table-level `UNIQUE (a, b)` or a column's own `UNIQUE`). */
export function uniqueKeys(createTableSql: string | null): string[][] {
  if (!createTableSql) return [];
  const keys: string[][] = [];
  for (const item of definitions(readSqlTokens(createTableSql))) {
    let start = 0;
    if (item[0].kind === 'word' && item[0].value === 'constraint') start = 2;
    const head = item[start];
    if (head?.kind === 'word' && head.value === 'unique') {
      const columns: string[] = [];
      let depth = 0;
      let expectName = true;
      for (const t of item.slice(start + 1)) {
        if (t.kind === 'punct' && t.value === '(') depth++;
        else if (t.kind === 'punct' && t.value === ')') depth--;
        else if (depth === 1 && t.kind === 'punct' && t.value === ',') expectName = true;
        else if (depth === 1 && expectName && isName(t)) {
          columns.push(t.value.toLowerCase());
          expectName = false;
        }
        if (depth === 0 && columns.length > 0) break;
      }
      if (columns.length > 0) keys.push(columns);
      continue;
    }
    if (!isName(item[0]) || (item[0].kind === 'word' && TABLE_CONSTRAINTS.has(item[0].value))) continue;
    // A column definition: UNIQUE among its constraints (outside any parentheses) makes the column unique.
    let depth = 0;
    for (const t of item.slice(1)) {
      if (t.kind === 'punct' && t.value === '(') depth++;
      else if (t.kind === 'punct' && t.value === ')') depth--;
      else if (depth === 0 && t.kind === 'word' && t.value === 'unique') {
        keys.push([item[0].value.toLowerCase()]);
        break;
      }
    }
  }
  return keys;
}
