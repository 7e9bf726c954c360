/**
 * A comparison key for SQL text that SQLite stored (views, triggers, indexes): whitespace, comments, identifier case
 * and identifier quoting do not count, and identifiers can be mapped through the renames the migrations ran — SQLite
 * rewrites `"orgs"` into a view's text when `tenants` is renamed, and that alone is not a change of the view.
 * Only used for equality, never shown to anyone. Tokens come from the replay splitter's tokenizer (one reading of SQL).
 */
import { isIdentifierToken, readSqlTokens, type SqlToken } from '../replay/sql-tokens.js';

/** Maps a lower-cased identifier to the name it should be compared as; undefined keeps it. */
export type IdentifierMapper = (lowerName: string) => string | undefined;

/** A token's comparison form: identifiers and keywords as `"lower"` (after mapping), everything else as is. */
export function canonicalToken(token: SqlToken, mapIdentifier?: IdentifierMapper): string {
  if (token.kind === 'string') return `'${token.value.replace(/'/g, "''")}'`;
  if (token.kind === 'blob') return `x'${token.value}'`;
  if (!isIdentifierToken(token)) return token.value;
  const mapped = mapIdentifier?.(token.value) ?? token.value;
  return `"${mapped.toLowerCase().replace(/"/g, '""')}"`;
}

/** Splits SQL into canonical tokens: identifiers and keywords as `"lower"`, literals verbatim, punctuation as is. */
export function sqlTokens(sql: string, mapIdentifier?: IdentifierMapper): string[] {
  return readSqlTokens(sql).map((token) => canonicalToken(token, mapIdentifier));
}

export function normalizeSql(sql: string | null, mapIdentifier?: IdentifierMapper): string {
  return sql === null ? '' : sqlTokens(sql, mapIdentifier).join(' ');
}
