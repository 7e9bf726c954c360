/**
 * Reads `.github/safari.yml`: YAML syntax errors and schema errors both come back as data naming the key path, the
 * line and what was expected — never an exception. The config is the PR's input, so it is treated as hostile:
 * aliases are capped (yaml's default) and nothing in it is evaluated.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { isBinaryText, type Tree } from '../source/types.js';
import { defaultConfig, safariConfig, type SafariConfig } from './schema.js';
import { closest, formatKeyPath, type ConfigError, type Locate } from './config-error.js';

export type { ConfigError, Locate } from './config-error.js';
export { formatConfigError } from './config-error.js';

export const CONFIG_PATHS = ['.github/safari.yml', '.github/safari.yaml'] as const;

/** Top-level keys holding a mapping or a list; an empty value (null) for them means "none given". */
const COLLECTION_KEYS = ['databases', 'rules', 'domains', 'naming', 'owners', 'drizzle', 'sandbox', 'ignore'];

export type ParseConfigResult = ({ ok: true; config: SafariConfig } | { ok: false; errors: ConfigError[] }) & {
  /** Maps key paths to lines in this file (for errors found later, e.g. unknown rule ids). */
  locate: Locate;
};

/**
 * A real config is a few kilobytes. A hostile one of megabytes costs seconds to parse and, as thousands of `ignore`
 * globs, exhausts the heap when matched against every path: refused before parsing.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;

export function parseConfig(text: string, file: string = CONFIG_PATHS[0]): ParseConfigResult {
  if (text.length > MAX_CONFIG_BYTES) {
    const size = Buffer.byteLength(text, 'utf8');
    return {
      ok: false,
      locate: () => undefined,
      errors: [{ file, path: '', message: `is ${Math.ceil(size / 1024)} KiB; a configuration may be at most ${MAX_CONFIG_BYTES / 1024} KiB` }],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;

  const locate: Locate = (path) => {
    let node: unknown = doc.contents;
    let line: number | undefined = (node as Node | null)?.range ? lineOf((node as Node).range![0]) : undefined;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
        if (!pair) break;
        const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
        if (keyRange) line = lineOf(keyRange[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item) break;
        if (item.range) line = lineOf(item.range[0]);
        node = item;
      } else break;
    }
    return line;
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      locate,
      errors: doc.errors.map((e) => ({
        file,
        path: '',
        line: e.linePos?.[0]?.line ?? lineOf(e.pos[0]),
        message: `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }

  const keyErrors = unusableKeys(doc.contents, [], file, lineOf);
  if (keyErrors.length) return { ok: false, locate, errors: keyErrors };

  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (error) {
    // e.g. yaml's alias-expansion cap ("Excessive alias count") on a billion-laughs document.
    return { ok: false, locate, errors: [{ file, path: '', message: `could not be read: ${(error as Error).message}` }] };
  }

  // `databases:` with every entry commented out parses as null: that means "none", not a type error.
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const record = raw as Record<string, unknown>;
    for (const key of COLLECTION_KEYS) if (record[key] === null) delete record[key];
  }
  const result = safariConfig.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, config: result.data, locate };
  const errors = result.error.issues.flatMap((issue) => issueToErrors(issue, file, locate));
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, errors, locate };
}

/** Reads `.github/safari.yml` (or `.yaml`) from the tree; absent → the defaults. `.yml` wins when both exist. */
export async function loadConfig(tree: Tree): Promise<{ config: SafariConfig; file?: string; errors: ConfigError[]; locate?: Locate }> {
  // Sizes first: an oversized config is refused without being read (a PR's copy is read too).
  const sizes = await tree.sizes([...CONFIG_PATHS]);
  const chosen = CONFIG_PATHS.find((p) => sizes.get(p) !== undefined);
  const size = chosen === undefined ? 0 : sizes.get(chosen)!;
  if (chosen !== undefined && size > MAX_CONFIG_BYTES) {
    const message = `is ${Math.ceil(size / 1024)} KiB; a configuration may be at most ${MAX_CONFIG_BYTES / 1024} KiB`;
    return { config: defaultConfig(), file: chosen, errors: [{ file: chosen, path: '', message }] };
  }
  const texts = await tree.read([...CONFIG_PATHS]);
  const file = CONFIG_PATHS.find((p) => texts.get(p) !== undefined);
  if (file === undefined || isBinaryText(texts.get(file)!)) {
    // A config that exists but can't be read, or isn't text, must not turn into the defaults without a word.
    const listed = new Set(await tree.list());
    const present = file ?? CONFIG_PATHS.find((p) => listed.has(p));
    if (present === undefined) return { config: defaultConfig(), errors: [] };
    return { config: defaultConfig(), file: present, errors: [{ file: present, path: '', message: 'is not a text file (binary content)' }] };
  }
  const parsed = parseConfig(texts.get(file) as string, file);
  return parsed.ok
    ? { config: parsed.config, file, errors: [], locate: parsed.locate }
    : { config: defaultConfig(), file, errors: parsed.errors, locate: parsed.locate };
}

/**
 * Keys zod can't see as written: a list or mapping used as a key (yaml stringifies it, with a process warning), and
 * `__proto__`, which zod's records drop without a word — a database of that name would silently vanish.
 */
function unusableKeys(node: unknown, path: (string | number)[], file: string, lineOf: (offset: number) => number): ConfigError[] {
  const errors: ConfigError[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const line = key?.range ? lineOf(key.range[0]) : undefined;
      if (key !== null && !isScalar(key)) {
        errors.push({ file, path: formatKeyPath(path), line, message: 'a key must be a plain name, not a list or mapping' });
        continue;
      }
      const name = String(key?.value ?? '');
      if (name === '__proto__') errors.push({ file, path: formatKeyPath([...path, name]), line, message: 'is a reserved name' });
      else errors.push(...unusableKeys(pair.value, [...path, name], file, lineOf));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => errors.push(...unusableKeys(item, [...path, i], file, lineOf)));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------

type Issue = z.core.$ZodIssue & { input?: unknown };

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function issueToErrors(issue: Issue, file: string, locate: Locate): ConfigError[] {
  const at = (path: readonly PropertyKey[]): Pick<ConfigError, 'file' | 'path' | 'line'> => ({
    file,
    path: formatKeyPath(path),
    line: locate(path.filter((p): p is string | number => typeof p !== 'symbol')),
  });
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(path);
      return issue.keys.map((key) => {
        const hint = closest(key, known);
        const message = hint
          ? `unknown key (did you mean "${hint}"?)`
          : `unknown key${known.length ? `; expected one of ${known.join(', ')}` : ''}`;
        return { ...at([...path, key]), message };
      });
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(' | ');
      return [{ ...at(path), message: `expected one of ${values}, got ${describe(issue.input)}` }];
    }
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const message = issue.input === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${describe(issue.input)}`;
      return [{ ...at(path), message }];
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      let message: string;
      if (issue.origin === 'array') message = `expected at least ${min} ${min === 1 ? 'entry' : 'entries'}`;
      else if (issue.origin === 'string') message = 'must not be empty';
      else message = `expected a number ${issue.inclusive ? '>=' : '>'} ${min}, got ${describe(issue.input)}`;
      return [{ ...at(path), message }];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      const message =
        issue.origin === 'array' || issue.origin === 'string'
          ? `expected at most ${max} ${issue.origin === 'array' ? 'entries' : 'characters'}`
          : `expected a number ${issue.inclusive ? '<=' : '<'} ${max}, got ${describe(issue.input)}`;
      return [{ ...at(path), message }];
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const why = inner?.code === 'too_small' ? 'a name must not be empty' : (inner?.message ?? issue.message);
      return [{ ...at(path), message: `invalid key ${describe(issue.input)}: ${why}` }];
    }
    case 'custom':
      return [{ ...at(path), message: issue.input !== undefined ? `${describe(issue.input)} ${issue.message}` : issue.message }];
    case 'invalid_union': {
      // A rule setting is a severity or a mapping: explain the branch whose type the value has (a string: the severity).
      const branches = issue.errors;
      // The branch that got inside the value (its issues have paths) matched its type; else the first (the severity).
      const typed = branches.find((b) => b.length > 0 && b.every((i) => i.path.length > 0)) ?? branches[0];
      if (!typed?.length) return [{ ...at(path), message: issue.message }];
      return typed.flatMap((inner) => issueToErrors({ ...inner, path: [...path, ...inner.path] } as Issue, file, locate));
    }
    default:
      return [{ ...at(path), message: issue.message }];
  }
}

type Def = { type: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown; innerType?: unknown; in?: unknown };
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** The keys the schema allows at an object path, for "did you mean" and "expected one of" hints. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = safariConfig;
  const unwrap = (): void => {
    for (let def = defOf(schema); def && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'pipe'].includes(def.type); def = defOf(schema)) {
      schema = def.innerType ?? def.in;
    }
  };
  for (const part of path) {
    unwrap();
    const def = defOf(schema);
    if (def?.type === 'object' && typeof part === 'string') schema = def.shape?.[part];
    else if (def?.type === 'record') schema = def.valueType;
    else if (def?.type === 'array') schema = def.element;
    else return [];
  }
  unwrap();
  const def = defOf(schema);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
