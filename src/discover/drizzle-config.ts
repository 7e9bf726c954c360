/**
 * Reads `drizzle.config.{ts,js,mjs,cjs,json}` statically — the file is the PR's code, so it is never imported or run.
 *
 * The config shape accepted is small — string literals (and arrays of them) in the object passed to `defineConfig({...})`
 * or exported default, directly or through a top-level `const` — and anything else is reported by key as "not
 * statically readable" rather than guessed.
 *
 * Why acorn with @sveltejs/acorn-typescript (measured on Node 20 here, median of 7 cold imports on a busy 2-core box):
 * oxc-parser loads fastest (~60 ms) but is a native addon that crashed the whole process (SIGSEGV, uncatchable) on a
 * 20 KB file of 10,000 nested parentheses — the review process must survive any PR. @babel/parser parses the same
 * but loads in ~550 ms. acorn + the TypeScript plugin loads in ~100 ms, is pure JavaScript (a too-deep file throws
 * a catchable error), and parses a 248 KB config in well under a second; `satisfies`, `as const` and type
 * annotations are understood. (plain `acorn-typescript` 1.4 rejects `satisfies`.) The work is bounded by the size
 * cap below: parsing is linear, the walks over the tree are iterative, and alias chains stop after a few links.
 */
import { Parser } from 'acorn';
import { tsPlugin } from '@sveltejs/acorn-typescript';
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
// Parsing, and finding the config object in the syntax tree

/**
 * acorn turns a stack overflow into "Not enough stack space" by testing the error message with a regular expression
 * inside the deepest `parseExpression` frame. V8 compiles a regular expression on first use, and compiling it with the
 * stack exhausted is a fatal out-of-memory abort of the whole process (seen at 600 nested template literals). This
 * override decides by the error's class instead, so a too-deep file is an ordinary, catchable SyntaxError.
 */
class TypeScriptParser extends Parser.extend(tsPlugin()) {
  catchStackOverflow<T>(this: TypeScriptParser & { raise(pos: number, message: string): never; start: number }, f: () => T): T {
    try {
      return f();
    } catch (error) {
      if (error instanceof RangeError) this.raise(this.start, 'Not enough stack space to parse input');
      throw error;
    }
  }
}
const MAX_ALIASES = 8;
/** Real drizzle configs are a few hundred bytes; anything this large is not one Safari should spend time on. */
export const MAX_DRIZZLE_CONFIG_BYTES = 256 * 1024;

/** Any syntax-tree node; only the fields read here are named. */
interface Node {
  type: string;
  start: number;
  [field: string]: unknown;
}

class UnreadableSource extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/** Parses the config as a module (TypeScript syntax is a superset of what .js/.mjs/.cjs configs use). */
function parseConfig(text: string): Node[] {
  try {
    const program = TypeScriptParser.parse(text, { sourceType: 'module', ecmaVersion: 'latest', locations: true, allowHashBang: true });
    return program.body as unknown as Node[];
  } catch (error) {
    // acorn's SyntaxError carries `loc`; its message ends with " (line:column)", which the notice gives as `line`.
    const loc = (error as { loc?: { line: number } }).loc;
    const message = error instanceof RangeError ? 'it nests too deeply' : (error as Error).message.replace(/ \(\d+:\d+\)$/, '');
    throw new UnreadableSource(message, loc?.line);
  }
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/** Removes what only TypeScript adds around a value: `x as const`, `x satisfies Config`, `x!`, `<Config>x`. */
function unwrap(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n && ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'ParenthesizedExpression'].includes(n.type)) {
    n = n.expression as Node;
  }
  return n;
}

const isIdentifier = (n: Node | undefined, name?: string): boolean => n?.type === 'Identifier' && (name === undefined || n.name === name);
const isDefineConfigCall = (n: Node | undefined): boolean => n?.type === 'CallExpression' && isIdentifier(n.callee as Node, 'defineConfig');

/** The value each top-level `const|let|var name = …` (exported or not) binds; the first declaration of a name wins. */
function declaredValues(body: Node[]): Map<string, Node> {
  const values = new Map<string, Node>();
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations as Node[]) {
      const id = d.id as Node;
      if (isIdentifier(id) && d.init && !values.has(id.name as string)) values.set(id.name as string, d.init as Node);
    }
  }
  return values;
}

/**
 * The objects passed to the first `wanted` `defineConfig(…)` calls that have one, in source order. The walk is
 * iterative, so any nesting is safe, and it stops early: a hostile file may hold thousands of calls.
 */
function objectsOfDefineConfigCalls(body: Node[], objectOf: (call: Node) => Node | undefined, wanted: number): Node[] {
  const objects: Node[] = [];
  const stack: unknown[] = [...body].reverse();
  while (stack.length > 0 && objects.length < wanted) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (!isNode(v)) continue;
    const object = isDefineConfigCall(v) ? objectOf(v) : undefined;
    if (object) objects.push(object);
    const children = Object.entries(v).filter(([k]) => k !== 'loc' && k !== 'typeAnnotation');
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i][1]);
  }
  return objects;
}

/**
 * The object literal the file exports as its config (undefined when none), and whether it was one of several
 * `defineConfig` calls picked without knowing which one the default export returns.
 */
function findConfigObject(body: Node[]): { object: Node | undefined; ambiguous: boolean } {
  const declarations = declaredValues(body);
  /** From a value: `{…}`, `defineConfig({…})`, or an identifier bound to one of those. */
  const objectAt = (value: Node | undefined, seen: Set<string>): Node | undefined => {
    const n = unwrap(value);
    if (n?.type === 'ObjectExpression') return n;
    if (isDefineConfigCall(n)) return objectAt((n!.arguments as Node[])[0], seen);
    if (!isIdentifier(n)) return undefined;
    const name = n!.name as string;
    // Bounded: a hostile file could chain thousands of aliases.
    if (seen.has(name) || seen.size >= MAX_ALIASES) return undefined;
    seen.add(name);
    return objectAt(declarations.get(name), seen);
  };
  for (const statement of body) {
    let exported: Node | undefined;
    if (statement.type === 'ExportDefaultDeclaration') exported = statement.declaration as Node;
    else if (statement.type === 'TSExportAssignment') exported = statement.expression as Node; // `export = {…}`
    else if (statement.type === 'ExpressionStatement') {
      const e = statement.expression as Node;
      const left = e.type === 'AssignmentExpression' && e.operator === '=' ? (e.left as Node) : undefined;
      if (left?.type === 'MemberExpression' && !left.computed && isIdentifier(left.object as Node, 'module') && isIdentifier(left.property as Node, 'exports')) {
        exported = e.right as Node;
      }
    }
    const found = exported && objectAt(exported, new Set());
    if (found) return { object: found, ambiguous: false };
  }
  // A config that only calls defineConfig (e.g. `export default process.env.X ? a : defineConfig({...})`).
  // Two are enough to know the choice is ambiguous.
  const objects = objectsOfDefineConfigCalls(body, (call) => objectAt(call, new Set()), 2);
  return { object: objects[0], ambiguous: objects.length > 1 };
}

type PropertyValue =
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'strings'; values: string[]; offset: number }
  | { kind: 'dynamic'; offset: number };

interface ObjectRead {
  props: Map<string, PropertyValue>;
  /** Offsets of `...spread` entries and computed keys: any key may hide behind them. */
  spreads: number[];
}

/** A string literal, or a template literal without `${…}`; undefined for anything computed. */
function stringValue(node: Node | undefined): string | undefined {
  const n = unwrap(node);
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral' && (n.expressions as Node[]).length === 0) {
    return ((n.quasis as Node[])[0].value as { cooked: string | null }).cooked ?? undefined;
  }
  return undefined;
}

/** Reads the properties of the config object literal. */
function readObject(object: Node): ObjectRead {
  const props = new Map<string, PropertyValue>();
  const spreads: number[] = [];
  for (const p of object.properties as Node[]) {
    const key = p.key as Node | undefined;
    if (p.type !== 'Property' || p.computed || !key) {
      spreads.push(p.start);
      continue;
    }
    const name = key.type === 'Identifier' ? (key.name as string) : String(key.value);
    const value = p.value as Node;
    // Shorthand `{ out }`, methods and getters: the value is computed.
    const plain = p.kind === 'init' && !p.method && !p.shorthand;
    const single = plain ? stringValue(value) : undefined;
    const list = unwrap(value);
    if (single !== undefined) props.set(name, { kind: 'string', value: single, offset: value.start });
    else if (plain && list?.type === 'ArrayExpression') {
      const values = (list.elements as (Node | null)[]).map((e) => (e ? stringValue(e) : undefined));
      props.set(
        name,
        values.every((v): v is string => v !== undefined) ? { kind: 'strings', values, offset: value.start } : { kind: 'dynamic', offset: value.start },
      );
    } else props.set(name, { kind: 'dynamic', offset: value.start });
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

/**
 * Where drizzle-kit runs with this config. drizzle-kit resolves `out` and `schema` against `process.cwd()`, not
 * against the config's folder: the folders of the package.json scripts that run drizzle-kit with it (`runFolders`), or
 * the config's own folder when nothing names it (drizzle-kit's default config is `./drizzle.config.ts`).
 */
export interface DrizzleRunPlace {
  runFolders?: string[];
  /** Whether a folder exists in the tree: decides between places that disagree. */
  hasFolder?: (folder: string) => boolean;
}

/** Reads one drizzle config file. Never throws. */
export function readDrizzleConfig(configFile: string, text: string, place: DrizzleRunPlace = {}): DrizzleConfig {
  const unusable = (message: string): DrizzleConfig => unusableDrizzleConfig(configFile, message);
  if (text.length > MAX_DRIZZLE_CONFIG_BYTES) return unusable(`it is larger than ${MAX_DRIZZLE_CONFIG_BYTES / 1024} KB; Safari reads drizzle configs statically and skipped it`);
  try {
    return readDrizzleConfigText(configFile, text, place);
  } catch (error) {
    // A bug or a pathological file must not stop the review.
    return unusable(`could not be read statically: ${(error as Error).message}`);
  }
}

function readDrizzleConfigText(configFile: string, text: string, place: DrizzleRunPlace): DrizzleConfig {
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
    let body: Node[] = [];
    try {
      body = parseConfig(text);
    } catch (error) {
      readable = false;
      const { message, line } = error as UnreadableSource;
      unreadable(`could not be read statically: ${message}`, line);
    }
    const { object, ambiguous } = readable ? findConfigObject(body) : { object: undefined, ambiguous: false };
    if (readable && object === undefined) {
      readable = false;
      unreadable('no config object found statically (expected `export default defineConfig({...})` or `export default {...}`)');
    } else if (ambiguous) {
      unreadable('it chooses between several defineConfig({...}) calls at run time; Safari read the first one', lineAt(text, object!.start));
    }
    if (readable) {
      const { props, spreads } = readObject(object!);
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

  const outText = values.out ?? DEFAULT_DRIZZLE_OUT;
  const dir = readable && !dynamicKeys.has('out') ? runFolder(configFile, outText, place, notices) : folderOf(configFile);
  let out: string | undefined;
  if (readable && !dynamicKeys.has('out')) {
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

/**
 * The folder drizzle-kit runs in with this config, which `out` and `schema` are relative to. The scripts' folders come
 * first (that is where `npm run db:generate` runs it), then the config's own folder. When they disagree, the one whose
 * `out` exists wins, with a notice naming both; when none exists (a folder not generated yet), the first.
 */
function runFolder(configFile: string, outText: string, place: DrizzleRunPlace, notices: DiscoveryNotice[]): string {
  const own = folderOf(configFile);
  const candidates = [...new Set([...(place.runFolders ?? []), own])];
  const hasFolder = place.hasFolder;
  if (candidates.length === 1 || !hasFolder) return candidates[0];
  const outOf = (folder: string) => resolveInRepo(folder, outText);
  const first = candidates[0];
  const firstOut = outOf(first);
  if (firstOut !== undefined && hasFolder(firstOut)) return first;
  const existing = candidates.find((folder) => {
    const out = outOf(folder);
    return out !== undefined && hasFolder(out);
  });
  if (existing === undefined) return first;
  const where = (folder: string) =>
    folder === own ? 'relative to the config' : `relative to ${folder ? `${folder}/` : 'the repository root'}, where a package.json script runs drizzle-kit`;
  notices.push({
    messageId: 'ambiguous-out',
    file: configFile,
    data: { file: configFile, out: outText, first: firstOut ?? outText, firstWhere: where(first), chosen: outOf(existing) as string, chosenWhere: where(existing) },
  });
  return existing;
}
