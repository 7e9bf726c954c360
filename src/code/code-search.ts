/**
 * Searches the head tree's source files for names used as identifiers, for rules such as drop-referenced-table.
 *
 * One `tree.read()` loads every candidate file (once, on first use); a NameMatcher finds every name in one pass per
 * file (never a pattern built from the PR's names: name-matcher.ts). Only files with a hit are lexed
 * (source-regions.ts): hits in comments are not
 * references; hits in SQL-looking string literals count only when node-sql-parser lists the name among the
 * statement's tables (or columns, for column searches) — so `SELECT * FROM meadow_posts` is not a reference to `posts`
 * — falling back to the identifier match when the SQL does not parse.
 */
import { lineIndex } from '../discover/paths.js';
import type { CodeReference, CodeSearch } from '../rules/types.js';
import { isBinaryText, type Tree } from '../source/types.js';
import { regionAt, scanRegions, syntaxOf, type Region } from './source-regions.js';
import { sqlNamesOf, type SqlNames } from './sql-names.js';
import { NameMatcher } from './name-matcher.js';
import type { Deadline } from '../deadline.js';

export interface CodeSearchOptions {
  /** Paths never searched: migration folders, configured ignores. */
  exclude: (path: string) => boolean;
  /** Files larger than this are skipped (generated bundles, data dumps). Default 1 MB. */
  maxFileBytes?: number;
  /**
   * Wall time this search may spend in the SQL parser, in ms (default 2,000). Past it, SQL literals fall back to the
   * identifier match: a PR full of slow-to-parse literals costs some precision, never the review's time.
   */
  parseBudgetMs?: number;
  /** The review's deadline: asked between files. */
  deadline?: Deadline;
  /** Told when a search stopped at the deadline, with how many of the files it had searched. */
  onDeadline?: (searched: number, total: number) => void;
  /** The searchable files, already loaded by `loadSearchableFiles` (the map scans them for embedded tables too). */
  files?: Promise<SourceFile[]>;
}

/** A searchable source file and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** Folders that hold dependencies, build output or test fixtures rather than the application's code. */
const SKIPPED_SEGMENTS = new Set([
  'node_modules', 'dist', 'build', 'out', '.svelte-kit', '.next', '.nuxt', '.output', '.vercel', '.wrangler', '.turbo',
  '.cache', 'coverage', 'vendor', '.git', 'fixtures', '__fixtures__', '__snapshots__', 'target',
]);
const LOCK_FILES = /(^|\/)(package-lock\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|Gemfile\.lock|composer\.lock)$/;
const MINIFIED = /\.min\.[cm]?js$/;

export function isSearchable(path: string, exclude: (path: string) => boolean): boolean {
  if (!syntaxOf(path) || LOCK_FILES.test(path) || MINIFIED.test(path)) return false;
  if (path.split('/').some((segment) => SKIPPED_SEGMENTS.has(segment))) return false;
  return !exclude(path);
}

/** Test code seeds old shapes and asserts columns are gone: it is not "code still using" a table. */
const TEST_SEGMENTS = new Set(['__tests__', 'test', 'tests']);
export const isTestPath = (path: string): boolean =>
  path.split('/').slice(0, -1).some((segment) => TEST_SEGMENTS.has(segment)) || /\.(test|spec)\.[^./]+$/.test(path);

/** `rule_engine_rules` → `ruleenginerules` (how an ORM binding for it is usually spelled, compared lower-cased). */
const camelLower = (table: string) => table.replace(/_/g, '').toLowerCase();

/** A Drizzle-style table declaration: `const rules = sqliteTable('rule_engine_rules', {…})` (also pgTable, mysqlTable…). */
const TABLE_CALL = /(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*)?\b[A-Za-z_$][\w$]*Table\s*\(\s*(['"`])([^'"`\n]+)\2/g;

interface TableDeclaration {
  table: string;
  binding?: string;
  /** Offsets of the call's parentheses: the column definitions live inside. */
  start: number;
  end: number;
}

/** The end of a call whose `(` is at `open`: the matching `)` outside strings and comments (or the file's end). */
function callEnd(text: string, open: number, regions: Region[]): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c !== '(' && c !== ')') continue;
    if (regionAt(regions, i)) continue;
    depth += c === '(' ? 1 : -1;
    if (depth === 0) return i;
  }
  return text.length;
}

function tableDeclarations(text: string, regions: () => Region[]): TableDeclaration[] {
  const out: TableDeclaration[] = [];
  TABLE_CALL.lastIndex = 0;
  for (const m of text.matchAll(TABLE_CALL)) {
    const open = text.indexOf('(', m.index + (m[1] ? m[0].indexOf('=') : 0));
    out.push({ table: m[3].toLowerCase(), binding: m[1]?.toLowerCase(), start: open, end: callEnd(text, open, regions()) });
  }
  return out;
}

/** The object a property access at `offset` reads from: `rules` in `rules.listId` / `rules?.listId`. */
function receiverAt(text: string, offset: number): string | undefined {
  const before = text.slice(Math.max(0, offset - 120), offset);
  return /([A-Za-z_$][\w$]*)\s*\??\.\s*$/.exec(before)?.[1]?.toLowerCase();
}

/**
 * `{ tags: t.Array(t.String()) }`, `(tags: string[])`: a name written as an object key or a typed parameter is a
 * field of something else, not the table (a Drizzle binding is used as a value: `from(tags)`, `many(tags)`).
 */
function isObjectKey(text: string, start: number, length: number): boolean {
  let after = start + length;
  while (text[after] === ' ' || text[after] === '\t') after++;
  if (text[after] === '?') after++;
  if (text[after] !== ':' || text[after + 1] === ':') return false;
  let before = start - 1;
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t' || text[before] === '\n' || text[before] === '\r')) before--;
  return before < 0 || text[before] === '{' || text[before] === ',' || text[before] === '(';
}

/**
 * `done: integer("done")`, `done: t.integer("done", …)`: a string literal starting at `start` is the first argument of a
 * column builder written as a property's value. `.default("done")` (a chained call) and `enum: ["todo", "done"]` are not.
 */
function isColumnNameArgument(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 160), start);
  return /:\s*(?:[A-Za-z_$][\w$]*\s*\.\s*)?[A-Za-z_$][\w$]*\s*\(\s*$/.test(before);
}

const isPathSegment = (text: string, start: number, length: number) =>
  text[start - 1] === '/' || text[start - 1] === '\\' || text[start + length] === '/';

/** Literals that look like SQL: worth handing to the parser. */
const SQL_LIKE = /^\s*\(?\s*(select|insert|update|delete|replace|with|create|alter|drop)\b|\b(from|join|into)\s+["`[]?[A-Za-z_]/i;

interface FileState {
  regions?: Region[];
  lineAt?: (offset: number) => number;
  sql: Map<number, SqlNames | null>;
}

function lineOf(state: FileState, text: string, offset: number): number {
  state.lineAt ??= lineIndex(text);
  return state.lineAt(offset);
}

function lineText(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const line = text.slice(start, end).trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** A name to look for: a table, or a column of a table. */
interface Target {
  key: string;
  name: string;
  table?: string;
}

/** Every searchable file of the tree, read in one batch. */
export async function loadSearchableFiles(tree: Tree, opts: CodeSearchOptions): Promise<SourceFile[]> {
  const maxBytes = opts.maxFileBytes ?? 1_000_000;
  const candidates = (await tree.list()).filter((p) => isSearchable(p, opts.exclude));
  // Sizes first: a PR's 200 files of 10 MB are skipped without ever being read into memory.
  const sizes = await tree.sizes(candidates);
  const paths = candidates.filter((p) => (sizes.get(p) ?? 0) <= maxBytes);
  const contents = await tree.read(paths);
  const files: SourceFile[] = [];
  for (const path of paths) {
    const text = contents.get(path);
    if (text !== undefined && text.length <= maxBytes && !isBinaryText(text)) files.push({ path, text });
  }
  return files;
}

export function createCodeSearch(tree: Tree, opts: CodeSearchOptions): CodeSearch {
  let parseBudget = opts.parseBudgetMs ?? 2_000;
  const parse = async (literal: string): Promise<SqlNames | null> => {
    if (parseBudget <= 0) return null;
    const started = performance.now();
    try {
      return await sqlNamesOf(literal);
    } finally {
      parseBudget -= performance.now() - started;
    }
  };
  let loaded = opts.files;
  const load = () => (loaded ??= loadSearchableFiles(tree, opts));

  async function references(names: string[], options: { limit?: number; column?: boolean } = {}) {
    const limit = options.limit ?? 5;
    const result = new Map<string, CodeReference[]>(names.map((n) => [n, []]));
    const targets: Target[] = names.filter((n) => n.trim() !== '').map((key) => {
      if (!options.column) return { key, name: key.toLowerCase() };
      const dot = key.lastIndexOf('.');
      return { key, name: key.slice(dot + 1).toLowerCase(), table: dot > 0 ? key.slice(0, dot).toLowerCase() : undefined };
    });
    if (targets.length === 0) return result;
    const byName = new Map<string, Target[]>();
    for (const t of targets) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
    const tableNames = [...new Set(targets.flatMap((t) => (t.table ? [t.table] : [])))];
    const tableMatcher = tableNames.length ? new NameMatcher(tableNames) : undefined;
    const files = await load();
    // Code and test references fill up separately: tests never crowd out the code that matters.
    const counts = new Map<string, { code: number; test: number }>(targets.map((t) => [t.key, { code: 0, test: 0 }]));
    const open = (name: string) => byName.get(name)!.some((t) => counts.get(t.key)!.code < limit || counts.get(t.key)!.test < limit);
    /** For column searches: every binding of each table across the tree (`export const rules = sqliteTable('rule_engine_rules'…)`). */
    const bindings = new Map<string, Set<string>>(tableNames.map((t) => [t, new Set([t, camelLower(t)])]));
    if (tableMatcher) {
      for (const file of files) {
        if (!tableMatcher.test(file.text) || syntaxOf(file.path) === 'sql') continue;
        for (const d of tableDeclarations(file.text, () => scanRegions(file.text, syntaxOf(file.path)!))) {
          if (d.binding) bindings.get(d.table)?.add(d.binding);
        }
      }
    }
    /** Names still short of their limit; the pattern shrinks as names fill up so later files cost less. */
    let remaining = [...byName.keys()];
    let matcher = new NameMatcher(remaining);

    for (const [searched, file] of files.entries()) {
      if (opts.deadline?.expired) {
        opts.onDeadline?.(searched, files.length);
        break;
      }
      if (remaining.some((n) => !open(n))) {
        remaining = remaining.filter(open);
        if (remaining.length === 0) break;
        matcher = new NameMatcher(remaining);
      }
      if (!matcher.test(file.text)) continue;
      const syntax = syntaxOf(file.path)!;
      const state: FileState = { sql: new Map() };
      const regionsOf = () => (state.regions ??= scanRegions(file.text, syntax));
      /** For column searches: the tables this file references (a column counts only next to its table). */
      let fileTables: Set<string> | undefined;
      const tablesInFile = () => {
        if (fileTables) return fileTables;
        fileTables = new Set();
        if (!tableMatcher) return fileTables;
        for (const m of tableMatcher.matches(file.text)) {
          const region = regionAt(regionsOf(), m.index);
          if (region?.kind !== 'comment') fileTables.add(m.name);
        }
        return fileTables;
      };
      let declarations: TableDeclaration[] | undefined;
      const declarationsInFile = () => (declarations ??= tableDeclarations(file.text, regionsOf));
      const test = isTestPath(file.path);
      /** A column hit in code counts when it is tied to its table: read off the table's binding, or declared in its definition. */
      const tiedInCode = (table: string, offset: number, region: Region | undefined) => {
        const receiver = region ? undefined : receiverAt(file.text, offset);
        if (receiver !== undefined) return bindings.get(table)?.has(receiver) === true;
        // In a definition, a string is a column only as a builder's name (`text("done")`), not a value (`enum: ["done"]`).
        if (region && !isColumnNameArgument(file.text, region.start)) return false;
        return declarationsInFile().some((d) => d.table === table && d.start < offset && offset < d.end);
      };
      const seenLines = new Set<string>();
      for (const m of matcher.matches(file.text)) {
        const name = m.name;
        if (!open(name)) continue;
        const region = regionAt(regionsOf(), m.index);
        if (region?.kind === 'comment') continue;
        // In a .sql file a quoted string is data, not a name (SQLite's identifiers use double quotes).
        if (region?.kind === 'string' && syntax === 'sql') continue;
        let sql: SqlNames | null = null;
        if (region?.kind === 'string' && syntax !== 'sql') {
          if (!state.sql.has(region.start)) {
            const literal = file.text.slice(region.contentStart, region.contentEnd);
            state.sql.set(region.start, SQL_LIKE.test(literal) ? await parse(literal) : null);
          }
          sql = state.sql.get(region.start) ?? null;
        }
        // Outside code, a name right after or before a slash is a path or route ('./posts.js', '/api/posts'), not a table.
        if (!sql && (region?.kind === 'string' || syntax === 'markup') && isPathSegment(file.text, m.index, m.length)) continue;
        const sqlLike = region?.kind === 'string' && syntax !== 'sql' && state.sql.get(region.start) === null && SQL_LIKE.test(file.text.slice(region.contentStart, region.contentEnd));
        for (const target of byName.get(name) ?? []) {
          const refs = result.get(target.key)!;
          const count = counts.get(target.key)!;
          if ((test ? count.test : count.code) >= limit) continue;
          if (target.table) {
            if (sql) {
              if (!sql.columns.has(`${target.table}.${name}`) && !(sql.columns.has(`.${name}`) && sql.tables.has(target.table))) continue;
            } else if (sqlLike) {
              // SQL the parser can't read: the column counts when the same statement names its table.
              const literal = file.text.slice(region!.contentStart, region!.contentEnd);
              if (!new NameMatcher([target.table]).test(literal)) continue;
            } else if (syntax === 'sql' || syntax === 'markup') {
              if (!tablesInFile().has(target.table)) continue;
            } else if (!tiedInCode(target.table, m.index, region)) continue;
          } else if (sql && !sql.tables.has(name)) continue;
          else if (!sql && !region && syntax === 'js' && isObjectKey(file.text, m.index, m.length)) continue;
          const line = lineOf(state, file.text, m.index);
          const seen = `${target.key}\n${line}`;
          if (seenLines.has(seen)) continue;
          seenLines.add(seen);
          refs.push({ file: file.path, line, text: lineText(file.text, m.index), ...(test ? { test: true } : {}) });
          if (test) count.test++;
          else count.code++;
        }
      }
    }
    return result;
  }

  return { references };
}
