/**
 * What an edit to applied SQL means: the text with comments removed and whitespace and case outside string literals
 * folded, so an edit that only touches those can be told apart from one that changes what the migration does.
 */
import { readSqlTokens } from '../../replay/sql-tokens.js';

/**
 * SQL text reduced to what SQLite acts on: its tokens (the replay's tokenizer, so comments and whitespace end where
 * SQLite's do), each as written — a change of quoting or escaping still counts — and lower-cased unless a string.
 */
export function sqlMeaning(sql: string): string {
  return readSqlTokens(sql)
    .map((t) => {
      const text = sql.slice(t.start, t.end);
      return t.kind === 'string' ? text : text.toLowerCase();
    })
    .join(' ');
}

const IGNORE_LINE = /^\s*--\s*safari-ignore\b/i;

/** The text without Safari's own acknowledgement comments (adding one to an old file is how to silence a rule). */
export const withoutAcknowledgements = (sql: string): string =>
  sql
    .split('\n')
    .filter((line) => !IGNORE_LINE.test(line))
    .join('\n');
