/**
 * Reads a wrangler config (toml, json, jsonc) statically and lists its D1 bindings with the folder each one's
 * migrations live in. Never throws: a config that doesn't parse is a `config-unreadable` notice with its line.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DiscoveryNotice } from './types.js';
import { formatBytes } from '../format-bytes.js';
import { unsafeGlob } from './safe-glob.js';
import { baseName, folderOf, lineAt, lineIndex, resolveInRepo } from './paths.js';

export const WRANGLER_CONFIG_NAMES = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'] as const;

/** wrangler's own default for `migrations_dir`. */
export const DEFAULT_MIGRATIONS_DIR = 'migrations';

export interface WranglerD1Entry {
  /** The wrangler config, repo-relative. */
  configFile: string;
  binding: string;
  /** `database_name` (falls back to `database_id`, then the binding, when absent). */
  databaseName: string;
  /** `staging` for an `env.staging.d1_databases` entry. */
  env?: string;
  /** The migrations folder, repo-relative; undefined when the configured path leaves the repository. */
  migrationsDir: string | undefined;
  /** The value as written (or the default), for messages. */
  migrationsDirText: string;
  /** true when the config states `migrations_dir` (or `migrations_pattern`); false for wrangler's default. */
  explicit: boolean;
  /** `migrations_pattern`, a glob relative to the config's folder. */
  pattern?: string;
  /** 1-based line of the entry's `binding` (best effort, for annotations). */
  line?: number;
  /** The config's top-level `name` (the worker), when it states one. */
  worker?: string;
}

export interface WranglerConfig {
  configFile: string;
  entries: WranglerD1Entry[];
  notices: DiscoveryNotice[];
}

export function isWranglerConfig(path: string): boolean {
  return (WRANGLER_CONFIG_NAMES as readonly string[]).includes(baseName(path));
}

function unreadable(file: string, message: string, line?: number): DiscoveryNotice {
  return { messageId: 'config-unreadable', file, line, data: { file, message } };
}

type Parsed = { ok: true; value: unknown } | { ok: false; notice: DiscoveryNotice };

function parseConfigText(configFile: string, text: string): Parsed {
  if (configFile.endsWith('.toml')) {
    try {
      return { ok: true, value: parseToml(text) };
    } catch (error) {
      if (error instanceof TomlError) {
        const first = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
        return { ok: false, notice: unreadable(configFile, `TOML syntax error: ${first}`, error.line) };
      }
      return { ok: false, notice: unreadable(configFile, `TOML could not be parsed: ${String(error)}`) };
    }
  }
  // wrangler reads both .json and .jsonc as JSONC (comments and trailing commas allowed).
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser recurses per nesting level: a hostile config nested a million deep overflows the stack.
    return { ok: false, notice: unreadable(configFile, `JSON could not be parsed: ${(error as Error).message}`) };
  }
  if (errors.length > 0) {
    const e = errors[0];
    return { ok: false, notice: unreadable(configFile, `JSON syntax error: ${printParseErrorCode(e.error)}`, lineAt(text, e.offset)) };
  }
  return { ok: true, value };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The folder part of a glob before its first wildcard segment (`migrations/*\/migration.sql` → `migrations`). */
export function staticPrefix(pattern: string): string {
  const parts = pattern.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/');
}

function readEntries(
  configFile: string,
  list: unknown,
  env: string | undefined,
  where: string,
  entries: WranglerD1Entry[],
  notices: DiscoveryNotice[],
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    notices.push(unreadable(configFile, `\`${where}\` is not a list`));
    return;
  }
  const dir = folderOf(configFile);
  list.forEach((raw, i) => {
    if (!isRecord(raw)) {
      notices.push(unreadable(configFile, `\`${where}[${i}]\` is not a table/object`));
      return;
    }
    const str = (key: string): string | undefined => {
      const v = raw[key];
      if (v === undefined) return undefined;
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      notices.push(unreadable(configFile, `\`${where}[${i}].${key}\` is not a non-empty string`));
      return undefined;
    };
    const binding = str('binding') ?? `${where}[${i}]`;
    const databaseName = str('database_name') ?? str('database_id') ?? binding;
    const dirText = str('migrations_dir');
    const written = str('migrations_pattern')?.replace(/^\.\//, '');
    const unsafe = written === undefined ? undefined : unsafeGlob(written);
    // Still reviewed: every .sql file of the pattern's fixed folder, with a notice saying the pattern was not used.
    if (written !== undefined && unsafe) {
      notices.push(unreadable(configFile, `\`${where}[${i}].migrations_pattern\` is not used: ${unsafe}; Safari replays the .sql files of "${staticPrefix(written) || '.'}"`));
    }
    const pattern = unsafe ? undefined : written;
    const folderText = dirText ?? (written !== undefined ? staticPrefix(written) : DEFAULT_MIGRATIONS_DIR);
    const migrationsDir = resolveInRepo(dir, folderText);
    if (migrationsDir === undefined) {
      const [key, stated] = dirText === undefined && written !== undefined ? ['migrations_pattern', written] : ['migrations_dir', folderText];
      notices.push(unreadable(configFile, `\`${where}[${i}].${key}\` "${stated}" leaves the repository; it is ignored`));
    }
    entries.push({
      configFile,
      binding,
      databaseName,
      env,
      migrationsDir,
      migrationsDirText: folderText === '' ? '.' : folderText,
      explicit: dirText !== undefined || written !== undefined,
      pattern,
    });
  });
}

/** Real wrangler configs are a few KB; a larger one is reported, not parsed (the PR controls it). */
export const MAX_WRANGLER_CONFIG_BYTES = 1024 * 1024;

/** The notice for a config over its size cap, named by file and size (also used before reading it at all). */
export function tooLargeNotice(configFile: string, bytes: number, limit: number): DiscoveryNotice {
  return unreadable(configFile, `it is ${formatBytes(bytes)}, larger than the ${formatBytes(limit)} Safari reads for this kind of file; it was not read`);
}

/** Lists every D1 entry of one wrangler config: top level first, then each `env.<name>` in file order. */
export function readWranglerConfig(configFile: string, text: string): WranglerConfig {
  const entries: WranglerD1Entry[] = [];
  const notices: DiscoveryNotice[] = [];
  if (text.length > MAX_WRANGLER_CONFIG_BYTES) return { configFile, entries, notices: [tooLargeNotice(configFile, text.length, MAX_WRANGLER_CONFIG_BYTES)] };
  const parsed = parseConfigText(configFile, text);
  if (!parsed.ok) return { configFile, entries, notices: [parsed.notice] };
  if (!isRecord(parsed.value)) {
    return { configFile, entries, notices: [unreadable(configFile, 'the config is not a table/object')] };
  }
  const root = parsed.value;
  readEntries(configFile, root.d1_databases, undefined, 'd1_databases', entries, notices);
  if (root.env !== undefined) {
    if (!isRecord(root.env)) notices.push(unreadable(configFile, '`env` is not a table/object'));
    else {
      for (const [name, env] of Object.entries(root.env)) {
        if (!isRecord(env)) continue;
        readEntries(configFile, env.d1_databases, name, `env.${name}.d1_databases`, entries, notices);
      }
    }
  }
  locateBindings(text, entries);
  // The worker each entry belongs to: `env.<name>.name` when an environment renames it, else the top-level `name`.
  const nameOf = (v: unknown) => (isRecord(v) && typeof v.name === 'string' && v.name.trim() !== '' ? v.name.trim() : undefined);
  for (const e of entries) {
    const worker = (e.env !== undefined && isRecord(root.env) ? nameOf(root.env[e.env]) : undefined) ?? nameOf(root);
    if (worker !== undefined) e.worker = worker;
  }
  return { configFile, entries, notices };
}

/** `binding = "X"` (toml) / `"binding": "X"` (json): the key, then the quoted value. */
const BINDING_KEY = /["']?binding["']?\s*[=:]\s*(["'])/g;

/**
 * Finds each entry's `binding = "X"` / `"binding": "X"` line. The parsers keep no positions, so this scans the text
 * once: every binding key's value with its offset, then each entry takes the occurrences of its name in turn (the same
 * binding in several environments). No pattern is built from the config's text: a 60 KB binding name made one that
 * V8 refused ("Regular expression too large") and stopped the whole review.
 */
function locateBindings(text: string, entries: WranglerD1Entry[]): void {
  const offsets = new Map<string, number[]>();
  for (const m of text.matchAll(BINDING_KEY)) {
    const valueStart = m.index + m[0].length;
    const end = text.indexOf(m[1], valueStart);
    const newline = text.indexOf('\n', valueStart);
    if (end < 0 || (newline >= 0 && newline < end)) continue;
    const value = text.slice(valueStart, end);
    const list = offsets.get(value);
    if (list) list.push(m.index);
    else offsets.set(value, [m.index]);
  }
  const lineOf = lineIndex(text);
  const used = new Map<string, number>();
  for (const entry of entries) {
    if (entry.line !== undefined) continue;
    const found = offsets.get(entry.binding) ?? [];
    const k = used.get(entry.binding) ?? 0;
    used.set(entry.binding, k + 1);
    const offset = found[k] ?? found[0];
    if (offset !== undefined) entry.line = lineOf(offset);
  }
}
