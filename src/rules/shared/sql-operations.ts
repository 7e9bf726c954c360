/**
 * What a migration does to tables (drop, rebuild, rename, copy), for rules that point at a statement (file:line) or
 * follow a table. It never judges validity — replay does that with real SQLite — it only recognises the handful of
 * DDL shapes the rules care about. Statements and tokens come from the replay splitter, so they agree with what
 * replay ran.
 */

import { splitStatements as splitExactly } from '../../replay/split.js';
import { readSqlTokens, type SqlToken } from '../../replay/sql-tokens.js';

export interface SqlStatement {
  tokens: SqlToken[];
  /** 1-based line of the first token. */
  line: number;
}

export type TableOperation =
  | { kind: 'create-table'; table: string }
  | { kind: 'drop-table'; table: string }
  | { kind: 'rename-table'; table: string; to: string }
  | { kind: 'add-column'; table: string; column: string }
  | { kind: 'drop-column'; table: string; column: string }
  | { kind: 'rename-column'; table: string; column: string; to: string }
  | { kind: 'alter-table'; table: string }
  | { kind: 'create-index'; table: string; index: string }
  | { kind: 'create-trigger'; table: string; trigger: string }
  /** [WITH …] INSERT/REPLACE INTO `table` … with every table (or WITH query) named after FROM/JOIN in the statement. */
  | { kind: 'insert'; table: string; sources: string[] };

const word = (t: SqlToken | undefined, ...values: string[]) => t?.kind === 'word' && values.includes(t.value);

/**
 * Statements split exactly as SQLite splits them (the replay module's sqlite3_complete() port, so triggers, CASE and
 * strings holding `;` agree with what replay ran), each tokenized with lines counted from the file's start.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const { statements, incomplete } = splitExactly(sql);
  const pieces = statements.map((s) => ({ sql: s.sql, line: s.line }));
  if (incomplete) pieces.push(incomplete);
  // Every piece starts at a token that is neither blank nor a comment, so none comes out empty.
  return pieces.map((piece) => ({ tokens: readSqlTokens(piece.sql, piece.line), line: piece.line }));
}

const isName = (t: SqlToken | undefined) => t?.kind === 'word' || t?.kind === 'quoted' || t?.kind === 'string';

/** Reads `name` or `schema.name` at `i`; returns the unqualified, lower-cased name. */
function readName(tokens: SqlToken[], i: number): { name: string; next: number } | undefined {
  if (!isName(tokens[i])) return undefined;
  if (tokens[i + 1]?.kind === 'punct' && tokens[i + 1].value === '.' && isName(tokens[i + 2])) {
    return { name: tokens[i + 2].value.toLowerCase(), next: i + 3 };
  }
  return { name: tokens[i].value.toLowerCase(), next: i + 1 };
}

function skipIfExists(tokens: SqlToken[], i: number, not: boolean): number {
  if (!word(tokens[i], 'if')) return i;
  return not ? i + 3 : i + 2;
}

/** What one statement does to tables, when it is one of the shapes the rules follow. */
export function operationOf(statement: SqlStatement): TableOperation | undefined {
  const t = statement.tokens;
  let i = 0;
  if (word(t[0], 'create')) {
    i = 1;
    if (word(t[i], 'temp', 'temporary')) i++;
    if (word(t[i], 'unique')) i++;
    if (word(t[i], 'virtual')) i++;
    if (word(t[i], 'table')) {
      const name = readName(t, skipIfExists(t, i + 1, true));
      return name && { kind: 'create-table', table: name.name };
    }
    if (word(t[i], 'index')) {
      const index = readName(t, skipIfExists(t, i + 1, true));
      if (!index || !word(t[index.next], 'on')) return undefined;
      const table = readName(t, index.next + 1);
      return table && { kind: 'create-index', table: table.name, index: index.name };
    }
    if (word(t[i], 'trigger')) {
      const trigger = readName(t, skipIfExists(t, i + 1, true));
      if (!trigger) return undefined;
      const on = t.findIndex((tok, k) => k > trigger.next && word(tok, 'on'));
      const table = on > 0 ? readName(t, on + 1) : undefined;
      return table && { kind: 'create-trigger', table: table.name, trigger: trigger.name };
    }
    return undefined;
  }
  if (word(t[0], 'drop') && word(t[1], 'table')) {
    const name = readName(t, skipIfExists(t, 2, false));
    return name && { kind: 'drop-table', table: name.name };
  }
  if (word(t[0], 'alter') && word(t[1], 'table')) {
    const name = readName(t, 2);
    if (!name) return undefined;
    const table = name.name;
    i = name.next;
    if (word(t[i], 'rename')) {
      if (word(t[i + 1], 'to')) {
        const to = readName(t, i + 2);
        return to ? { kind: 'rename-table', table, to: to.name } : { kind: 'alter-table', table };
      }
      const col = readName(t, word(t[i + 1], 'column') ? i + 2 : i + 1);
      if (col && word(t[col.next], 'to')) {
        const to = readName(t, col.next + 1);
        if (to) return { kind: 'rename-column', table, column: col.name, to: to.name };
      }
      return { kind: 'alter-table', table };
    }
    if (word(t[i], 'add', 'drop')) {
      const col = readName(t, word(t[i + 1], 'column') ? i + 2 : i + 1);
      if (col) return { kind: word(t[i], 'add') ? 'add-column' : 'drop-column', table, column: col.name };
    }
    return { kind: 'alter-table', table };
  }
  // A WITH clause may come first (its queries read the rows the INSERT copies); only INSERT/REPLACE have an INTO.
  if (word(t[0], 'insert', 'replace', 'with')) {
    const into = t.findIndex((tok) => word(tok, 'into'));
    const target = into >= 0 ? readName(t, into + 1) : undefined;
    if (!target) return undefined;
    const sources: string[] = [];
    t.forEach((tok, k) => {
      const src = word(tok, 'from', 'join') ? readName(t, k + 1) : undefined;
      if (src) sources.push(src.name);
    });
    return { kind: 'insert', table: target.name, sources };
  }
  return undefined;
}
