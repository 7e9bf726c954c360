/**
 * What SQLite's pragmas don't report about a table: UNIQUE constraints (their auto-indexes are left out of the model),
 * CHECK constraints and column collations. Read from the CREATE TABLE text SQLite stored (which ADD COLUMN extends
 * and RENAME rewrites), so a rebuild that adds `UNIQUE` or changes a CHECK does not go unnoticed.
 */
import { isIdentifierToken, readSqlTokens, type SqlToken } from '../replay/sql-tokens.js';
import { canonicalToken, type IdentifierMapper } from './normalize-sql.js';

export interface Constraint {
  /** Comparison key (canonical tokens, base names mapped to head names). */
  key: string;
  /** As shown to people: `UNIQUE (email)`, `CHECK (plan IN ('free', 'pro'))`. */
  text: string;
}

export interface TableConstraints {
  unique: Constraint[];
  checks: Constraint[];
  /** lower(column name) → collation as written, for columns that declare one. */
  collations: Map<string, string>;
}

const TABLE_CONSTRAINT = new Set(['constraint', 'primary', 'unique', 'check', 'foreign']);
const MAX_SHOWN = 120;

/** Index just past the `)` matching the `(` at `open`. */
function closeOf(tokens: SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].value === '(' && tokens[i].kind === 'punct') depth++;
    else if (tokens[i].value === ')' && tokens[i].kind === 'punct' && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Top-level comma-separated elements of the column list. */
function elements(tokens: SqlToken[]): SqlToken[][] {
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  if (open < 0) return [];
  const end = closeOf(tokens, open) - 1;
  const out: SqlToken[][] = [];
  let current: SqlToken[] = [];
  let depth = 0;
  for (let i = open + 1; i < end; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && t.value === '(') depth++;
    if (t.kind === 'punct' && t.value === ')') depth--;
    if (depth === 0 && t.kind === 'punct' && t.value === ',') {
      out.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  out.push(current); // an empty element (`()`) is skipped by the caller
  return out;
}

export function tableConstraints(sql: string | null, mapIdentifier?: IdentifierMapper): TableConstraints {
  const result: TableConstraints = { unique: [], checks: [], collations: new Map() };
  if (sql === null || !/^\s*create\s+table/i.test(sql)) return result; // virtual tables have module arguments instead
  const shown = (from: SqlToken, to: SqlToken) => {
    const text = sql.slice(from.start, to.end).replace(/\s+/g, ' ');
    return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  };
  // A keyword is an unquoted word: `"unique"` is a column name.
  const keyword = (t: SqlToken) => (t.kind === 'word' ? t.value : '');
  const key = (tokens: SqlToken[]) => tokens.map((t) => canonicalToken(t, mapIdentifier)).join(' ');
  const unique = (columns: SqlToken[]) => {
    // `a COLLATE nocase DESC` names only `a`; a quoted `"desc"` is a column name.
    const names = columns.filter(
      (t, i) =>
        isIdentifierToken(t) &&
        !['asc', 'desc', 'collate'].includes(keyword(t)) &&
        (i === 0 || keyword(columns[i - 1]) !== 'collate'),
    );
    result.unique.push({
      key: `unique(${key(names)})`,
      text: `UNIQUE (${names.map((t) => sql.slice(t.start, t.end)).join(', ')})`,
    });
  };

  for (const element of elements(readSqlTokens(sql))) {
    if (element.length === 0) continue;
    const isTableConstraint = TABLE_CONSTRAINT.has(keyword(element[0]));
    const column = isTableConstraint ? undefined : element[0];
    for (let i = isTableConstraint ? 0 : 1; i < element.length; i++) {
      const t = element[i];
      const word = keyword(t);
      const next = element[i + 1];
      const opensList = next?.kind === 'punct' && next.value === '(';
      if (word === 'check' && opensList) {
        const end = closeOf(element, i + 1);
        result.checks.push({ key: key(element.slice(i, end)), text: shown(t, element[end - 1]) });
        i = end - 1;
      } else if (word === 'unique') {
        if (opensList) {
          const end = closeOf(element, i + 1);
          unique(element.slice(i + 2, end - 1));
          i = end - 1;
        } else if (column) {
          unique([column]);
        }
      } else if (word === 'collate' && next && column) {
        result.collations.set(column.value, sql.slice(next.start, next.end));
        i++;
      } else if (opensList && ['default', 'as'].includes(word)) {
        i = closeOf(element, i + 1) - 1; // skip expressions, which may mention these words
      }
    }
  }
  return result;
}
