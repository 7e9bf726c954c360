/**
 * A comparison key for SQL text that SQLite stored (views, triggers, indexes): whitespace, comments, identifier case
 * and identifier quoting do not count, and identifiers can be mapped through the renames the migrations ran — SQLite
 * rewrites `"orgs"` into a view's text when `tenants` is renamed, and that alone is not a change of the view.
 * Only used for equality, never shown to anyone.
 */

/** Maps a lower-cased identifier to the name it should be compared as; undefined keeps it. */
export type IdentifierMapper = (lowerName: string) => string | undefined;

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL into canonical tokens: identifiers and keywords as `"lower"`, literals verbatim, punctuation as is. */
export function sqlTokens(sql: string, mapIdentifier?: IdentifierMapper): string[] {
  const tokens: string[] = [];
  const ident = (raw: string) => {
    const lower = raw.toLowerCase();
    const mapped = mapIdentifier?.(lower);
    return `"${(mapped ?? lower).toLowerCase().replace(/"/g, '""')}"`;
  };
  let i = 0;
  const n = sql.length;
  // Reads a quoted run that ends at `close`, where a doubled `close` is an escaped one.
  const quoted = (close: string): string => {
    let j = i + 1;
    let text = '';
    while (j < n) {
      if (sql[j] === close) {
        if (close !== ']' && sql[j + 1] === close) {
          text += close;
          j += 2;
          continue;
        }
        break;
      }
      text += sql[j];
      j++;
    }
    i = j + 1;
    return text;
  };
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'") {
      tokens.push(`'${quoted("'").replace(/'/g, "''")}'`);
    } else if (c === '"' || c === '`') {
      tokens.push(ident(quoted(c)));
    } else if (c === '[') {
      tokens.push(ident(quoted(']')));
    } else if (WORD.test(c)) {
      let j = i;
      while (j < n && WORD.test(sql[j])) j++;
      const word = sql.slice(i, j);
      // Blob literals x'..' and numbers stay as written; everything else is an identifier or keyword.
      if ((word === 'x' || word === 'X') && sql[j] === "'") {
        i = j;
        tokens.push(`x'${quoted("'").toLowerCase()}'`);
      } else {
        tokens.push(/^[0-9]/.test(word) ? word.toLowerCase() : ident(word));
        i = j;
      }
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens;
}

export function normalizeSql(sql: string | null, mapIdentifier?: IdentifierMapper): string {
  return sql === null ? '' : sqlTokens(sql, mapIdentifier).join(' ');
}
