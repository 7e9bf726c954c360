/**
 * Finds the comments and string literals of a source file with a small per-language lexer, so a name inside a
 * comment is not a reference and a name inside a SQL string is read with the SQL parser. Deliberately forgiving:
 * single- and double-quoted strings end at a newline, so one mis-read quote cannot swallow the rest of a file.
 *
 * Why not js-tokens or the acorn parser used for drizzle configs (judged for issue 11): this scan serves seven
 * syntaxes (C-like, JS/TS, Python, hash-comment, SQL, PHP, Svelte/Vue/HTML markup) in one pass with one rule set; a
 * library for the JS/TS part alone would leave two lexers with different recovery rules. A parser gives up on the
 * whole file at the first error (TSX, a Vue `<script>`, a half-written file), and the scan only needs where comments
 * and strings are, not a tree. js-tokens lets an unterminated template literal run to the end of the file, which
 * this scan deliberately does not. It is kept; its tests (test/code/) pin each syntax.
 */

export interface Region {
  kind: 'comment' | 'string';
  /** Offsets into the file: [start, end) of the whole literal or comment, quotes included. */
  start: number;
  end: number;
  /** For strings: offsets of the content without quotes. */
  contentStart: number;
  contentEnd: number;
}

export type Syntax = 'c' | 'js' | 'hash' | 'python' | 'sql' | 'markup' | 'php';

const BY_EXTENSION: Record<string, Syntax> = {
  ts: 'js', tsx: 'js', js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', mts: 'js', cts: 'js',
  svelte: 'markup', vue: 'markup', astro: 'markup', html: 'markup',
  go: 'c', rs: 'c', java: 'c', kt: 'c', kts: 'c', scala: 'c', swift: 'c', cs: 'c', c: 'c', h: 'c', cpp: 'c', dart: 'c',
  php: 'php',
  py: 'python',
  rb: 'hash', sh: 'hash', ex: 'hash', exs: 'hash',
  sql: 'sql',
};

export const syntaxOf = (path: string): Syntax | undefined => {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
};

/** Characters after which `/` starts a regular expression literal rather than a division. */
const REGEX_PREFIX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^', '']);

const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;

export function scanRegions(text: string, syntax: Syntax): Region[] {
  const regions: Region[] = [];
  const n = text.length;
  const slashComments = syntax !== 'hash' && syntax !== 'python' && syntax !== 'sql';
  const hashComments = syntax === 'hash' || syntax === 'python' || syntax === 'php';
  const dashComments = syntax === 'sql';
  const backtick = syntax === 'js' || syntax === 'markup' || syntax === 'c' || syntax === 'hash';
  const doubleIsString = syntax !== 'sql';
  let lastSignificant = '';
  let i = 0;
  const pushString = (start: number, contentStart: number, contentEnd: number, end: number) => {
    regions.push({ kind: 'string', start, end, contentStart, contentEnd });
    i = end;
    lastSignificant = 'x';
  };
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if ((slashComments && c === '/' && next === '/') || (hashComments && c === '#') || (dashComments && c === '-' && next === '-')) {
      const end = text.indexOf('\n', i);
      regions.push({ kind: 'comment', start: i, end: end < 0 ? n : end, contentStart: i, contentEnd: end < 0 ? n : end });
      i = end < 0 ? n : end;
      continue;
    }
    if ((slashComments || dashComments) && c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      regions.push({ kind: 'comment', start: i, end: stop, contentStart: i, contentEnd: stop });
      i = stop;
      continue;
    }
    if (syntax === 'markup' && c === '<' && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      const stop = end < 0 ? n : end + 3;
      regions.push({ kind: 'comment', start: i, end: stop, contentStart: i, contentEnd: stop });
      i = stop;
      continue;
    }
    if (syntax === 'python' && (c === '"' || c === "'") && next === c && text[i + 2] === c) {
      const quote = c.repeat(3);
      const end = text.indexOf(quote, i + 3);
      const stop = end < 0 ? n : end;
      pushString(i, i + 3, stop, Math.min(n, stop + 3));
      continue;
    }
    if (c === "'" || (c === '"' && doubleIsString) || (c === '`' && backtick)) {
      const multiline = c === '`';
      let j = i + 1;
      while (j < n) {
        const d = text[j];
        if (d === '\\' && syntax !== 'sql') {
          j += 2;
          continue;
        }
        if (d === c) {
          if (syntax === 'sql' && text[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        if (d === '\n' && !multiline && syntax !== 'sql') break;
        j++;
      }
      const contentEnd = Math.min(j, n);
      pushString(i, i + 1, contentEnd, Math.min(n, text[j] === c ? j + 1 : j));
      continue;
    }
    if (c === '/' && syntax === 'js' && REGEX_PREFIX.has(lastSignificant)) {
      // A regular expression literal: skip it so quotes inside it don't open strings.
      let j = i + 1;
      let inClass = false;
      while (j < n && text[j] !== '\n') {
        const d = text[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      i = j + 1;
      lastSignificant = 'x';
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      if (isWordCode(text.charCodeAt(i))) {
        let j = i + 1;
        while (j < n && isWordCode(text.charCodeAt(j))) j++;
        const wordText = text.slice(i, j);
        lastSignificant = wordText === 'return' || wordText === 'typeof' || wordText === 'case' ? '' : 'x';
        i = j;
        continue;
      }
      lastSignificant = c === ')' || c === ']' ? 'x' : c;
    }
    i++;
  }
  return regions;
}

/** The region containing `offset` (regions are sorted and disjoint), or undefined. */
export function regionAt(regions: Region[], offset: number): Region | undefined {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid];
    if (offset < r.start) hi = mid - 1;
    else if (offset >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}
