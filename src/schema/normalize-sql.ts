/**
 * A comparison key for SQL text that SQLite stored (views, triggers, indexes): whitespace, comments, identifier case
 * and identifier quoting do not count, and identifiers can be mapped through the renames the migrations ran — SQLite
 * rewrites `"orgs"` into a view's text when `tenants` is renamed, and that alone is not a change of the view.
 * Only used for equality, never shown to anyone.
 */

/** Maps a lower-cased identifier to the name it should be compared as; undefined keeps it. */
export type IdentifierMapper = (lowerName: string) => string | undefined;

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

export interface SqlToken {
  /** ident: identifier or keyword, `value` lower-cased and unquoted; literal: string/blob as written; other: one char. */
  kind: 'ident' | 'number' | 'literal' | 'punct';
  value: string;
  /** Offsets of the token in the source text. */
  start: number;
  end: number;
}

/** Splits SQL into tokens, skipping whitespace and comments. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
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
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'") {
      const text = quoted("'");
      tokens.push({ kind: 'literal', value: `'${text.replace(/'/g, "''")}'`, start, end: i });
    } else if (c === '"' || c === '`') {
      const text = quoted(c);
      tokens.push({ kind: 'ident', value: text.toLowerCase(), start, end: i });
    } else if (c === '[') {
      const text = quoted(']');
      tokens.push({ kind: 'ident', value: text.toLowerCase(), start, end: i });
    } else if (WORD.test(c)) {
      let j = i;
      while (j < n && WORD.test(sql[j])) j++;
      const word = sql.slice(i, j);
      i = j;
      // Blob literals x'..' and numbers stay as written; everything else is an identifier or keyword.
      if ((word === 'x' || word === 'X') && sql[j] === "'") {
        const text = quoted("'");
        tokens.push({ kind: 'literal', value: `x'${text.toLowerCase()}'`, start, end: i });
      } else if (/^[0-9]/.test(word)) {
        tokens.push({ kind: 'number', value: word.toLowerCase(), start, end: i });
      } else {
        tokens.push({ kind: 'ident', value: word.toLowerCase(), start, end: i });
      }
    } else {
      i++;
      tokens.push({ kind: 'punct', value: c, start, end: i });
    }
  }
  return tokens;
}

/** A token's comparison form: identifiers and keywords as `"lower"` (after mapping), everything else as is. */
export function canonicalToken(token: SqlToken, mapIdentifier?: IdentifierMapper): string {
  if (token.kind !== 'ident') return token.value;
  const mapped = mapIdentifier?.(token.value) ?? token.value;
  return `"${mapped.toLowerCase().replace(/"/g, '""')}"`;
}

/** Splits SQL into canonical tokens: identifiers and keywords as `"lower"`, literals verbatim, punctuation as is. */
export function sqlTokens(sql: string, mapIdentifier?: IdentifierMapper): string[] {
  return tokenizeSql(sql).map((token) => canonicalToken(token, mapIdentifier));
}

export function normalizeSql(sql: string | null, mapIdentifier?: IdentifierMapper): string {
  return sql === null ? '' : sqlTokens(sql, mapIdentifier).join(' ');
}
