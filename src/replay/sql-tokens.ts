/**
 * SQL tokens with their meaning, for everything that reads SQL text (rules following what a migration does, schema
 * comparison of stored SQL). Built on the splitter's tokenizer (split.ts), which the corpus test checks against SQLite
 * itself, so a quote, comment, bracket or non-ASCII name is read the same way everywhere — by the splitter that
 * decides where statements end and by whatever reads them afterwards.
 */
import { tokenize } from './split.js';

export interface SqlToken {
  /**
   * word: a keyword or bare identifier; quoted: `"x"`, `` `x` `` or `[x]`; string: `'…'`; blob: `x'…'`;
   * number: a run of identifier characters starting with a digit (`1`, `0x1f`, `1e5`); punct: any other character.
   */
  kind: 'word' | 'quoted' | 'string' | 'blob' | 'number' | 'punct';
  /**
   * word / quoted: the name, unquoted, `""` undone, lower-cased (SQLite compares names case-insensitively).
   * string: the content with `''` undone, case kept. blob and number: lower-cased text. punct: the character.
   */
  value: string;
  /** Offsets of the token in the text given: [start, end). */
  start: number;
  end: number;
  /** 1-based line of the token's first character, counted from `firstLine`. */
  line: number;
}

/** The content of a quoted token without its quotes, with doubled quotes undone (an unterminated one has no closer). */
function unquote(text: string, unterminated: boolean): string {
  const open = text[0];
  const inner = text.slice(1, unterminated ? text.length : -1);
  // A [bracket] name ends at its first `]`: nothing in it is doubled.
  return open === '[' ? inner : inner.split(open + open).join(open);
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Tokens of `sql` without whitespace and comments; `firstLine` is the line `sql` starts on in its file. */
export function readSqlTokens(sql: string, firstLine = 1): SqlToken[] {
  const out: SqlToken[] = [];
  const raw = tokenize(sql);
  let line = firstLine;
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k];
    const start = t.offset;
    const end = start + t.text.length;
    const tokenLine = line;
    line += newlines(t.text);
    const push = (kind: SqlToken['kind'], value: string, to = end) => out.push({ kind, value, start, end: to, line: tokenLine });
    switch (t.kind) {
      // whitespace and comments give no token
      case 'semi':
      case 'punct':
        push('punct', t.text);
        break;
      case 'string':
        push('string', unquote(t.text, t.unterminated === true));
        break;
      case 'quoted':
        push('quoted', unquote(t.text, t.unterminated === true).toLowerCase());
        break;
      case 'word': {
        const next = raw[k + 1];
        if ((t.text === 'x' || t.text === 'X') && next?.kind === 'string') {
          // x'…' is one blob literal to SQLite; the splitter sees a word and a string, which ends statements alike.
          // Tokens leave no gaps, so that string starts right after the x.
          push('blob', unquote(next.text, next.unterminated === true).toLowerCase(), next.offset + next.text.length);
          line += newlines(next.text);
          k++;
        } else push(t.text.charCodeAt(0) >= 0x30 && t.text.charCodeAt(0) <= 0x39 ? 'number' : 'word', t.text.toLowerCase());
        break;
      }
    }
  }
  return out;
}

/** Keywords and names: a bare word or a quoted identifier. */
export const isIdentifierToken = (t: SqlToken | undefined): boolean => t?.kind === 'word' || t?.kind === 'quoted';
