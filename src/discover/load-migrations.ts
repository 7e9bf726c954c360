/**
 * A database's migration files in replay order, read in one batch. Each folder keeps its tool's order: wrangler's
 * path order, or the drizzle journal (legacy layout) / folder timestamps (drizzle-kit 1.x layout).
 */
import type { Tree } from '../source/types.js';
import type { DatabaseSpec, DiscoveryNotice, MigrationFile, MigrationSource } from './types.js';
import { ignoreMatcher, indexTree, type FileIndex } from './file-index.js';
import { baseName, folderOf, relativeTo } from './paths.js';
import { leadingNumber } from './order.js';
import { selectSourceFiles } from './source-files.js';
import { cutAtNul } from './nul-bytes.js';
import { formatBytes } from '../format-bytes.js';

export interface LoadOptions {
  /** Receives problems found while loading (a malformed journal); loading itself never throws on bad input. */
  notices?: DiscoveryNotice[];
  /** The config's `ignore` globs: matching files are never migrations. */
  ignore?: readonly string[];
  /** Files larger than this (bytes) are not read: listed with `unread`, reported by replay-error. Default 5 MiB. */
  maxFileBytes?: number;
}

/** `limits.maxMigrationBytes`' default: a 50 MB migration once took the review process to 3.2 GB. */
export const DEFAULT_MAX_MIGRATION_BYTES = 5 * 1024 * 1024;

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export const journalPath = (folder: string): string => `${folder ? folder + '/' : ''}meta/_journal.json`;

/**
 * Reads drizzle's `meta/_journal.json`. Entries come back sorted by idx; an unusable entry is skipped and named in the
 * problems, never guessed.
 */
export function parseJournal(text: string): { entries: JournalEntry[]; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { entries: [], problems: [`not valid JSON (${(error as Error).message})`] };
  }
  const list = typeof raw === 'object' && raw !== null ? (raw as { entries?: unknown }).entries : undefined;
  if (!Array.isArray(list)) return { entries: [], problems: ['has no `entries` list'] };
  const entries: JournalEntry[] = [];
  list.forEach((e: unknown, i) => {
    const entry = e as Partial<Record<keyof JournalEntry, unknown>> | null;
    if (entry && Number.isInteger(entry.idx) && typeof entry.when === 'number' && typeof entry.tag === 'string' && entry.tag !== '') {
      entries.push({ idx: entry.idx as number, when: entry.when, tag: entry.tag });
    } else problems.push(`entries[${i}] lacks a numeric idx, a numeric when or a tag`);
  });
  entries.sort((a, b) => a.idx - b.idx);
  return { entries, problems };
}

/** `20250114093000_add_users` → ms since epoch (UTC), or undefined when the name carries no 14-digit timestamp. */
export function folderTimestamp(name: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?!\d)/.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const when = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(when) ? undefined : when;
}

interface Planned {
  path: string;
  source: MigrationSource;
  number: number | null;
  numberText: string | null;
  journal?: JournalEntry;
}

function numbered(name: string): { number: number | null; numberText: string | null } {
  const n = leadingNumber(name);
  return { number: n?.number ?? null, numberText: n?.text ?? null };
}

/** The segment that carries a migration's number: the file name, or its folder for nested layouts. */
function numberSegment(source: MigrationSource, path: string): string {
  const rel = relativeTo(source.path, path) ?? baseName(path);
  const first = rel.split('/')[0];
  return leadingNumber(first) ? first : baseName(path);
}

function planSource(
  source: MigrationSource,
  index: FileIndex,
  journals: Map<string, string | undefined>,
  notice: (file: string, message: string) => void,
  tooLarge: ReadonlyMap<string, number>,
  limit: number,
): Planned[] {
  const files = selectSourceFiles(source, index);
  const jPath = journalPath(source.path);
  const hasJournal = (source.applier === 'drizzle' || source.drizzle !== undefined) && source.pattern === undefined && index.has(jPath);
  let journal: JournalEntry[] | undefined;
  if (hasJournal) {
    const text = journals.get(jPath);
    const bytes = tooLarge.get(jPath);
    if (bytes !== undefined) notice(jPath, `is ${formatBytes(bytes)}, larger than the ${formatBytes(limit)} Safari reads; it was not read`);
    else if (text === undefined) notice(jPath, 'could not be read');
    else {
      const parsed = parseJournal(text);
      if (parsed.problems.length) notice(jPath, parsed.problems.slice(0, 3).join('; ') + (parsed.problems.length > 3 ? ` (+${parsed.problems.length - 3} more)` : ''));
      if (parsed.entries.length > 0 || parsed.problems.length === 0) journal = parsed.entries;
    }
  }
  const tagOf = (path: string): string => baseName(path).replace(/\.sql$/i, '');

  if (source.applier === 'drizzle' && journal) {
    // The migrator runs journal entries, in idx order; a .sql file missing from the journal never runs.
    const present = new Set(files);
    const seen = new Set<string>();
    const out: Planned[] = [];
    for (const entry of journal) {
      const path = `${source.path ? source.path + '/' : ''}${entry.tag}.sql`;
      if (!present.has(path) || seen.has(path)) continue;
      seen.add(path);
      out.push({ path, source, number: entry.idx, numberText: leadingNumber(entry.tag)?.text ?? null, journal: entry });
    }
    return out;
  }

  const byTag = new Map(journal?.map((e) => [e.tag, e]));
  return files.map((path, i) => {
    const planned: Planned = { path, source, ...numbered(numberSegment(source, path)) };
    if (source.applier === 'drizzle' && baseName(path) === 'migration.sql' && folderOf(path) !== source.path) {
      // drizzle-kit 1.x: one folder per migration, named by its timestamp.
      const tag = baseName(folderOf(path));
      const when = folderTimestamp(tag);
      if (when !== undefined) planned.journal = { idx: i, when, tag };
    } else {
      const entry = byTag.get(tagOf(path));
      if (entry) planned.journal = entry;
    }
    return planned;
  });
}

/**
 * The files of all the database's sources in replay order (sources in the spec's order, each in its own order).
 * Not-replayed databases load nothing. One `tree.read` per call.
 */
export async function loadMigrations(tree: Tree, db: DatabaseSpec, options: LoadOptions = {}): Promise<MigrationFile[]> {
  if (db.notReplayed) return [];
  const ignored = ignoreMatcher(options.ignore ?? []);
  const index = options.ignore?.length ? (await indexTree(tree)).filter((p) => !ignored(p)) : await indexTree(tree);
  const notice = (file: string, message: string): void => {
    options.notices?.push({ messageId: 'config-unreadable', file, database: db.name, data: { file, message } });
  };

  // Journals decide which files are read, so they're read with everything else: ask for every candidate once.
  const candidates = new Set<string>();
  for (const source of db.sources) {
    for (const file of selectSourceFiles(source, index)) candidates.add(file);
    const j = journalPath(source.path);
    if (index.has(j)) candidates.add(j);
  }
  // Sizes before reading: a file over the cap is never read into memory.
  const limit = options.maxFileBytes ?? DEFAULT_MAX_MIGRATION_BYTES;
  const sizes = candidates.size > 0 ? await tree.sizes([...candidates]) : new Map<string, number | undefined>();
  const tooLarge = new Map([...sizes].filter(([, bytes]) => bytes !== undefined && bytes > limit) as Array<[string, number]>);
  const wanted = [...candidates].filter((path) => !tooLarge.has(path));
  const contents = wanted.length > 0 ? await tree.read(wanted) : new Map<string, string | undefined>();

  const out: MigrationFile[] = [];
  const seen = new Set<string>();
  for (const source of db.sources) {
    for (const planned of planSource(source, index, contents, notice, tooLarge, limit)) {
      if (seen.has(planned.path)) continue;
      seen.add(planned.path);
      const file: MigrationFile = {
        path: planned.path,
        source: source.path,
        applier: source.applier,
        content: contents.get(planned.path) ?? '',
        number: planned.number,
        numberText: planned.numberText,
        ...(planned.journal ? { journal: planned.journal } : {}),
      };
      // Never silently skipped: a file that can't be read is still a migration the tool would apply.
      const bytes = tooLarge.get(planned.path);
      if (bytes !== undefined) file.unread = { reason: 'too-large', bytes, limit };
      else if (!contents.has(planned.path) || contents.get(planned.path) === undefined) file.unread = { reason: 'unreadable' };
      else {
        const cut = cutAtNul(file.content, source.applier);
        if (cut) {
          file.content = cut.content;
          file.nulLine = cut.line;
        }
      }
      out.push(file);
    }
  }
  return out;
}
