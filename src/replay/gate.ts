/**
 * The statement gate: decides, from tokens (never a regex over raw text, so comments and quotes cannot hide a
 * keyword), whether a split statement may run in the sandbox, is refused, or is skipped because the target (D1)
 * would refuse or ignore it.
 *
 * Refused: ATTACH, DETACH and VACUUM (they create or read files), `load_extension(…)`, text holding a NUL (SQLite
 * would run a prefix we did not gate), and every PRAGMA not listed below. PRAGMAs that size memory or storage
 * (`cache_size`, `max_page_count`, `page_size`, `mmap_size`, `soft/hard_heap_limit`), touch files or journaling
 * (`journal_mode`, `temp_store`, `temp_store_directory`, `data_store_directory`, `synchronous`, `locking_mode`),
 * or weaken SQLite's defences (`writable_schema`, `trusted_schema`, `cell_size_check`) are refused: a migration never
 * needs them to shape a schema, and D1 refuses them too.
 */
import { keywordOf, tokenize, type Statement, type Token } from './split.js';

export type GateDecision =
  | { action: 'run' }
  | { action: 'refuse'; reason: string }
  /** Not executed: the target refuses or ignores it; the note becomes a CompatibilityNote. */
  | { action: 'skip'; note: 'transaction-statement' | 'foreign-keys-pragma'; reason: string };

export interface GateContext {
  dialect: 'd1' | 'sqlite';
}

/** PRAGMAs that may be set or read (they change how statements behave, not where data lives). */
const SETTABLE = new Set([
  'foreign_keys',
  'defer_foreign_keys',
  'legacy_alter_table',
  'recursive_triggers',
  'ignore_check_constraints',
  'case_sensitive_like',
  'reverse_unordered_selects',
  'automatic_index',
  'user_version',
  'application_id',
  'analysis_limit',
]);

/** PRAGMAs that read, optionally given an object name (`table_info(users)`). */
const READ_WITH_ARGUMENT = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_list',
  'index_info',
  'index_xinfo',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
  'optimize',
]);

/** PRAGMAs that may only be read: giving them a value would change storage or the schema cookie. */
const READ_ONLY = new Set([
  'schema_version',
  'data_version',
  'page_count',
  'freelist_count',
  'encoding',
  'compile_options',
  'collation_list',
  'function_list',
  'module_list',
  'pragma_list',
  'database_list',
]);

const TRANSACTION_KEYWORDS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const FILE_KEYWORDS = new Set(['ATTACH', 'DETACH', 'VACUUM']);

/** The tokens that mean something (no whitespace or comments). */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** An identifier's name as SQLite reads it: quotes removed, doubled quotes undone. */
export function identifierName(t: Token): string {
  const q = t.text[0];
  if (q === '[') return t.text.slice(1, t.text.endsWith(']') ? -1 : undefined);
  if (q === '"' || q === '`' || q === "'") {
    const inner = t.text.slice(1, t.text.endsWith(q) ? -1 : undefined);
    return inner.split(q + q).join(q);
  }
  return t.text;
}

export function gateStatement(statement: Statement | string, ctx: GateContext): GateDecision {
  const sql = typeof statement === 'string' ? statement : statement.sql;
  if (sql.includes('\0')) return refuse('the statement contains a NUL character');
  const tokens = significantTokens(sql);
  let i = 0;
  // EXPLAIN does not run its statement, but judge what it wraps as if it did.
  if (keywordOf(tokens[i]) === 'EXPLAIN') {
    i++;
    if (keywordOf(tokens[i]) === 'QUERY' && keywordOf(tokens[i + 1]) === 'PLAN') i += 2;
  }
  const keyword = keywordOf(tokens[i]);

  // Names are compared as SQLite reads them: "load_extension", [load_extension] and `load_extension` are that function
  // too (and so is a string in a call's place). SQLite refuses it anyway; this is the second line of defence.
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k];
    const named = t.kind === 'word' || t.kind === 'quoted' || (t.kind === 'string' && tokens[k + 1]?.text === '(');
    if (named && identifierName(t).toLowerCase() === 'load_extension') {
      return refuse('load_extension() is never allowed in the sandbox');
    }
  }
  if (FILE_KEYWORDS.has(keyword)) {
    return refuse(`${keyword} is not allowed: it reads or writes database files outside the replay`);
  }
  if (keyword === 'PRAGMA') return gatePragma(tokens.slice(i + 1), ctx);
  if (ctx.dialect === 'd1' && TRANSACTION_KEYWORDS.has(keyword)) {
    return {
      action: 'skip',
      note: 'transaction-statement',
      reason: `D1 refuses ${keyword}: it runs each migration in a transaction itself`,
    };
  }
  return { action: 'run' };
}

function gatePragma(rest: Token[], ctx: GateContext): GateDecision {
  const nameTokens = rest[1]?.text === '.' ? [rest[0], rest[2]] : [rest[0]];
  const nameToken = nameTokens[nameTokens.length - 1];
  if (!nameToken || (nameToken.kind !== 'word' && nameToken.kind !== 'quoted' && nameToken.kind !== 'string')) {
    return refuse('a PRAGMA without a readable name is not allowed');
  }
  if (nameTokens.length === 2) {
    const schema = identifierName(nameTokens[0]).toLowerCase();
    if (schema !== 'main' && schema !== 'temp') return refuse(`PRAGMA on schema "${schema}" is not allowed`);
  }
  const name = identifierName(nameToken).toLowerCase();
  const after = rest.slice(nameTokens.length === 2 ? 3 : 1).filter((t) => t.kind !== 'semi');
  const hasValue = after.length > 0;
  if (name === 'foreign_keys' && ctx.dialect === 'd1') {
    return {
      action: 'skip',
      note: 'foreign-keys-pragma',
      reason: 'D1 ignores PRAGMA foreign_keys and always enforces foreign keys (use PRAGMA defer_foreign_keys)',
    };
  }
  if (SETTABLE.has(name) || READ_WITH_ARGUMENT.has(name)) return { action: 'run' };
  if (READ_ONLY.has(name)) {
    return hasValue ? refuse(`PRAGMA ${name} may only be read, not set`) : { action: 'run' };
  }
  return refuse(`PRAGMA ${name} is not on the sandbox's allowlist`);
}

function refuse(reason: string): GateDecision {
  return { action: 'refuse', reason };
}
