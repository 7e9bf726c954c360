/**
 * Tables created by application code rather than by migrations: `CREATE TABLE` inside the string and template
 * literals of source files — above all Durable Objects' own SQLite (`ctx.storage.sql.exec(…)`, `this.sql.exec(…)`,
 * `this.state.storage.sql…`), which no migration folder shows. The literals come from the code search's lexer
 * (source-regions.ts), so a `CREATE TABLE` in a comment is not a table; tests are not application code.
 */
import type { SourceFile } from '../code/code-search.js';
import { scanRegions, syntaxOf, type Region } from '../code/source-regions.js';
import { lineAt } from '../discover/paths.js';
import { operationOf, splitStatements } from '../rules/shared/sql-operations.js';
import type { SqlToken } from '../replay/sql-tokens.js';

export interface EmbeddedTable {
  name: string;
  /** 1-based line of the `CREATE TABLE` in the file. */
  line: number;
  columns: string[];
}

export interface EmbeddedSource {
  file: string;
  /** The class whose body holds the literals (the Durable Object), null outside any class. */
  class: string | null;
  /** true when the file uses Durable Object SQLite storage (`storage.sql`). */
  durableObject: boolean;
  /** In file order. */
  tables: EmbeddedTable[];
}

const CREATE_TABLE = /\bcreate\s+(?:temp(?:orary)?\s+)?(?:virtual\s+)?table\b/i;
const TEST_SEGMENTS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', '__mocks__', 'testdata', 'test-utils']);

/** Test code creates tables of its own on purpose (an in-memory database, a fake Durable Object): not embedded tables. */
export function isTestFile(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  return (
    segments.slice(0, -1).some((s) => TEST_SEGMENTS.has(s.toLowerCase())) ||
    /\.(test|spec)\.[^.]+$/i.test(name) ||
    /^test_.+\.py$/i.test(name) ||
    /_test\.(go|py)$/i.test(name)
  );
}

/** Embedded tables of every file, grouped by file and class, files sorted by path. */
export function findEmbeddedTables(files: readonly SourceFile[]): EmbeddedSource[] {
  const out: EmbeddedSource[] = [];
  for (const file of files) {
    const syntax = syntaxOf(file.path);
    // A .sql file is SQL, not code holding SQL; migrations and fixtures never reach here (the code search skips them).
    if (!syntax || syntax === 'sql' || isTestFile(file.path) || !CREATE_TABLE.test(file.text)) continue;
    out.push(...scanFile(file, scanRegions(file.text, syntax)));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.class ?? '').localeCompare(b.class ?? '')));
}

function scanFile(file: SourceFile, regions: Region[]): EmbeddedSource[] {
  const code = maskRegions(file.text, regions);
  const classes = classBodies(code);
  const durableObject = /\bstorage\s*\.\s*sql\b/.test(code) || /\bextends\s+DurableObject\b/.test(code);
  const byClass = new Map<string | null, EmbeddedTable[]>();
  for (const region of regions) {
    if (region.kind !== 'string') continue;
    const literal = file.text.slice(region.contentStart, region.contentEnd);
    if (!CREATE_TABLE.test(literal)) continue;
    const firstLine = lineAt(file.text, region.contentStart);
    const tables = createdTables(literal).map((t) => ({ ...t, line: firstLine + t.line - 1 }));
    if (tables.length === 0) continue;
    const owner = classAt(classes, region.start);
    byClass.set(owner, [...(byClass.get(owner) ?? []), ...tables]);
  }
  return [...byClass].map(([cls, tables]) => ({ file: file.path, class: cls, durableObject, tables }));
}

/** Template placeholders become an identifier, so `CREATE TABLE ${name}_log (…)` still reads as a statement. */
const withoutPlaceholders = (literal: string) => literal.replace(/\$\{[^}]*\}/g, (m) => `__expr__${m.replace(/[^\n]/g, '')}`);

/** The tables a SQL literal creates, with their columns; lines are relative to the literal. */
export function createdTables(literal: string): EmbeddedTable[] {
  const tables: EmbeddedTable[] = [];
  for (const statement of splitStatements(withoutPlaceholders(literal))) {
    const op = operationOf(statement);
    if (op?.kind !== 'create-table') continue;
    const shown = (name: string) => name.replace(/__expr__/g, '${…}');
    tables.push({ name: shown(op.table), line: statement.line, columns: columnsOf(statement.tokens).map(shown) });
  }
  return tables;
}

const CONSTRAINT_WORDS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign']);

/** Column names of a CREATE TABLE's definition list (table constraints skipped; `AS SELECT` gives none). */
function columnsOf(tokens: SqlToken[]): string[] {
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  if (open < 0) return [];
  const columns: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'punct' && t.value === ',') expectName = true;
    else if (expectName && depth === 0) {
      expectName = false;
      if ((t.kind === 'word' || t.kind === 'quoted') && !(t.kind === 'word' && CONSTRAINT_WORDS.has(t.value))) columns.push(t.value);
    }
  }
  return columns;
}

/** The file with every comment and literal blanked out (same offsets), so braces and keywords are code's own. */
function maskRegions(text: string, regions: Region[]): string {
  let out = '';
  let at = 0;
  for (const r of regions) {
    out += text.slice(at, r.start) + text.slice(r.start, r.end).replace(/[^\n]/g, ' ');
    at = r.end;
  }
  return out + text.slice(at);
}

interface ClassBody {
  name: string;
  start: number;
  end: number;
}

/** `class Name … { … }` bodies by one pass of brace matching over masked code (nested classes included); linear time. */
function classBodies(code: string): ClassBody[] {
  const opens = new Map<number, string>();
  for (const m of code.matchAll(/\bclass\s+([A-Za-z_$][\w$]*)[^{;]{0,400}\{/g)) opens.set(m.index + m[0].length - 1, m[1]);
  if (opens.size === 0) return [];
  const bodies: ClassBody[] = [];
  const stack: { at: number; name: string | undefined }[] = [];
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) stack.push({ at: i, name: opens.get(i) });
    else if (c === 125) {
      const open = stack.pop();
      if (open?.name !== undefined) bodies.push({ name: open.name, start: open.at, end: i + 1 });
    }
  }
  // A class whose body never closes runs to the end of the file.
  for (const open of stack) if (open.name !== undefined) bodies.push({ name: open.name, start: open.at, end: code.length });
  return bodies;
}

/** The innermost class containing `offset`. */
function classAt(classes: ClassBody[], offset: number): string | null {
  let best: ClassBody | undefined;
  for (const c of classes) if (c.start <= offset && offset < c.end && (!best || c.start > best.start)) best = c;
  return best?.name ?? null;
}
