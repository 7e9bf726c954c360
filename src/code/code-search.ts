/**
 * Searches the head tree's source files for names used as identifiers, for rules such as drop-referenced-table.
 *
 * One `tree.read()` loads every candidate file (once, on first use); one combined regular expression finds every
 * name in one pass per file. Only files with a hit are lexed (source-regions.ts): hits in comments are not
 * references; hits in SQL-looking string literals count only when node-sql-parser lists the name among the
 * statement's tables (or columns, for column searches) — so `SELECT * FROM meadow_posts` is not a reference to `posts`
 * — falling back to the identifier match when the SQL does not parse.
 */
import type { CodeReference, CodeSearch } from '../rules/types.js';
import type { Tree } from '../source/types.js';
import { regionAt, scanRegions, syntaxOf, type Region } from './source-regions.js';
import { sqlNamesOf, type SqlNames } from './sql-names.js';

export interface CodeSearchOptions {
  /** Paths never searched: migration folders, configured ignores. */
  exclude: (path: string) => boolean;
  /** Files larger than this are skipped (generated bundles, data dumps). Default 1 MB. */
  maxFileBytes?: number;
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern for all names: a name only matches as a whole identifier (`_`, `$`, letters and digits are word characters). */
export function namesPattern(names: string[]): RegExp {
  const alternatives = [...new Set(names.map((n) => n.toLowerCase()))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![A-Za-z0-9_$])(?:${alternatives.join('|')})(?![A-Za-z0-9_$])`, 'gi');
}

const isPathSegment = (text: string, start: number, length: number) =>
  text[start - 1] === '/' || text[start - 1] === '\\' || text[start + length] === '/';

/** Literals that look like SQL: worth handing to the parser. */
const SQL_LIKE = /^\s*\(?\s*(select|insert|update|delete|replace|with|create|alter|drop)\b|\b(from|join|into)\s+["`[]?[A-Za-z_]/i;

interface FileState {
  regions?: Region[];
  lineStarts?: number[];
  sql: Map<number, SqlNames | null>;
}

function lineOf(state: FileState, text: string, offset: number): number {
  if (!state.lineStarts) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    state.lineStarts = starts;
  }
  const starts = state.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
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
  const paths = (await tree.list()).filter((p) => isSearchable(p, opts.exclude));
  const contents = await tree.read(paths);
  const files: SourceFile[] = [];
  for (const path of paths) {
    const text = contents.get(path);
    if (text !== undefined && text.length <= maxBytes) files.push({ path, text });
  }
  return files;
}

export function createCodeSearch(tree: Tree, opts: CodeSearchOptions): CodeSearch {
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
    const tablePattern = tableNames.length ? namesPattern(tableNames) : undefined;
    const files = await load();
    const open = (name: string) => byName.get(name)!.some((t) => result.get(t.key)!.length < limit);
    /** Names still short of their limit; the pattern shrinks as names fill up so later files cost less. */
    let remaining = [...byName.keys()];
    let pattern = namesPattern(remaining);

    for (const file of files) {
      if (remaining.some((n) => !open(n))) {
        remaining = remaining.filter(open);
        if (remaining.length === 0) break;
        pattern = namesPattern(remaining);
      }
      pattern.lastIndex = 0;
      if (!pattern.test(file.text)) continue;
      const syntax = syntaxOf(file.path)!;
      const state: FileState = { sql: new Map() };
      const regionsOf = () => (state.regions ??= scanRegions(file.text, syntax));
      /** For column searches: the tables this file references (a column counts only next to its table). */
      let fileTables: Set<string> | undefined;
      const tablesInFile = () => {
        if (fileTables) return fileTables;
        fileTables = new Set();
        if (!tablePattern) return fileTables;
        tablePattern.lastIndex = 0;
        for (const m of file.text.matchAll(tablePattern)) {
          const region = regionAt(regionsOf(), m.index);
          if (region?.kind !== 'comment') fileTables.add(m[0].toLowerCase());
        }
        return fileTables;
      };
      const seenLines = new Set<string>();
      pattern.lastIndex = 0;
      for (const m of file.text.matchAll(pattern)) {
        const name = m[0].toLowerCase();
        if (!open(name)) continue;
        const region = regionAt(regionsOf(), m.index);
        if (region?.kind === 'comment') continue;
        // In a .sql file a quoted string is data, not a name (SQLite's identifiers use double quotes).
        if (region?.kind === 'string' && syntax === 'sql') continue;
        let sql: SqlNames | null = null;
        if (region?.kind === 'string' && syntax !== 'sql') {
          if (!state.sql.has(region.start)) {
            const literal = file.text.slice(region.contentStart, region.contentEnd);
            state.sql.set(region.start, SQL_LIKE.test(literal) ? sqlNamesOf(literal) : null);
          }
          sql = state.sql.get(region.start) ?? null;
        }
        // Outside code, a name right after or before a slash is a path or route ('./posts.js', '/api/posts'), not a table.
        if (!sql && (region?.kind === 'string' || syntax === 'markup') && isPathSegment(file.text, m.index, m[0].length)) continue;
        for (const target of byName.get(name) ?? []) {
          const refs = result.get(target.key)!;
          if (refs.length >= limit) continue;
          if (target.table) {
            if (sql) {
              if (!sql.columns.has(`${target.table}.${name}`) && !(sql.columns.has(`.${name}`) && sql.tables.has(target.table))) continue;
            } else if (!tablesInFile().has(target.table)) continue;
          } else if (sql && !sql.tables.has(name)) continue;
          const line = lineOf(state, file.text, m.index);
          const seen = `${target.key}\n${line}`;
          if (seenLines.has(seen)) continue;
          seenLines.add(seen);
          refs.push({ file: file.path, line, text: lineText(file.text, m.index) });
        }
      }
    }
    return result;
  }

  return { references };
}
