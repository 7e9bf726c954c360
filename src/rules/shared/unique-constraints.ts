/**
 * The column lists of a table's UNIQUE constraints, read from its CREATE TABLE text. SQLite backs each with an index
 * (sqlite_autoindex_*) that the schema model leaves out, yet it serves lookups like any CREATE INDEX.
 */
import { readSqlTokens, type SqlToken } from '../../replay/sql-tokens.js';

const isName = (t: SqlToken) => t.kind === 'word' || t.kind === 'quoted' || t.kind === 'string';

/**
 * The definitions between the outermost parentheses, split at top-level commas. SQLite stores every table's text with
 * a column list (`CREATE TABLE … AS SELECT` too), and no definition in it is empty.
 */
function definitions(tokens: SqlToken[]): SqlToken[][] {
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
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
  return items;
}

/**
 * Lower-cased column lists, one per UNIQUE constraint (table-level `UNIQUE (a, b)` or a column's own `UNIQUE`). The text
 * is one SQLite accepted: a UNIQUE list holds names only (no expressions), and the bare word UNIQUE appears nowhere else.
 */
export function uniqueKeys(createTableSql: string | null): string[][] {
  if (!createTableSql) return [];
  const keys: string[][] = [];
  for (const item of definitions(readSqlTokens(createTableSql))) {
    const start = item[0].kind === 'word' && item[0].value === 'constraint' ? 2 : 0;
    if (item[start].kind === 'word' && item[start].value === 'unique') {
      // `UNIQUE (a COLLATE nocase, (b) DESC)`: the first name of each indexed column
      const columns: string[] = [];
      let expectName = true;
      for (const t of item.slice(start + 1)) {
        if (t.kind === 'punct' && t.value === ',') expectName = true;
        else if (expectName && isName(t)) {
          columns.push(t.value.toLowerCase());
          expectName = false;
        }
      }
      keys.push(columns);
    } else if (item.some((t) => t.kind === 'word' && t.value === 'unique')) {
      // a column definition with UNIQUE among its constraints
      keys.push([item[0].value.toLowerCase()]);
    }
  }
  return keys;
}
