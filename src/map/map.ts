/**
 * `safari map`: the living database journal of one revision (seed 000, generated). Same discovery, loading and replay
 * as a review (and the same replay cache), plus what a person would otherwise spend days collecting:
 *
 *  1. config    — `.github/safari.yml` (a broken one becomes a notice: the map still draws what it can)
 *  2. discover  — databases, their folders (and why), every wrangler binding that points at each
 *  3. load      — migrations in apply order; numbering widths and numbers used twice in a folder
 *  4. replay    — each database in the sandbox (kept in the replay cache: a review of this revision reuses it)
 *  5. code      — one read of the source files, scanned for tables created in code (Durable Objects' SQLite) while
 *                 replay runs; then references per table (the code search drop-referenced-table uses)
 *  6. assemble  — domains, unused tables, duplicate concepts, totals: the schemaVersion 1 JSON contract
 *
 * `inventoryRepository` also keeps the schemas and files, so `table-details.ts` can answer `/safari table <name>`.
 */
import picomatch from 'picomatch';
import { createCodeSearch, loadSearchableFiles } from '../code/code-search.js';
import { formatConfigError, loadConfig } from '../config/load-config.js';
import type { SafariConfig } from '../config/schema.js';
import { discover } from '../discover/discover.js';
import { loadMigrations } from '../discover/load-migrations.js';
import type { MigrationFile, SourceKind } from '../discover/types.js';
import type { ReplaySandbox } from '../replay/sandbox.js';
import { emptyReplayResult, type ReplayResult } from '../replay/types.js';
import { byFolder } from '../rules/history/migration-numbers.js';
import { isInternalTable } from '../rules/shared/tables.js';
import type { CodeReference } from '../rules/types.js';
import type { Schema } from '../schema/model.js';
import type { Tree } from '../source/types.js';
import { assignDomains, type DomainGroup } from './domains.js';
import { findEmbeddedTables, isTestFile, type EmbeddedSource } from './embedded-tables.js';

export interface MapSource {
  kind: SourceKind;
  path: string;
  migrations: number;
  /** How discovery found it: one sentence per config that names it. */
  reasons: string[];
}

export interface MapBinding {
  /** The wrangler config, repo-relative. */
  config: string;
  binding: string;
  env: string | null;
  /** The config's `name` (the worker), null when it states none. */
  worker: string | null;
}

export interface MapFailure {
  file: string;
  line: number;
  message: string;
}

export interface MapTable {
  name: string;
  /** Column count. */
  columns: number;
  domain: string;
  /** Application source files (outside migration folders, tests excluded) that use the table. */
  references: number;
  /** Test files that use it: they don't keep a table alive, but dropping it breaks them. */
  testReferences: number;
}

export interface MapDatabase {
  name: string;
  dialect: 'd1' | 'sqlite';
  owner: string | null;
  sources: MapSource[];
  bindings: MapBinding[];
  migrations: number;
  /** Per folder: digit counts of the numbered file names (`001` → 3), and how many files carry no number. */
  numbering: { folder: string; widths: number[]; unnumbered: number }[];
  /** Numbers used by more than one file of a folder (details in the top-level `conflicts`). */
  conflicts: number;
  replayOk: boolean;
  firstFailure: MapFailure | null;
  /** Statements that failed to replay (the table list is partial when > 0). */
  failures: number;
  /** Why the database is not replayed (e.g. a drizzle postgres dialect), else null. */
  notReplayed: string | null;
  tables: MapTable[];
  views: string[];
  domains: DomainGroup[];
  unusedTables: string[];
}

export interface MapEmbedded {
  file: string;
  class: string | null;
  durableObject: boolean;
  /** Sorted, unique. */
  tables: string[];
  /** Each CREATE TABLE, in file order, with its columns. */
  definitions: { table: string; line: number; columns: string[] }[];
}

export interface MapDuplicate {
  table: string;
  databases: string[];
  /** Durable Objects (or other code) that create a table of the same name. */
  embedded: { file: string; class: string | null }[];
}

export interface MapConflict {
  database: string;
  folder: string;
  /** As written in the first file (`031`). */
  number: string;
  files: string[];
}

export interface MapTotals {
  databases: number;
  migrations: number;
  /** Tables in databases; embedded tables are counted apart. */
  tables: number;
  embeddedTables: number;
  /** Durable Object classes that create embedded tables. */
  durableObjects: number;
  conflicts: number;
  unusedTables: number;
  duplicates: number;
  wranglerConfigs: number;
  bindings: number;
}

/** The JSON contract of `safari map --format json` (fields may be added, never renamed). */
export interface RepositoryMap {
  schemaVersion: 1;
  rev: string;
  databases: MapDatabase[];
  embedded: MapEmbedded[];
  duplicates: MapDuplicate[];
  conflicts: MapConflict[];
  unattributed: string[];
  notices: string[];
  totals: MapTotals;
}

export type MapStep = 'config' | 'discover' | 'load' | 'replay' | 'code' | 'assemble';

export interface MapOptions {
  /** The commit id to report (the CLI passes the resolved sha); default: the tree's id. */
  rev?: string;
  /** Filled with each step's wall time in ms (replay and code run in parallel: each is its own span). */
  timings?: Partial<Record<MapStep, number>>;
}

/** The map plus what it was made from: schemas, migration files and code references, for table details. */
export interface RepositoryInventory {
  map: RepositoryMap;
  config: SafariConfig;
  databases: { name: string; schema: Schema; files: MigrationFile[] }[];
  embedded: EmbeddedSource[];
  /** Every reference of every table name (definitions excluded), by lower-cased name. */
  references: Map<string, CodeReference[]>;
  /** Databases whose replay started from a database the replay cache kept (a review's or an earlier map's). */
  fromCache: string[];
}

export async function mapRepository(tree: Tree, sandbox: ReplaySandbox, options: MapOptions = {}): Promise<RepositoryMap> {
  return (await inventoryRepository(tree, sandbox, options)).map;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Longer table names are not searched in code (see `unsearched`). */
const MAX_SEARCHED_NAME = 512;

export async function inventoryRepository(tree: Tree, sandbox: ReplaySandbox, options: MapOptions = {}): Promise<RepositoryInventory> {
  const timings = options.timings;
  const timed = async <T>(step: MapStep, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      if (timings) timings[step] = performance.now() - start;
    }
  };

  // 1. config
  // A broken config leaves the defaults (its errors become notices): the map still draws what it can.
  const { config, errors } = await timed('config', () => loadConfig(tree));
  const usable = errors.length === 0;

  // 2. discover
  const discovery = await timed('discover', () => discover(tree, usable ? config : undefined));
  const ignore = usable ? config.ignore : [];

  // 3. load
  const specs = discovery.databases;
  const files = await timed('load', () =>
    Promise.all(
      specs.map(async (spec) => {
        const loaded = await loadMigrations(tree, spec, { ignore, notices: discovery.notices });
        // Files replayed other than as written: say so, as the review's replay-error does.
        for (const f of loaded) {
          if (!f.unread && f.nulLine === undefined) continue;
          const message = f.unread?.reason === 'too-large' ? 'it is too large to read; it was not replayed' : f.unread ? 'it could not be read; it was not replayed' : `SQLite stops reading it at the NUL byte on line ${f.nulLine}`;
          discovery.notices.push({ messageId: 'config-unreadable', file: f.path, database: spec.name, data: { file: f.path, message } });
        }
        return loaded;
      }),
    ),
  );

  // 4. replay and 5. code, side by side: replay runs in the sandbox children, the code scan in this process.
  const migrationFolders = [...specs.flatMap((d) => d.sources.map((s) => s.path)), ...discovery.unattributed];
  const ignored = ignore.length ? picomatch(ignore, { dot: true }) : () => false;
  const searchOptions = {
    exclude: (path: string) => ignored(path) || migrationFolders.some((folder) => path.startsWith(`${folder}/`)),
  };
  const fromCache: string[] = [];
  const replayed = timed('replay', () =>
    Promise.all(
      specs.map(async (spec, i): Promise<ReplayResult> => {
        if (spec.notReplayed || files[i].length === 0) return emptyReplayResult();
        // A pair with base = head keeps the database in the replay cache, as a review's base: map and review share it.
        const pair = await sandbox.replayPair({ database: spec.name, dialect: spec.dialect, base: files[i], head: files[i] });
        if (pair.cached) fromCache.push(spec.name);
        return pair.base;
      }),
    ),
  );
  const codeStart = performance.now();
  let codeTime = 0;
  const sources = loadSearchableFiles(tree, searchOptions);
  const embeddedScan = sources.then((list) => {
    const found = findEmbeddedTables(list);
    codeTime = performance.now() - codeStart;
    return found;
  });
  // Awaited after replay; a read error meanwhile must not count as an unhandled rejection (it is rethrown there).
  embeddedScan.catch(() => {});
  const replays = await replayed;
  const tableNames = new Set(replays.flatMap((r) => Object.keys(r.schema.tables).filter((name) => !isInternalTable(name))));
  const embedded = await embeddedScan;
  // The names come from the replayed schemas, so this part waits for replay.
  const searchStart = performance.now();
  const code = createCodeSearch(tree, { ...searchOptions, files: sources });
  // A hostile name of tens of kilobytes would make the combined pattern too large for the regex engine: not searched.
  const unsearched = new Set([...tableNames].filter((n) => n.length > MAX_SEARCHED_NAME));
  const searched = [...tableNames].filter((n) => !unsearched.has(n));
  const references = usesOf(await code.references(searched, { limit: Number.MAX_SAFE_INTEGER }));
  if (timings) timings.code = codeTime + (performance.now() - searchStart);

  // 6. assemble
  const start = performance.now();
  const bindings = discovery.bindings ?? [];
  const conflicts: MapConflict[] = [];
  const databases: MapDatabase[] = specs.map((spec, i) => {
    const replay = replays[i];
    const dbFiles = files[i];
    const names = Object.keys(replay.schema.tables).filter((n) => !isInternalTable(n)).sort(byText);
    const { domainOf, domains } = assignDomains(names, config);
    const tables = names.map((name) => {
      const files = new Set((references.get(name.toLowerCase()) ?? []).map((r) => r.file));
      const tests = [...files].filter(isTestFile).length;
      return { name, columns: replay.schema.tables[name].columns.length, domain: domainOf.get(name)!, references: files.size - tests, testReferences: tests };
    });
    const own = folderConflicts(spec.name, dbFiles);
    conflicts.push(...own);
    const first = replay.failures[0];
    return {
      name: spec.name,
      dialect: spec.dialect,
      owner: spec.owner ?? null,
      sources: spec.sources.map((s) => ({
        kind: s.kind,
        path: s.path,
        migrations: dbFiles.filter((f) => f.source === s.path).length,
        reasons: s.attributions.map((a) => a.reason),
      })),
      bindings: bindings
        .filter((b) => b.database === spec.name)
        .map((b) => ({ config: b.configFile, binding: b.binding, env: b.env ?? null, worker: b.worker ?? null }))
        .sort((a, b) => byText(a.config, b.config) || byText(a.binding, b.binding) || byText(a.env ?? '', b.env ?? '')),
      migrations: dbFiles.length,
      numbering: numbering(dbFiles),
      conflicts: own.length,
      replayOk: replay.ok,
      firstFailure: first ? { file: first.file, line: first.line, message: first.message } : null,
      failures: replay.failures.reduce((n, f) => n + 1 + f.more, 0),
      notReplayed: spec.notReplayed ?? null,
      tables,
      views: Object.keys(replay.schema.views).sort(byText),
      domains,
      unusedTables: tables.filter((t) => t.references === 0 && !unsearched.has(t.name)).map((t) => t.name),
    };
  });
  databases.sort((a, b) => byText(a.name, b.name));
  conflicts.sort((a, b) => byText(a.database, b.database) || byText(a.folder, b.folder) || byText(a.number, b.number));

  const embeddedOut: MapEmbedded[] = embedded.map((e) => ({
    file: e.file,
    class: e.class,
    durableObject: e.durableObject,
    tables: [...new Set(e.tables.map((t) => t.name))].sort(byText),
    definitions: e.tables.map((t) => ({ table: t.name, line: t.line, columns: t.columns })),
  }));
  const duplicates = findDuplicates(databases, embeddedOut);
  const map: RepositoryMap = {
    schemaVersion: 1,
    rev: options.rev ?? tree.id,
    databases,
    embedded: embeddedOut,
    duplicates,
    conflicts,
    unattributed: [...discovery.unattributed].sort(byText),
    notices: [
      ...errors.map((e) => `${formatConfigError(e)} (the map uses the default configuration)`),
      ...discovery.notices.map((n) => `${n.messageId}: ${Object.values(n.data).join(' · ')}`),
      ...(unsearched.size
        ? [`${unsearched.size} table name${unsearched.size === 1 ? ' is' : 's are'} longer than ${MAX_SEARCHED_NAME} characters: not searched in code, never listed as unused`]
        : []),
    ],
    totals: {
      databases: databases.length,
      migrations: databases.reduce((n, d) => n + d.migrations, 0),
      tables: databases.reduce((n, d) => n + d.tables.length, 0),
      embeddedTables: embeddedOut.reduce((n, e) => n + e.definitions.length, 0),
      durableObjects: embeddedOut.filter((e) => e.durableObject && e.class !== null).length,
      conflicts: conflicts.length,
      unusedTables: databases.reduce((n, d) => n + d.unusedTables.length, 0),
      duplicates: duplicates.length,
      wranglerConfigs: new Set(bindings.map((b) => b.configFile)).size,
      bindings: bindings.length,
    },
  };
  if (timings) timings.assemble = performance.now() - start;
  return {
    map,
    config,
    databases: specs.map((spec, i) => ({ name: spec.name, schema: replays[i].schema, files: files[i] })),
    embedded,
    references,
    fromCache: fromCache.sort(byText),
  };
}

/**
 * References that use a table, by lower-cased name. A line that defines a table of that name (`CREATE TABLE x`, as a
 * Durable Object does for its own SQLite) is not a use of a database's `x`.
 */
function usesOf(found: Map<string, CodeReference[]>): Map<string, CodeReference[]> {
  const out = new Map<string, CodeReference[]>();
  for (const [name, refs] of found) {
    const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const definition = new RegExp(
      `\\bcreate\\s+(?:temp(?:orary)?\\s+)?(?:virtual\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?(?:[\\w$]+\\.)?["\`[]?${quoted}(?![\\w$])`,
      'i',
    );
    out.set(name.toLowerCase(), refs.filter((r) => !definition.test(r.text)));
  }
  return out;
}

function numbering(files: readonly MigrationFile[]): MapDatabase['numbering'] {
  return [...byFolder(files)].map(([folder, list]) => {
    const widths = new Set<number>();
    let unnumbered = 0;
    for (const f of list) {
      if (f.numberText === null) unnumbered++;
      else widths.add(f.numberText.length);
    }
    return { folder, widths: [...widths].sort((a, b) => a - b), unnumbered };
  });
}

/**
 * Numbers written identically by more than one file of one folder (seed 000's three pairs). `001` beside `0001` is a
 * change of width (under `numbering`), not two features racing for one number; drizzle-kit numbers its own files.
 */
function folderConflicts(database: string, files: readonly MigrationFile[]): MapConflict[] {
  const out: MapConflict[] = [];
  for (const [folder, list] of byFolder(files)) {
    const groups = new Map<string, MigrationFile[]>();
    for (const f of list) {
      if (f.numberText === null || f.applier === 'drizzle') continue;
      groups.set(f.numberText, [...(groups.get(f.numberText) ?? []), f]);
    }
    for (const [number, group] of groups) {
      if (group.length >= 2) out.push({ database, folder, number, files: group.map((f) => f.path).sort(byText) });
    }
  }
  return out;
}

/** The same table name in several databases, or in a database and in code (a Durable Object's own SQLite). */
function findDuplicates(databases: MapDatabase[], embedded: MapEmbedded[]): MapDuplicate[] {
  const where = new Map<string, { table: string; databases: Set<string>; embedded: Map<string, { file: string; class: string | null }> }>();
  const entry = (name: string) => {
    const key = name.toLowerCase();
    let e = where.get(key);
    if (!e) where.set(key, (e = { table: name, databases: new Set(), embedded: new Map() }));
    return e;
  };
  for (const db of databases) for (const t of db.tables) entry(t.name).databases.add(db.name);
  for (const e of embedded) {
    for (const t of e.tables) {
      const known = where.get(t.toLowerCase());
      if (known) known.embedded.set(`${e.file}\0${e.class ?? ''}`, { file: e.file, class: e.class });
    }
  }
  return [...where.values()]
    .filter((e) => e.databases.size >= 2 || (e.databases.size >= 1 && e.embedded.size >= 1))
    .map((e) => ({ table: e.table, databases: [...e.databases].sort(byText), embedded: [...e.embedded.values()] }))
    .sort((a, b) => byText(a.table.toLowerCase(), b.table.toLowerCase()));
}
