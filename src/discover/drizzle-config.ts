/**
 * Reads `drizzle.config.{ts,js,mjs,cjs,json}` statically — the file is the PR's code, so it is never imported or run.
 *
 * Why a tokenizer and not a parser: the installed packages offer no JS/TS AST (esbuild transforms but exposes none,
 * typescript is a dev dependency only). The config shape we accept is tiny — string literals (and arrays of them) in
 * the object passed to `defineConfig({...})` or exported default — so a tokenizer that understands comments, the
 * three quote kinds, template interpolation and bracket depth reads it exactly, and anything else is reported as
 * "not statically readable" by key rather than guessed.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DiscoveryNotice } from './types.js';
import { baseName, folderOf, lineAt, resolveInRepo } from './paths.js';
import { unsafeGlob } from './safe-glob.js';

const MAX_SCHEMA_ENTRIES = 64;

export const DRIZZLE_CONFIG_PATTERN = /^drizzle\.config\.(ts|mts|cts|js|mjs|cjs|json)$/;
export const DEFAULT_DRIZZLE_OUT = 'drizzle';

export function isDrizzleConfig(path: string): boolean {
  return DRIZZLE_CONFIG_PATTERN.test(baseName(path));
}

/** How a drizzle folder replays: as SQLite / D1, or not at all (with the reason, shown as a notice). */
/** `engine: 'libsql'`: Turso's fork, which accepts statements stock SQLite refuses (`ALTER TABLE … ALTER COLUMN`). */
export type DrizzleReplay = { dialect: 'sqlite' | 'd1'; engine?: 'libsql' } | { notReplayed: string };

export interface DrizzleConfig {
  configFile: string;
  /** The `out` folder, repo-relative; undefined when it can't be known statically or leaves the repository. */
  out: string | undefined;
  /** true when `out` is written in the config; false for drizzle-kit's default. */
  outExplicit: boolean;
  dialect?: string;
  driver?: string;
  /** `schema` entries, repo-relative (may be globs). */
  schema?: string[];
  replay: DrizzleReplay;
  notices: DiscoveryNotice[];
}

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'ident' | 'string' | 'dynamic-string' | 'number' | 'punct' | 'regex';
interface Token {
  kind: TokenKind;
  value: string;
  offset: number;
}

const PUNCT3 = ['...', '===', '!==', '**=', '>>>', '<<=', '>>='];
const PUNCT2 = ['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '**', '<<', '>>'];
/** After these tokens a `/` starts a regular expression, not a division. */
const REGEX_AFTER = new Set(['(', ',', '=', ':', '[', '!', '&&', '||', '??', '?', '{', '}', ';', '=>', 'return', 'typeof']);

class TokenizeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new TokenizeError('unterminated comment', i);
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n || src[i] === '\n') throw new TokenizeError('unterminated string', start);
        const ch = src[i];
        if (ch === c) break;
        if (ch === '\\') {
          value += unescape(src[i + 1]);
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', value, offset: start });
      continue;
    }
    if (c === '`') {
      let value = '';
      let dynamic = false;
      i++;
      for (;;) {
        if (i >= n) throw new TokenizeError('unterminated template literal', start);
        const ch = src[i];
        if (ch === '`') break;
        if (ch === '\\') {
          value += unescape(src[i + 1]);
          i += 2;
          continue;
        }
        if (ch === '$' && src[i + 1] === '{') {
          dynamic = true;
          i = skipInterpolation(src, i + 2);
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ kind: dynamic ? 'dynamic-string' : 'string', value, offset: start });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[\w$]/.test(src[i])) i++;
      tokens.push({ kind: 'ident', value: src.slice(start, i), offset: start });
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? ''))) {
      while (i < n && /[\w.]/.test(src[i])) i++;
      tokens.push({ kind: 'number', value: src.slice(start, i), offset: start });
      continue;
    }
    if (c === '/') {
      const prev = tokens[tokens.length - 1];
      if (!prev || (prev.kind === 'punct' && REGEX_AFTER.has(prev.value)) || (prev.kind === 'ident' && REGEX_AFTER.has(prev.value))) {
        i = skipRegex(src, i);
        tokens.push({ kind: 'regex', value: src.slice(start, i), offset: start });
        continue;
      }
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    const op = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
    i += op.length;
    tokens.push({ kind: 'punct', value: op, offset: start });
  }
  return tokens;
}

function unescape(ch: string | undefined): string {
  switch (ch) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '\n':
      return '';
    default:
      return ch ?? '';
  }
}

/** Skips a `${ … }` interpolation (which may nest braces, strings and templates); returns the index after `}`. */
function skipInterpolation(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      const quote = ch;
      i++;
      while (i < src.length && src[i] !== quote) {
        if (src[i] === '\\') i++;
        else if (quote === '`' && src[i] === '$' && src[i + 1] === '{') i = skipInterpolation(src, i + 2) - 1;
        i++;
      }
    }
    i++;
  }
  throw new TokenizeError('unterminated template interpolation', i);
}

function skipRegex(src: string, i: number): number {
  const start = i;
  let inClass = false;
  i++;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') throw new TokenizeError('unterminated regular expression', start);
    if (ch === '\\') i++;
    else if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) {
      i++;
      while (i < src.length && /[a-z]/i.test(src[i])) i++;
      return i;
    }
    i++;
  }
  throw new TokenizeError('unterminated regular expression', start);
}

// ---------------------------------------------------------------------------------------------------------------
// Finding the config object and reading its keys

const OPEN = new Set(['(', '[', '{']);
const MAX_ALIASES = 8;
/** Real drizzle configs are a few hundred bytes; anything this large is not one Safari should spend time on. */
export const MAX_DRIZZLE_CONFIG_BYTES = 256 * 1024;
const CLOSE = new Set([')', ']', '}']);

/** How far past `const name` an `=` may come (a type annotation); real ones are a few tokens. */
const MAX_ANNOTATION_TOKENS = 64;

/**
 * Where each `const|let|var name … =` puts its value (the first such declaration of a name), found in one pass.
 * Looking a name up by scanning the file from the start, per `export default`, made a file repeating
 * `export default a;` and `const a ` take minutes.
 */
function declaredValues(tokens: Token[], at: (i: number, value: string) => boolean): Map<string, number> {
  const values = new Map<string, number>();
  for (let j = 0; j + 1 < tokens.length; j++) {
    if (!(tokens[j].kind === 'ident' && ['const', 'let', 'var'].includes(tokens[j].value) && tokens[j + 1].kind === 'ident')) continue;
    const name = tokens[j + 1].value;
    if (values.has(name)) continue;
    let depth = 0;
    const last = Math.min(tokens.length, j + 2 + MAX_ANNOTATION_TOKENS);
    for (let k = j + 2; k < last; k++) {
      if (depth === 0 && at(k, '=')) {
        values.set(name, k + 1);
        break;
      }
      if (tokens[k].kind === 'punct' && OPEN.has(tokens[k].value)) depth++;
      if (tokens[k].kind === 'punct' && CLOSE.has(tokens[k].value)) depth--;
      if (depth === 0 && at(k, ';')) break;
    }
  }
  return values;
}

/**
 * Index of the `{` that opens the exported config object (-1 when none), and whether it was one of several
 * `defineConfig` calls picked without knowing which one the default export returns.
 */
function findConfigObject(tokens: Token[]): { open: number; ambiguous: boolean } {
  const at = (i: number, value: string): boolean => tokens[i]?.kind !== 'string' && tokens[i]?.value === value;
  const declarations = declaredValues(tokens, at);
  /** From a value position: `{`, `({`, `defineConfig({`, or an identifier bound to one of those. */
  const objectAt = (i: number, seen: Set<string>): number => {
    while (at(i, '(')) i++;
    if (at(i, '{')) return i;
    const t = tokens[i];
    if (t?.kind !== 'ident') return -1;
    if (t.value === 'defineConfig' && at(i + 1, '(')) return objectAt(i + 2, seen);
    // Bounded: a hostile file could chain thousands of aliases.
    if (seen.has(t.value) || seen.size >= MAX_ALIASES) return -1;
    seen.add(t.value);
    // `const config = {...}` / `const config: Config = defineConfig({...})`
    const value = declarations.get(t.value);
    return value === undefined ? -1 : objectAt(value, seen);
  };
  for (let i = 0; i < tokens.length; i++) {
    if (at(i, 'export') && at(i + 1, 'default')) {
      const found = objectAt(i + 2, new Set());
      if (found >= 0) return { open: found, ambiguous: false };
    }
    if (at(i, 'module') && at(i + 1, '.') && at(i + 2, 'exports') && at(i + 3, '=')) {
      const found = objectAt(i + 4, new Set());
      if (found >= 0) return { open: found, ambiguous: false };
    }
  }
  // A config that only calls defineConfig (e.g. `export default process.env.X ? a : defineConfig({...})`).
  const calls: number[] = [];
  for (let i = 0; i + 1 < tokens.length && calls.length < 2; i++) {
    if (tokens[i].kind === 'ident' && tokens[i].value === 'defineConfig' && at(i + 1, '(')) {
      const found = objectAt(i + 2, new Set());
      if (found >= 0) calls.push(found);
    }
  }
  return { open: calls[0] ?? -1, ambiguous: calls.length > 1 };
}

type PropertyValue =
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'strings'; values: string[]; offset: number }
  | { kind: 'dynamic'; offset: number };

interface ObjectRead {
  props: Map<string, PropertyValue>;
  /** Offsets of `...spread` entries: any key may hide behind them. */
  spreads: number[];
}

/** Reads the top-level properties of the object literal opening at `open`. */
function readObject(tokens: Token[], open: number): ObjectRead {
  const props = new Map<string, PropertyValue>();
  const spreads: number[] = [];
  const isPunct = (i: number, v: string): boolean => tokens[i]?.kind === 'punct' && tokens[i].value === v;
  /** Index of the next `,` or the closing `}` at this object's depth. */
  const skipValue = (i: number): number => {
    let depth = 0;
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.kind === 'punct') {
        if (OPEN.has(t.value)) depth++;
        else if (CLOSE.has(t.value)) {
          if (depth === 0) return i;
          depth--;
        } else if (t.value === ',' && depth === 0) return i;
      }
      i++;
    }
    return i;
  };
  /** A value ends cleanly at `,`/`}` or at a type assertion (`as const`, `satisfies X`). */
  const endsAt = (i: number): boolean =>
    isPunct(i, ',') || isPunct(i, '}') || (tokens[i]?.kind === 'ident' && (tokens[i].value === 'as' || tokens[i].value === 'satisfies'));

  let i = open + 1;
  while (i < tokens.length && !isPunct(i, '}')) {
    const before = i;
    const t = tokens[i];
    if (isPunct(i, '...')) {
      spreads.push(t.offset);
      i = skipValue(i + 1);
    } else if ((t.kind === 'ident' || t.kind === 'string' || t.kind === 'number') && isPunct(i + 1, ':')) {
      const key = t.value;
      const v = tokens[i + 2];
      let value: PropertyValue = { kind: 'dynamic', offset: v?.offset ?? t.offset };
      if (v?.kind === 'string' && endsAt(i + 3)) value = { kind: 'string', value: v.value, offset: v.offset };
      else if (v && isPunct(i + 2, '[')) {
        const values: string[] = [];
        let j = i + 3;
        let clean = true;
        while (j < tokens.length && !isPunct(j, ']')) {
          if (tokens[j].kind === 'string' && (isPunct(j + 1, ',') || isPunct(j + 1, ']'))) {
            values.push(tokens[j].value);
            j += isPunct(j + 1, ',') ? 2 : 1;
          } else {
            clean = false;
            break;
          }
        }
        if (clean && isPunct(j, ']') && endsAt(j + 1)) value = { kind: 'strings', values, offset: v.offset };
      }
      props.set(key, value);
      i = skipValue(i + 2);
    } else if (t.kind === 'ident' && (isPunct(i + 1, ',') || isPunct(i + 1, '}'))) {
      // Shorthand `{ out }`: the value is a variable.
      props.set(t.value, { kind: 'dynamic', offset: t.offset });
      i = i + 1;
    } else if (isPunct(i, '[')) {
      // Computed key: can't know which key it sets.
      spreads.push(t.offset);
      i = skipValue(i);
    } else {
      i = skipValue(i);
    }
    if (isPunct(i, ',')) i++;
    if (i === before) i++; // a stray `)` or `]` in malformed source: keep moving
  }
  return { props, spreads };
}

// ---------------------------------------------------------------------------------------------------------------

const SQLITE_DRIVERS = new Set(['better-sqlite', 'libsql', 'turso', 'expo', 'durable-sqlite', 'op-sqlite']);

/** Maps drizzle's `dialect` / `driver` to how Safari replays it. */
export function drizzleReplay(dialect: string | undefined, driver: string | undefined): DrizzleReplay {
  if (dialect === 'turso' || ((dialect === 'sqlite' || dialect === undefined) && (driver === 'turso' || driver === 'libsql'))) {
    return { dialect: 'sqlite', engine: 'libsql' };
  }
  if (dialect === 'sqlite') return { dialect: driver === 'd1-http' || driver === 'd1' ? 'd1' : 'sqlite' };
  if (dialect !== undefined) return { notReplayed: `its drizzle dialect is "${dialect}"; Safari replays SQLite and D1 only` };
  // drizzle-kit < 0.21 configs name only a driver.
  if (driver === 'd1' || driver === 'd1-http') return { dialect: 'd1' };
  if (driver !== undefined && SQLITE_DRIVERS.has(driver)) return { dialect: 'sqlite' };
  if (driver !== undefined) return { notReplayed: `its drizzle driver is "${driver}"; Safari replays SQLite and D1 only` };
  return { notReplayed: 'its drizzle config states no dialect Safari can read statically' };
}

type Raw = { out?: unknown; dialect?: unknown; driver?: unknown; schema?: unknown };

/** A drizzle config Safari can't use: no folder, not replayed, and a notice saying why. */
export const unusableDrizzleConfig = (configFile: string, message: string): DrizzleConfig => ({
  configFile,
  out: undefined,
  outExplicit: false,
  replay: { notReplayed: 'its drizzle config could not be read statically' },
  notices: [{ messageId: 'config-unreadable', file: configFile, data: { file: configFile, message } }],
});

/** Reads one drizzle config file. Never throws. */
export function readDrizzleConfig(configFile: string, text: string): DrizzleConfig {
  const unusable = (message: string): DrizzleConfig => unusableDrizzleConfig(configFile, message);
  if (text.length > MAX_DRIZZLE_CONFIG_BYTES) return unusable(`it is larger than ${MAX_DRIZZLE_CONFIG_BYTES / 1024} KB; Safari reads drizzle configs statically and skipped it`);
  try {
    return readDrizzleConfigText(configFile, text);
  } catch (error) {
    // A bug or a pathological file (e.g. nesting deep enough to exhaust the stack) must not stop the review.
    return unusable(`could not be read statically: ${(error as Error).message}`);
  }
}

function readDrizzleConfigText(configFile: string, text: string): DrizzleConfig {
  const notices: DiscoveryNotice[] = [];
  const unreadable = (message: string, line?: number): void => {
    notices.push({ messageId: 'config-unreadable', file: configFile, line, data: { file: configFile, message } });
  };
  const values: { out?: string; dialect?: string; driver?: string; schema?: string[] } = {};
  const dynamicKeys = new Set<string>();
  let readable = true;

  if (configFile.endsWith('.json')) {
    const errors: ParseError[] = [];
    const raw = parseJsonc(text, errors, { allowTrailingComma: true }) as Raw | undefined;
    if (errors.length > 0 || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      readable = false;
      const e = errors[0];
      unreadable(e ? `JSON syntax error: ${printParseErrorCode(e.error)}` : 'the config is not an object', e ? lineAt(text, e.offset) : undefined);
    } else {
      for (const key of ['out', 'dialect', 'driver'] as const) {
        const v = raw[key];
        if (typeof v === 'string') values[key] = v;
        else if (v !== undefined) {
          dynamicKeys.add(key);
          unreadable(`\`${key}\` is not a string`);
        }
      }
      if (typeof raw.schema === 'string') values.schema = [raw.schema];
      else if (Array.isArray(raw.schema) && raw.schema.every((s) => typeof s === 'string')) values.schema = raw.schema as string[];
      else if (raw.schema !== undefined) unreadable('`schema` is not a string or a list of strings');
    }
  } else {
    let tokens: Token[] = [];
    try {
      tokens = tokenize(text);
    } catch (error) {
      readable = false;
      const offset = error instanceof TokenizeError ? error.offset : 0;
      unreadable(`could not be read statically: ${(error as Error).message}`, lineAt(text, offset));
    }
    const { open, ambiguous } = readable ? findConfigObject(tokens) : { open: -1, ambiguous: false };
    if (readable && open < 0) {
      readable = false;
      unreadable('no config object found statically (expected `export default defineConfig({...})` or `export default {...}`)');
    } else if (ambiguous) {
      unreadable('it chooses between several defineConfig({...}) calls at run time; Safari read the first one', lineAt(text, tokens[open].offset));
    }
    if (readable) {
      const { props, spreads } = readObject(tokens, open);
      for (const key of ['out', 'dialect', 'driver', 'schema'] as const) {
        const p = props.get(key);
        if (p === undefined) {
          if (spreads.length > 0 && key !== 'driver' && key !== 'schema') {
            dynamicKeys.add(key);
            unreadable(`\`${key}\` may be set by a spread or computed key Safari can't read statically`, lineAt(text, spreads[0]));
          }
          continue;
        }
        if (p.kind === 'string') {
          if (key === 'schema') values.schema = [p.value];
          else values[key] = p.value;
        } else if (p.kind === 'strings' && key === 'schema') values.schema = p.values;
        else {
          dynamicKeys.add(key);
          unreadable(`\`${key}\` is not a string literal; Safari reads drizzle configs statically and never runs them`, lineAt(text, p.offset));
        }
      }
    }
  }

  const dir = folderOf(configFile);
  let out: string | undefined;
  if (readable && !dynamicKeys.has('out')) {
    const outText = values.out ?? DEFAULT_DRIZZLE_OUT;
    out = resolveInRepo(dir, outText);
    if (out === undefined) unreadable(`\`out\` "${outText}" leaves the repository; it is ignored`);
  }
  // The entries become globs matched against every path: only safe ones, and not too many (safe-glob.ts).
  if (values.schema && values.schema.length > MAX_SCHEMA_ENTRIES) {
    unreadable(`\`schema\` lists ${values.schema.length} entries; Safari reads the first ${MAX_SCHEMA_ENTRIES}`);
    values.schema = values.schema.slice(0, MAX_SCHEMA_ENTRIES);
  }
  const schema = values.schema
    ?.filter((s) => {
      const unsafe = unsafeGlob(s);
      if (unsafe) unreadable(`\`schema\` entry "${s.slice(0, 80)}" is not used: ${unsafe}`);
      return !unsafe;
    })
    .map((s) => resolveInRepo(dir, s))
    .filter((s): s is string => s !== undefined);
  const replay: DrizzleReplay = dynamicKeys.has('dialect')
    ? { notReplayed: 'its drizzle `dialect` is not statically readable' }
    : readable
      ? drizzleReplay(values.dialect, values.driver)
      : { notReplayed: 'its drizzle config could not be read statically' };
  return {
    configFile,
    out,
    outExplicit: values.out !== undefined,
    dialect: values.dialect,
    driver: values.driver,
    schema,
    replay,
    notices,
  };
}
