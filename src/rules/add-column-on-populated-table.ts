/**
 * `ALTER TABLE … ADD COLUMN` forms SQLite accepts only while the table is empty: a non-constant default
 * (`DEFAULT (unixepoch())`, `CURRENT_TIMESTAMP`, `DEFAULT (1 + 1)`), NOT NULL without a default, a REFERENCES column
 * with a non-NULL default (with foreign keys enforced, as D1 always does), and a STORED generated column. Replay starts
 * from empty tables, so these pass there and fail on every database whose table has rows. Each form was checked
 * against SQLite itself (test/rules/add-column-on-populated-table.test.ts holds the probe).
 *
 * An error when the table exists on main (production has rows), a notice when the PR creates the table (empty until
 * the PR's own code fills it, but the next such migration will fail).
 */
import type { Report } from '../findings.js';
import { splitStatements as splitExactly } from '../replay/split.js';
import type { MigrationFile } from '../discover/types.js';
import { singleLine } from '../render/control-chars.js';
import { prFiles } from './shared/pr-operations.js';
import { isIdentifierToken, readSqlTokens as tokenize, type SqlToken } from '../replay/sql-tokens.js';
import { findTable } from './shared/tables.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

type Hazard = 'nonConstantDefault' | 'notNullWithoutDefault' | 'referencesWithDefault' | 'storedGenerated';

/** What SQLite refuses, in its own words; each message adds whether the table is on main or new in the PR. */
const HAZARDS: Record<Hazard, { problem: string; fix: string }> = {
  nonConstantDefault: {
    problem:
      '`{table}.{column}` is added with the non-constant default `{default}`: SQLite refuses that when `{table}` has rows ("Cannot add a column with non-constant default").',
    fix: 'Add the column with a constant default (or none), then fill it: `ALTER TABLE {table} ADD COLUMN {column} …;` then `UPDATE {table} SET {column} = {default};`. Or rebuild the table (create the new shape, copy the rows, drop, rename).',
  },
  notNullWithoutDefault: {
    problem:
      '`{table}.{column}` is added NOT NULL without a default: SQLite refuses that when `{table}` has rows ("Cannot add a NOT NULL column with default value NULL").',
    fix: "Give it a constant default (`… NOT NULL DEFAULT ''` or `DEFAULT 0`), or rebuild the table with the column and copy the rows.",
  },
  referencesWithDefault: {
    problem:
      '`{table}.{column}` is added with REFERENCES and the non-NULL default `{default}`: with foreign keys enforced (D1 always enforces them) SQLite refuses that when `{table}` has rows ("Cannot add a REFERENCES column with non-NULL default value").',
    fix: 'Add the column without a default (NULL), then set it with an UPDATE; or rebuild the table.',
  },
  storedGenerated: {
    problem: '`{table}.{column}` is added as a STORED generated column: SQLite refuses that when `{table}` has rows ("cannot add a STORED column").',
    fix: 'Add it as a VIRTUAL generated column (computed on read), or rebuild the table.',
  },
};
const ON_MAIN = ' `{table}` exists on main: every database with rows in it will refuse this migration, although the empty replay passed.';
const IN_NEW_TABLE = ' This PR creates `{table}`, so it is empty when this runs; the same statement fails once the table has rows.';
/** Message ids: `<hazard>` for a table on main, `<hazard>InNewTable` for one the PR creates. */
const messageId = (hazard: Hazard, onMain: boolean) => (onMain ? hazard : `${hazard}InNewTable`);

const entries = Object.entries(HAZARDS) as [Hazard, { problem: string; fix: string }][];

export const meta: RuleMeta = {
  id: 'add-column-on-populated-table',
  identity: ['database', 'file', 'table', 'data.column'],
  defaultSeverity: 'error',
  description: 'ADD COLUMN forms SQLite refuses once the table has rows (non-constant default, NOT NULL without default, …).',
  messages: Object.fromEntries(
    entries.flatMap(([h, { problem }]) => [
      [messageId(h, true), problem + ON_MAIN],
      [messageId(h, false), problem + IN_NEW_TABLE],
    ]),
  ),
  fix: Object.fromEntries(entries.flatMap(([h, { fix }]) => [[messageId(h, true), fix], [messageId(h, false), fix]])),
};

export interface AddColumnHazard {
  hazard: Hazard;
  table: string;
  column: string;
  /** The default as written (for the messages). */
  default?: string;
  line: number;
}

const isWord = (t: SqlToken | undefined, ...values: string[]) => t?.kind === 'word' && values.includes(t.value);
const isPunct = (t: SqlToken | undefined, value: string) => t?.kind === 'punct' && t.value === value;
const isName = (t: SqlToken | undefined) => t?.kind === 'word' || t?.kind === 'quoted' || t?.kind === 'string';

/** The index after the balanced group that opens at `i` (a `(`). */
function closeOf(t: SqlToken[], i: number): number {
  let depth = 0;
  for (let k = i; k < t.length; k++) {
    if (isPunct(t[k], '(')) depth++;
    else if (isPunct(t[k], ')') && --depth === 0) return k + 1;
  }
  return t.length;
}

/** SQLite's numeric literal; the tokenizer splits `1.5e-3` into `1`, `.`, `5e`, `-`, `3`, so it is read from the text. */
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;

/** The index after the tokens of the numeric literal that starts at token `i` of `sql` (`0x1e` too), or -1. */
function numberEnd(sql: string, t: SqlToken[], i: number): number {
  const match = t[i] && NUMBER.exec(sql.slice(t[i].start));
  if (!match) return -1;
  const end = t[i].start + match[0].length;
  let k = i;
  while (k < t.length && t[k].start < end) k++;
  return k;
}

/**
 * Where a constant expression starting at `i` ends, or -1: SQLite's `sqlite3ValueFromExpr` accepts literals, NULL,
 * TRUE/FALSE, blobs, unary +/- and CAST of those, in parentheses; anything else (a function, an operator, COLLATE,
 * CURRENT_TIMESTAMP) makes the default non-constant.
 */
function constantEnd(sql: string, t: SqlToken[], i: number): number {
  const tok = t[i];
  if (!tok) return -1;
  if (isPunct(tok, '(')) {
    const inner = constantEnd(sql, t, i + 1);
    return inner >= 0 && isPunct(t[inner], ')') ? inner + 1 : -1;
  }
  if (isPunct(tok, '-') || isPunct(tok, '+')) return constantEnd(sql, t, i + 1);
  if (tok.kind === 'number' || isPunct(tok, '.')) return numberEnd(sql, t, i);
  if (tok.kind === 'string' || tok.kind === 'blob') return i + 1;
  if (isWord(tok, 'null', 'true', 'false')) return i + 1;
  if (isWord(tok, 'cast') && isPunct(t[i + 1], '(')) {
    const inner = constantEnd(sql, t, i + 2);
    if (inner < 0 || !isWord(t[inner], 'as')) return -1;
    const close = closeOf(t, i + 1);
    return close;
  }
  return -1;
}

/** The default's tokens after DEFAULT at `i`: a parenthesised expression, or a term with its sign. */
function defaultTokens(sql: string, t: SqlToken[], i: number): SqlToken[] {
  if (isPunct(t[i], '(')) return t.slice(i, closeOf(t, i));
  const term = isPunct(t[i], '-') || isPunct(t[i], '+') ? i + 1 : i;
  return t.slice(i, Math.max(numberEnd(sql, t, term), term + 1));
}

function isConstantDefault(sql: string, tokens: SqlToken[]): boolean {
  // A bare identifier (`DEFAULT abc`) is taken as a string; only the CURRENT_* keywords vary.
  if (isIdentifierToken(tokens[0])) return !isWord(tokens[0], 'current_time', 'current_date', 'current_timestamp');
  return constantEnd(sql, tokens, 0) === tokens.length;
}

const isNullDefault = (tokens: SqlToken[]) => tokens.filter((x) => !isPunct(x, '(') && !isPunct(x, ')')).every((x) => isWord(x, 'null'));

/** The default as the migration wrote it, on one line, at most 80 characters. */
const showDefault = (sql: string, tokens: SqlToken[]) => singleLine(sql.slice(tokens[0].start, tokens[tokens.length - 1].end)).slice(0, 80);

/** The hazards of one statement when it is `ALTER TABLE t ADD [COLUMN] c …`. */
export function addColumnHazards(sql: string, line: number): AddColumnHazard[] {
  const t = tokenize(sql);
  if (!isWord(t[0], 'alter') || !isWord(t[1], 'table')) return [];
  let i = 2;
  if (!isName(t[i])) return [];
  let table = t[i].value;
  i++;
  if (isPunct(t[i], '.') && isName(t[i + 1])) {
    table = t[i + 1].value;
    i += 2;
  }
  if (!isWord(t[i], 'add')) return [];
  i++;
  if (isWord(t[i], 'column')) i++;
  if (!isName(t[i])) return [];
  const column = t[i].value;
  i++;
  let notNull = false;
  let references = false;
  let stored = false;
  let generated = false;
  let dflt: SqlToken[] | undefined;
  while (i < t.length) {
    const tok = t[i];
    if (isPunct(tok, '(')) {
      const close = closeOf(t, i);
      // `GENERATED ALWAYS AS (…) STORED` / `AS (…) STORED`
      if (isWord(t[i - 1], 'as') && isWord(t[close], 'stored')) stored = true;
      if (isWord(t[i - 1], 'as')) generated = true;
      i = close;
      continue;
    }
    if (isWord(tok, 'not') && isWord(t[i + 1], 'null')) {
      notNull = true;
      i += 2;
      continue;
    }
    if (isWord(tok, 'references')) references = true;
    if (isWord(tok, 'default')) {
      dflt = defaultTokens(sql, t, i + 1);
      i += 1 + dflt.length;
      continue;
    }
    i++;
  }
  const base = { table, column, line };
  // A literal NULL (in any parentheses) counts as no default.
  const value = dflt && !isNullDefault(dflt) ? dflt : undefined;
  // SQLite's checks in its order (sqlite3AlterFinishAddColumn); at most one applies, since a generated column can't
  // have a default and NOT NULL counts only without one.
  if (stored) return [{ hazard: 'storedGenerated', ...base }];
  if (references && value) return [{ hazard: 'referencesWithDefault', ...base, default: showDefault(sql, value) }];
  if (notNull && !value && !generated) return [{ hazard: 'notNullWithoutDefault', ...base }];
  if (value && !isConstantDefault(sql, value)) return [{ hazard: 'nonConstantDefault', ...base, default: showDefault(sql, value) }];
  return [];
}

const hazardKey = (h: AddColumnHazard) => JSON.stringify([h.hazard, h.table, h.column, h.default]);

/** The ADD COLUMN hazards of every statement of a migration file. */
export function fileHazards(file: MigrationFile): AddColumnHazard[] {
  const { statements } = splitExactly(file.content);
  return statements.flatMap((s) => addColumnHazards(s.sql, s.line));
}

/** The table's name on main, following the PR's renames (`ALTER TABLE a RENAME TO b; ALTER TABLE b ADD …`). */
function existsOnMain(db: DatabaseReview, table: string): boolean {
  const from = db.delta.tablesRenamed.find((r) => r.to.toLowerCase() === table.toLowerCase())?.from ?? table;
  return findTable(db.base.replay.schema, from) !== undefined;
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    // A statement the replay itself refused is replay-error's finding already.
    const failed = new Set(db.head.replay.failures.map((f) => `${f.file}\n${f.line}`));
    for (const file of prFiles(input, db)) {
      // An edited migration already on main: its unchanged statements are main's, not the PR's.
      const onBase = db.base.files.find((f) => f.path === file.path);
      const baseHazards = new Set(onBase && fileHazards(onBase).map(hazardKey));
      for (const h of fileHazards(file)) {
        if (failed.has(`${file.path}\n${h.line}`)) continue;
        const onMain = existsOnMain(db, h.table);
        const table = findTable(db.head.replay.schema, h.table)?.name ?? h.table;
        const column = findTable(db.head.replay.schema, h.table)?.columns.find((c) => c.name.toLowerCase() === h.column.toLowerCase())?.name ?? h.column;
        reports.push({
          messageId: messageId(h.hazard, onMain),
          data: { table, column, ...(h.default !== undefined ? { default: h.default } : {}) },
          database: db.spec.name,
          table,
          file: file.path,
          line: h.line,
          ...(onMain ? {} : { severity: 'notice' as const }),
          ...(baseHazards.has(hazardKey(h)) ? { preexisting: true } : {}),
        });
      }
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
