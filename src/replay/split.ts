/**
 * Splits SQL into statements exactly where SQLite would: a port of `sqlite3_complete()` (src/complete.c).
 * Its tokenizer is coarse on purpose — it only needs to know where a statement ends, so `CREATE TRIGGER … BEGIN … END;`
 * stays whole while `;` inside strings, comments and [brackets] never splits. Verified against SQLite itself by
 * test/replay/complete-corpus.test.ts (fixtures/split/complete-corpus.json, made by scripts/make-split-corpus.py).
 */

export interface Statement {
  /** From the first token through the terminating `;` (absent on a file's last statement when the author omitted it). */
  sql: string;
  /** Offset of the first token in the text given to the splitter. */
  offset: number;
  /** 1-based line of the first token. */
  line: number;
  /** Upper-case first keyword, '' when the statement starts with something else. */
  keyword: string;
}

export interface SplitResult {
  statements: Statement[];
  /** Trailing text that no `;` can complete: an unterminated string, [bracket] or trigger body. */
  incomplete: { line: number; sql: string } | null;
}

/** Token classes of sqlite3_complete(). */
const enum Tk {
  Semi = 0,
  Ws = 1,
  Other = 2,
  Explain = 3,
  Create = 4,
  Temp = 5,
  Trigger = 6,
  End = 7,
}

// prettier-ignore
const TRANS: readonly (readonly number[])[] = [
  /*               SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
  /* 0 INVALID */ [1,   0, 2,    3,      4,     2,   2,      2],
  /* 1 START   */ [1,   1, 2,    3,      4,     2,   2,      2],
  /* 2 NORMAL  */ [1,   2, 2,    2,      2,     2,   2,      2],
  /* 3 EXPLAIN */ [1,   3, 3,    2,      4,     2,   2,      2],
  /* 4 CREATE  */ [1,   4, 2,    2,      2,     4,   5,      2],
  /* 5 TRIGGER */ [6,   5, 5,    5,      5,     5,   5,      5],
  /* 6 SEMI    */ [6,   6, 5,    5,      5,     5,   5,      7],
  /* 7 END     */ [1,   7, 5,    5,      5,     5,   5,      5],
];

/** SQLite's IdChar(): ASCII letters, digits, `_`, `$`, and every byte ≥ 0x80 (so every non-ASCII character). */
export function isIdChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x24 ||
    code >= 0x80
  );
}

export type TokenKind =
  | 'word' // keyword or bare identifier (an IdChar run; also numbers)
  | 'string' // '…'
  | 'quoted' // "…", `…` or […]: a quoted identifier
  | 'semi'
  | 'punct' // any other single character
  | 'comment'
  | 'space';

export interface Token {
  kind: TokenKind;
  /** Exact source text, quotes included. */
  text: string;
  offset: number;
  /** true for a string, quoted identifier or block comment that runs to the end of the input. */
  unterminated?: boolean;
}

const ASCII_WORD = /^[A-Za-z]+$/;

/**
 * Tokens as sqlite3_complete() sees them. An unterminated `/*` comment, string or bracket becomes one token running
 * to the end (SQLite's own tokenizer does the same for the comment).
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const start = i;
    let kind: TokenKind;
    let unterminated = false;
    if (c === 0x3b) {
      kind = 'semi';
      i++;
    } else if (c === 0x20 || c === 0x0d || c === 0x09 || c === 0x0a || c === 0x0c) {
      while (isSpace(sql.charCodeAt(i))) i++; // past the end charCodeAt is NaN: no space, no IdChar
      kind = 'space';
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) {
        i = n;
        unterminated = true;
      } else i = close + 2;
      kind = 'comment';
    } else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl; // the newline itself is whitespace, as in complete.c
      kind = 'comment';
    } else if (c === 0x5b || c === 0x60 || c === 0x22 || c === 0x27) {
      const closeChar = c === 0x5b ? ']' : sql[i];
      const close = sql.indexOf(closeChar, i + 1);
      if (close < 0) {
        i = n;
        unterminated = true;
      } else i = close + 1;
      kind = c === 0x27 ? 'string' : 'quoted';
    } else if (isIdChar(c)) {
      i++;
      while (isIdChar(sql.charCodeAt(i))) i++;
      kind = 'word';
    } else {
      i++;
      kind = 'punct';
    }
    const token: Token = { kind, text: sql.slice(start, i), offset: start };
    if (unterminated) token.unterminated = true;
    tokens.push(token);
  }
  return mergeAdjacentStrings(tokens);
}

/**
 * `'it''s'` is one string to SQLite; complete.c scans it as two adjacent ones, which ends statements identically.
 * Tokens cover the text without gaps, so `prev` always ends where `t` starts; a token opening with the same quote as a
 * quoted `prev` is itself quoted.
 */
function mergeAdjacentStrings(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (
      prev &&
      !prev.unterminated &&
      ((t.kind === 'string' && prev.kind === 'string') || (prev.kind === 'quoted' && t.text[0] === prev.text[0] && t.text[0] !== '['))
    ) {
      out[out.length - 1] = { ...t, text: prev.text + t.text, offset: prev.offset };
      continue;
    }
    out.push(t);
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0d || c === 0x09 || c === 0x0a || c === 0x0c;
}

function classify(t: Token): Tk {
  switch (t.kind) {
    case 'semi':
      return Tk.Semi;
    case 'space':
    case 'comment':
      return Tk.Ws;
    case 'word': {
      // No non-ASCII word lower-cases to one of these (only the Kelvin sign becomes ASCII: `k`), so SQLite's
      // ASCII-only keyword test needs no check here.
      switch (t.text.toLowerCase()) {
        case 'create':
          return Tk.Create;
        case 'trigger':
          return Tk.Trigger;
        case 'temp':
        case 'temporary':
          return Tk.Temp;
        case 'end':
          return Tk.End;
        case 'explain':
          return Tk.Explain;
        default:
          return Tk.Other;
      }
    }
    default:
      return Tk.Other;
  }
}

/** Exactly `sqlite3_complete(sql) == 1`: the text ends with a complete statement. */
export function isComplete(sql: string): boolean {
  let state = 0;
  for (const t of tokenize(sql)) {
    if (t.unterminated) return false;
    state = TRANS[state][classify(t)];
  }
  return state === 1;
}

/** Upper-case value of a bare keyword token, '' for anything else. */
export function keywordOf(t: Token | undefined): string {
  return t && ASCII_WORD.test(t.text) ? t.text.toUpperCase() : ''; // only a word's text is all letters
}

function lineStarts(sql: string): number[] {
  const starts = [0];
  for (let i = sql.indexOf('\n'); i >= 0; i = sql.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of an offset, by binary search over line starts. */
function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Statements in order. Statements holding only comments or whitespace are dropped. The last statement may lack its
 * `;` (SQLite runs it so); `incomplete` is trailing text that even a `;` cannot finish.
 */
export function splitStatements(sql: string): SplitResult {
  return splitWithLines(sql, 0, lineStarts(sql));
}

function splitWithLines(sql: string, base: number, starts: number[]): SplitResult {
  const statements: Statement[] = [];
  const tokens = tokenize(sql);
  let state = 1;
  let first = -1; // index of the current statement's first non-blank token
  const push = (endExclusive: number) => {
    const t = tokens[first];
    statements.push({
      sql: sql.slice(t.offset, endExclusive),
      offset: base + t.offset,
      line: lineAt(starts, base + t.offset),
      keyword: keywordOf(t),
    });
    first = -1;
  };
  let lastContent = -1; // index of the last non-blank token of the current statement
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const tk = classify(t); // an unterminated token runs to the end, so it is the last one
    if (tk !== Tk.Ws && tk !== Tk.Semi && first < 0) first = k;
    if (tk !== Tk.Ws) lastContent = k;
    state = TRANS[state][tk];
    if (state === 1 && first >= 0) push(t.offset + 1); // only a `;` moves a started statement to state 1
  }
  let incomplete: SplitResult['incomplete'] = null;
  if (first >= 0) {
    const last = tokens[lastContent];
    const rest = sql.slice(tokens[first].offset, last.offset + last.text.length);
    if (!last.unterminated && isComplete(rest + '\n;')) {
      push(last.offset + last.text.length);
    } else {
      incomplete = { line: lineAt(starts, base + tokens[first].offset), sql: rest };
    }
  }
  return { statements, incomplete };
}

export const DRIZZLE_BREAKPOINT = '--> statement-breakpoint';

/**
 * Drizzle files: split on `--> statement-breakpoint` as the migrator does (plain text split), then each chunk as
 * SQLite would. Offsets and lines stay those of the whole file. `incomplete` is the first chunk that ends unfinished.
 */
export function splitDrizzle(sql: string): SplitResult {
  const starts = lineStarts(sql);
  const statements: Statement[] = [];
  let incomplete: SplitResult['incomplete'] = null;
  let from = 0;
  for (;;) {
    const at = sql.indexOf(DRIZZLE_BREAKPOINT, from);
    const chunk = sql.slice(from, at < 0 ? sql.length : at);
    const part = splitWithLines(chunk, from, starts);
    statements.push(...part.statements);
    if (part.incomplete && !incomplete) incomplete = part.incomplete;
    if (at < 0) break;
    from = at + DRIZZLE_BREAKPOINT.length;
  }
  return { statements, incomplete };
}
