/**
 * What an edit to applied SQL means: the text with comments removed and whitespace and case outside string literals
 * folded, so an edit that only touches those can be told apart from one that changes what the migration does.
 */

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/** SQL text reduced to what SQLite acts on: comments dropped, whitespace runs folded, case folded outside literals. */
export function sqlMeaning(sql: string): string {
  const tokens: string[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      while (j < n) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      const text = sql.slice(i, Math.min(j + 1, n));
      // String literals keep their case; quoted identifiers are case-insensitive in SQLite.
      tokens.push(c === "'" ? text : text.toLowerCase());
      i = j + 1;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < n && WORD.test(sql[j])) j++;
      tokens.push(sql.slice(i, j).toLowerCase());
      i = j;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens.join(' ');
}

const IGNORE_LINE = /^\s*--\s*safari-ignore\b/i;

/** The text without Safari's own acknowledgement comments (adding one to an old file is how to silence a rule). */
export const withoutAcknowledgements = (sql: string): string =>
  sql
    .split('\n')
    .filter((line) => !IGNORE_LINE.test(line))
    .join('\n');
