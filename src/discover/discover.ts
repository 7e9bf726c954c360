/**
 * Finds every database and the folders that feed it, and says why.
 *
 * 1. Index the tree (skipping dependencies and build output, and the config's `ignore` globs).
 * 2. Read every wrangler config and drizzle config statically (one batched read).
 * 3. Attribute folders to databases: wrangler bindings (an explicit `migrations_dir` wins; a folder that several
 *    databases reach only through wrangler's implicit default goes to one of them, as a stated guess), then drizzle
 *    `out` folders, then leftover `migrations` folders.
 * 4. With `databases` in .github/safari.yml, those databases and folders replace step 3's result (which still
 *    supplies dialects, patterns and drizzle facts for the folders it names).
 * 5. List folders of .sql files that nothing applies as unattributed.
 *
 * Names and choices, so reports stay stable and explainable:
 * - a wrangler database is its `database_name` (else `database_id`, else the binding);
 * - a drizzle `out` folder that a wrangler binding also names belongs to that wrangler database and keeps wrangler as
 *   its applier (`wrangler d1 migrations apply` runs every .sql file by name, journal or not), with the drizzle facts
 *   attached; otherwise it is its own database named after the drizzle config's folder (`packages/db`; the `out`
 *   folder for a config at the root), because drizzle configs carry no database name;
 * - a fallback `migrations` folder is named after its parent folder (`legacy`), or `migrations` at the root.
 */
import type { SafariConfig } from '../config/schema.js';
import { isBinaryText, type Tree } from '../source/types.js';
import type { Attribution, DatabaseSpec, Discovery, DiscoveryNotice, MigrationSource } from './types.js';
import { FileIndex, ignoreMatcher, indexTree, isSkipped } from './file-index.js';
import { baseName, folderOf, isWithin, resolveInRepo, showFolder } from './paths.js';
import { isWranglerConfig, MAX_WRANGLER_CONFIG_BYTES, readWranglerConfig, tooLargeNotice, type WranglerD1Entry } from './wrangler.js';
import { isDrizzleConfig, MAX_DRIZZLE_CONFIG_BYTES, readDrizzleConfig, unusableDrizzleConfig, type DrizzleConfig } from './drizzle-config.js';
import { selectSourceFiles } from './source-files.js';
import { journalPath } from './load-migrations.js';
import { drizzleConfigsInScripts, drizzleKitRuns, isPackageJson } from './package-scripts.js';
import { JOURNAL_FILE, readJournalFolder, type JournalFolder } from './journal-folders.js';

export interface DiscoverOptions {
  /** Where the config came from, for notices. */
  configFile?: string;
  /** Maps a config key path to its line (from `parseConfig`), for notices about configured folders. */
  locate?: (path: (string | number)[]) => number | undefined;
}

/** The binding wrangler's docs use; preferred when a shared default folder must go to one binding. */
const PREFERRED_BINDING = 'DB';

interface Builder {
  spec: DatabaseSpec;
  /** folder → source, in insertion order. */
  sources: Map<string, MigrationSource>;
}

interface Reach {
  database: string;
  folder: string;
  entry: WranglerD1Entry;
  /** Databases of the same binding's `env.*` copies that apply this folder too and are reviewed as this one. */
  envCopies?: string[];
}

const where = (e: WranglerD1Entry): string => `${e.configFile} (binding ${e.binding}${e.env ? `, env ${e.env}` : ''})`;

export async function discover(tree: Tree, config?: SafariConfig, options: DiscoverOptions = {}): Promise<Discovery> {
  const configFile = options.configFile ?? '.github/safari.yml';
  const ignore = config?.ignore ?? [];
  const ignored = ignoreMatcher(ignore);
  const index = await indexTree(tree);
  const all = ignore.length ? index.filter((p) => !ignored(p)) : index;
  const searched = all.filter((p) => !isSkipped(p));
  const notices: DiscoveryNotice[] = [];

  // 2. Configs, read in one batch.
  const wranglerFiles = searched.paths.filter(isWranglerConfig);
  const drizzleNamed = searched.paths.filter(isDrizzleConfig);
  const packageFiles = searched.paths.filter(isPackageJson);
  const journalFiles = searched.paths.filter((p) => JOURNAL_FILE.test(p));
  // Sizes before reading: a config over its cap is named in a notice and never read (the PR controls its size).
  const drizzleConfigs: DrizzleConfig[] = [];
  const configSizes = await tree.sizes([...wranglerFiles, ...drizzleNamed]);
  const capOf = (file: string) => (isWranglerConfig(file) ? MAX_WRANGLER_CONFIG_BYTES : MAX_DRIZZLE_CONFIG_BYTES);
  const oversized = (file: string): boolean => {
    const bytes = configSizes.get(file) ?? 0;
    if (bytes <= capOf(file)) return false;
    const notice = tooLargeNotice(file, bytes, capOf(file));
    // A drizzle config still names a database (not replayed): its folder must not pass for an ordinary one.
    if (isDrizzleConfig(file)) drizzleConfigs.push(unusableDrizzleConfig(file, notice.data.message as string));
    notices.push(notice);
    return true;
  };
  const texts = await tree.read([
    ...[...wranglerFiles, ...drizzleNamed].filter((file) => (configSizes.get(file) ?? 0) <= capOf(file)),
    ...packageFiles,
    ...journalFiles,
  ]);
  const drizzleFiles = await withScriptConfigs(tree, searched, packageFiles, texts);
  const runFolders = drizzleRunFolders(searched, packageFiles, texts);
  const unreadableFile = (file: string): void => {
    notices.push({ messageId: 'config-unreadable', file, data: { file, message: 'it is not a text file' } });
  };
  /** A reader that fails on one file (a bug, a stack overflow on hostile input) costs that file, never the review. */
  const readConfigSafely = <T>(file: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      const message = `could not be read: ${String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200)}`;
      notices.push({ messageId: 'config-unreadable', file, data: { file, message } });
      return undefined;
    }
  };
  const wranglerEntries: WranglerD1Entry[] = [];
  for (const file of wranglerFiles) {
    if (oversized(file)) continue;
    const text = texts.get(file);
    if (text === undefined || isBinaryText(text)) {
      unreadableFile(file);
      continue;
    }
    const read = readConfigSafely(file, () => readWranglerConfig(file, text));
    if (!read) continue;
    wranglerEntries.push(...read.entries);
    notices.push(...read.notices);
  }
  for (const file of drizzleFiles) {
    if (oversized(file)) continue;
    const text = texts.get(file);
    if (text === undefined || isBinaryText(text)) {
      unreadableFile(file);
      continue;
    }
    const place = { runFolders: runFolders.get(file), hasFolder: (folder: string) => all.hasFolder(folder) };
    const read = readConfigSafely(file, () => readDrizzleConfig(file, text, place));
    if (!read) continue;
    drizzleConfigs.push(read);
    notices.push(...read.notices);
  }

  const journalFolders = journalFiles.map((f) => readJournalFolder(f, texts.get(f)));

  // 3. Zero-config attribution.
  const found = attributeZeroConfig(all, searched, wranglerEntries, drizzleConfigs, journalFolders);

  let builders: Builder[];
  const configured = config?.databases !== undefined && Object.keys(config.databases).length > 0;
  if (configured) {
    builders = fromSafariConfig(config, all, found, wranglerEntries, drizzleConfigs, configFile, options.locate, notices);
    // Naming one database (to give it an owner, a budget or its folders) must not stop the others from being
    // reviewed: databases the config doesn't name are still discovered, minus the folders the config gave away.
    const named = new Set(Object.keys(config.databases ?? {}));
    const claimed = new Set(builders.flatMap((b) => [...b.sources.keys()]));
    for (const b of found.builders) {
      if (named.has(b.spec.name)) continue;
      const sources = new Map([...b.sources].filter(([folder]) => !claimed.has(folder)));
      if (b.sources.size > 0 && sources.size === 0) continue; // all its folders now belong to a configured database
      builders.push({ spec: { ...b.spec }, sources });
      notices.push(...found.notices.filter((n) => n.database === b.spec.name));
    }
  } else {
    builders = found.builders;
    notices.push(...found.notices);
  }

  const databases = builders.map(finish);
  for (const db of databases) {
    if (db.notReplayed) notices.push(notReplayedNotice(db, found.drizzleFileOf.get(db.name) ?? (configured ? configFile : undefined)));
  }

  // 5. Unattributed folders.
  // Folders discovery found for databases the config leaves out still count as migrations, not as application SQL.
  const discoveredFolders = found.builders.flatMap((b) => [...b.sources.keys()]);
  const unattributed = findUnattributed(databases, searched, discoveredFolders);
  const bindings = wranglerEntries.map((e) => ({
    configFile: e.configFile,
    binding: e.binding,
    ...(e.env !== undefined ? { env: e.env } : {}),
    database: e.databaseName,
    ...(e.worker !== undefined ? { worker: e.worker } : {}),
  }));
  return { databases, unattributed, notices, bindings };
}

function finish(b: Builder): DatabaseSpec {
  // Discovered folders replay in path order; safari.yml folders keep the order the user wrote.
  const sources = [...b.sources.values()];
  if (sources.every((s) => s.kind !== 'config')) sources.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { ...b.spec, sources };
}

function notReplayedNotice(db: DatabaseSpec, file: string | undefined): DiscoveryNotice {
  return { messageId: 'not-replayed', database: db.name, file, data: { database: db.name, reason: db.notReplayed ?? '' } };
}

interface ZeroConfig {
  builders: Builder[];
  notices: DiscoveryNotice[];
  /** database name → the drizzle config that defined it, for notices. */
  drizzleFileOf: Map<string, string>;
}

/**
 * The drizzle configs to read: every `drizzle.config.*`, then the configs package.json scripts name with
 * `drizzle-kit … --config <file>` (read into `texts` too). Sorted, so discovery doesn't depend on which came first.
 */
async function withScriptConfigs(tree: Tree, searched: FileIndex, packageFiles: string[], texts: Map<string, string | undefined>): Promise<string[]> {
  const named = searched.paths.filter(isDrizzleConfig);
  const fromScripts = packageFiles
    .flatMap((file) => drizzleConfigsInScripts(file, texts.get(file) ?? ''))
    .filter((path) => searched.has(path) && !named.includes(path));
  const extra = [...new Set(fromScripts)];
  if (extra.length) for (const [path, text] of await tree.read(extra)) texts.set(path, text);
  return [...named, ...extra].sort();
}

/**
 * For each drizzle config, the folders package.json scripts run drizzle-kit in with it: with `--config`, or with no
 * flag, drizzle-kit's default `drizzle.config.{ts,js,json}` of the script's folder (the first that exists).
 */
function drizzleRunFolders(searched: FileIndex, packageFiles: string[], texts: Map<string, string | undefined>): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const file of packageFiles) {
    for (const run of drizzleKitRuns(file, texts.get(file) ?? '')) {
      const config = run.config ?? ['ts', 'js', 'json'].map((ext) => (run.cwd ? `${run.cwd}/drizzle.config.${ext}` : `drizzle.config.${ext}`)).find((p) => searched.has(p));
      if (config === undefined) continue;
      const list = folders.get(config) ?? [];
      if (!list.includes(run.cwd)) list.push(run.cwd);
      folders.set(config, list);
    }
  }
  return folders;
}

function attributeZeroConfig(
  all: FileIndex,
  searched: FileIndex,
  entries: WranglerD1Entry[],
  drizzleConfigs: DrizzleConfig[],
  journalFolders: JournalFolder[] = [],
): ZeroConfig {
  const notices: DiscoveryNotice[] = [];
  const byName = new Map<string, Builder>();
  const builder = (name: string, dialect: 'd1' | 'sqlite'): Builder => {
    let b = byName.get(name);
    if (!b) {
      b = { spec: { name, dialect, sources: [] }, sources: new Map() };
      byName.set(name, b);
    }
    return b;
  };
  const addSource = (b: Builder, source: Omit<MigrationSource, 'attributions'>, attribution: Attribution): MigrationSource => {
    let s = b.sources.get(source.path);
    if (!s) {
      s = { ...source, attributions: [] };
      b.sources.set(source.path, s);
    }
    s.attributions.push(attribution);
    return s;
  };

  // Every binding names a database, even one whose folder doesn't exist (the map lists it with 0 migrations).
  const explicit = new Map<string, Reach[]>();
  const implicit = new Map<string, Reach[]>();
  for (const entry of entries) {
    builder(entry.databaseName, 'd1');
    const folder = entry.migrationsDir;
    if (folder === undefined) continue;
    if (!all.hasFolder(folder)) {
      // An implicit default that doesn't exist is the normal case for a worker that only reads a database.
      if (entry.explicit) {
        notices.push({
          messageId: 'missing-folder',
          file: entry.configFile,
          line: entry.line,
          database: entry.databaseName,
          data: { folder: showFolder(folder), database: entry.databaseName },
        });
      }
      continue;
    }
    const reach: Reach = { database: entry.databaseName, folder, entry };
    const map = entry.explicit ? explicit : implicit;
    const list = map.get(folder);
    if (list) list.push(reach);
    else map.set(folder, [reach]);
  }
  // env sections don't inherit d1_databases, so a binding is often copied into each env with its migrations_dir:
  // the same schema in other environments, reviewed once (as the top-level database), as the implicit case is.
  for (const [folder, reaches] of explicit) {
    const names = [...new Set(reaches.map((r) => r.database))];
    const sameBinding = new Set(reaches.map((r) => `${r.entry.configFile}\0${r.entry.binding}`)).size === 1;
    if (names.length < 2 || !sameBinding) continue;
    const chosen = reaches.find((r) => r.entry.env === undefined) ?? reaches[0];
    const envCopies = names.filter((n) => n !== chosen.database);
    explicit.set(folder, reaches.filter((r) => r.database === chosen.database).map((r) => ({ ...r, envCopies })));
  }

  const wranglerSource = (reach: Reach): Omit<MigrationSource, 'attributions'> => ({
    kind: 'wrangler',
    applier: 'wrangler',
    path: reach.folder,
    ...(reach.entry.pattern !== undefined ? { pattern: reach.entry.pattern, patternBase: folderOf(reach.entry.configFile) } : {}),
  });

  for (const reaches of explicit.values()) {
    for (const reach of reaches) {
      const e = reach.entry;
      const stated = e.pattern !== undefined ? `migrations_pattern = "${e.pattern}"` : `migrations_dir = "${e.migrationsDirText}"`;
      addSource(builder(reach.database, 'd1'), wranglerSource(reach), {
        configFile: e.configFile,
        binding: e.binding,
        env: e.env,
        guessed: false,
        reason:
          `${stated} in ${where(e)}` +
          (reach.envCopies ? `; its env databases (${reach.envCopies.join(', ')}) apply the same folder and are reviewed as ${reach.database}` : ''),
      });
    }
  }

  for (const [folder, reaches] of implicit) {
    const stated = explicit.get(folder);
    const defaultReason = (e: WranglerD1Entry): string => `wrangler's default migrations_dir "migrations" of ${where(e)}`;
    const addDefaultReach = (reach: (typeof reaches)[number]) =>
      addSource(builder(reach.database, 'd1'), wranglerSource(reach), {
        configFile: reach.entry.configFile,
        binding: reach.entry.binding,
        env: reach.entry.env,
        guessed: false,
        reason: defaultReason(reach.entry),
      });
    if (stated) {
      // An explicit migrations_dir decides whose folder it is; default reaches of the same database add their config.
      const owners = new Set(stated.map((r) => r.database));
      for (const reach of reaches) if (owners.has(reach.database)) addDefaultReach(reach);
      continue;
    }
    const names = [...new Set(reaches.map((r) => r.database))];
    if (names.length === 1) {
      for (const reach of reaches) addDefaultReach(reach);
      continue;
    }
    // Several databases reach this folder only by default: give it to one (binding DB, else the first), say so.
    const chosen =
      reaches.find((r) => r.entry.binding === PREFERRED_BINDING && r.entry.env === undefined) ??
      reaches.find((r) => r.entry.binding === PREFERRED_BINDING) ??
      reaches[0];
    const bindings = [...new Set(reaches.map((r) => r.entry.binding))];
    const configs = [...new Set(reaches.map((r) => r.entry.configFile))];
    const others = names.filter((n) => n !== chosen.database);
    if (bindings.length === 1 && configs.length === 1) {
      // One binding, with other databases only in `env.*` copies (staging, preview): the same schema in other
      // environments, not a competing owner. Review it once, as the top-level database (or, in a config that
      // binds it only per environment, as the first environment's); nothing to guess.
      for (const reach of reaches) {
        if (reach.database !== chosen.database) continue;
        addSource(builder(reach.database, 'd1'), wranglerSource(reach), {
          configFile: reach.entry.configFile,
          binding: reach.entry.binding,
          env: reach.entry.env,
          guessed: false,
          reason: `${defaultReason(reach.entry)}; its env databases (${others.join(', ')}) apply the same folder and are reviewed as ${chosen.database}`,
        });
      }
      continue;
    }
    for (const reach of reaches) {
      if (reach.database !== chosen.database) continue;
      addSource(builder(reach.database, 'd1'), wranglerSource(reach), {
        configFile: reach.entry.configFile,
        binding: reach.entry.binding,
        env: reach.entry.env,
        guessed: true,
        reason:
          `guessed: ${showFolder(folder)} is wrangler's default migrations_dir for ${names.length} databases in ` +
          `${configs.join(', ')}; given to ${chosen.database} (binding ${reach.entry.binding}${reach.entry.env ? `, env ${reach.entry.env}` : ''}), not to ${others.join(', ')}. ` +
          `State it with migrations_dir on the binding that owns it, or in .github/safari.yml`,
      });
    }
    notices.push({
      messageId: 'guessed-folder',
      file: chosen.entry.configFile,
      line: chosen.entry.line,
      database: chosen.database,
      data: {
        folder: showFolder(folder),
        config: configs.join(', '),
        bindings: bindings.join(', '),
        count: names.length,
        database: chosen.database,
        binding: chosen.entry.binding,
      },
    });
  }

  // Drizzle: the out folder joins the wrangler database that applies it, else becomes its own database.
  const drizzleFileOf = new Map<string, string>();
  for (const dc of drizzleConfigs) {
    if (dc.out === undefined) continue;
    const drizzle = drizzleFacts(dc);
    const attribution: Attribution = {
      configFile: dc.configFile,
      guessed: false,
      reason: dc.outExplicit ? `out = "${showFolder(dc.out)}" in ${dc.configFile}` : `drizzle-kit's default out "drizzle" of ${dc.configFile}`,
    };
    const owners = [...byName.values()].filter((b) => b.sources.has(dc.out as string));
    if (owners.length > 0) {
      // wrangler applies this folder (`wrangler d1 migrations apply`): keep its applier, add the drizzle facts.
      for (const b of owners) {
        const s = b.sources.get(dc.out) as MigrationSource;
        s.drizzle ??= drizzle;
        s.attributions.push(attribution);
      }
      continue;
    }
    const name = folderOf(dc.configFile) || dc.out || 'drizzle';
    const replay = dc.replay;
    const b = builder(name, 'dialect' in replay ? replay.dialect : 'sqlite');
    if ('notReplayed' in replay) b.spec.notReplayed ??= replay.notReplayed;
    else if (replay.engine) b.spec.engine = replay.engine;
    drizzleFileOf.set(name, dc.configFile);
    if (all.hasFolder(dc.out)) addSource(b, { kind: 'drizzle', applier: 'drizzle', path: dc.out, drizzle }, attribution);
  }

  addJournalFolders(journalFolders, byName, builder, addSource, drizzleFileOf);

  // Fallback: `migrations` folders of .sql files that nothing above applies.
  const attributed = [...byName.values()].flatMap((b) => [...b.sources.keys()]);
  for (const folder of searched.foldersWithFiles()) {
    if (baseName(folder) !== 'migrations') continue;
    if (!searched.direct(folder).some((p) => p.toLowerCase().endsWith('.sql'))) continue;
    if (attributed.some((a) => isWithin(a, folder))) continue;
    let name = folderOf(folder) || 'migrations';
    if (byName.has(name)) name = folder;
    addSource(builder(name, 'sqlite'), { kind: 'directory', applier: 'wrangler', path: folder }, {
      guessed: false,
      reason: `a folder named "migrations" holding .sql files that no wrangler or drizzle config names`,
    });
    attributed.push(folder);
  }

  return { builders: [...byName.values()], notices, drizzleFileOf };
}

/**
 * A folder holding drizzle-kit's `meta/_journal.json` that neither wrangler nor a drizzle config claimed is still a
 * Drizzle folder: its own database (named like a config's, after the folder above it), replayed in journal order when
 * the journal's dialect is SQLite, else listed as not replayed with the dialect.
 */
function addJournalFolders(
  journalFolders: JournalFolder[],
  byName: Map<string, Builder>,
  builder: (name: string, dialect: 'd1' | 'sqlite') => Builder,
  addSource: (b: Builder, source: Omit<MigrationSource, 'attributions'>, attribution: Attribution) => MigrationSource,
  drizzleFileOf: Map<string, string>,
): void {
  for (const jf of journalFolders) {
    if ([...byName.values()].some((b) => b.sources.has(jf.folder))) continue;
    let name = folderOf(jf.folder) || jf.folder || 'drizzle';
    if (byName.has(name)) name = jf.folder || 'drizzle';
    const b = builder(name, 'dialect' in jf.replay ? jf.replay.dialect : 'sqlite');
    if ('notReplayed' in jf.replay) b.spec.notReplayed ??= jf.replay.notReplayed;
    drizzleFileOf.set(name, jf.journalFile);
    addSource(b, { kind: 'drizzle', applier: 'drizzle', path: jf.folder }, {
      guessed: false,
      reason: `${jf.journalFile} makes it a drizzle-kit folder${jf.dialect ? ` (dialect "${jf.dialect}")` : ''}; no drizzle config names it`,
    });
  }
}

function drizzleFacts(dc: DrizzleConfig): NonNullable<MigrationSource['drizzle']> {
  return {
    configFile: dc.configFile,
    ...(dc.schema ? { schema: dc.schema } : {}),
    ...(dc.dialect !== undefined ? { dialect: dc.dialect } : {}),
    ...(dc.driver !== undefined ? { driver: dc.driver } : {}),
  };
}

function fromSafariConfig(
  config: SafariConfig,
  all: FileIndex,
  found: ZeroConfig,
  entries: WranglerD1Entry[],
  drizzleConfigs: DrizzleConfig[],
  configFile: string,
  locate: DiscoverOptions['locate'],
  notices: DiscoveryNotice[],
): Builder[] {
  const discovered = new Map(found.builders.map((b) => [b.spec.name, b]));
  const builders: Builder[] = [];
  for (const [name, dbConfig] of Object.entries(config.databases ?? {})) {
    const b: Builder = { spec: { name, dialect: 'sqlite', sources: [] }, sources: new Map() };
    const known = discovered.get(name);
    let dialect: 'd1' | 'sqlite' | undefined = dbConfig.dialect;
    let notReplayed: string | undefined;

    if (dbConfig.migrations) {
      dbConfig.migrations.forEach((written, i) => {
        const folder = resolveInRepo('', written) ?? written;
        if (b.sources.has(folder)) return;
        const line = locate?.(['databases', name, 'migrations', i]);
        if (!all.hasFolder(folder)) {
          notices.push({ messageId: 'missing-folder', file: configFile, line, database: name, data: { folder: showFolder(folder), database: name } });
        }
        const wrangler = entries.find((e) => e.migrationsDir === folder);
        const dc = drizzleConfigs.find((d) => d.out === folder);
        if (wrangler) dialect ??= 'd1';
        if (dc && !dbConfig.dialect && !wrangler) {
          if ('dialect' in dc.replay) {
            dialect ??= dc.replay.dialect;
            if (dc.replay.engine) b.spec.engine = dc.replay.engine;
          } else notReplayed ??= dc.replay.notReplayed;
        }
        // A drizzle-kit folder (it keeps meta/_journal.json) replays in journal order even when no drizzle config names it.
        const drizzleFolder = dc !== undefined || all.has(journalPath(folder));
        b.sources.set(folder, {
          kind: 'config',
          applier: dbConfig.applier ?? (drizzleFolder && !wrangler ? 'drizzle' : 'wrangler'),
          path: folder,
          ...(wrangler?.pattern !== undefined ? { pattern: wrangler.pattern, patternBase: folderOf(wrangler.configFile) } : {}),
          ...(dc ? { drizzle: drizzleFacts(dc) } : {}),
          attributions: [{ configFile, guessed: false, reason: `databases.${name}.migrations[${i}] in ${configFile}` }],
        });
      });
    } else if (known) {
      for (const [folder, source] of known.sources) b.sources.set(folder, { ...source, attributions: [...source.attributions] });
      // Discovery's own guesses still stand for this database, so they are still worth saying.
      notices.push(...found.notices.filter((n) => n.database === name));
      dialect ??= known.spec.dialect;
      notReplayed = known.spec.notReplayed;
      if (known.spec.engine) b.spec.engine = known.spec.engine;
    } else {
      notReplayed = `no migrations folder is configured for it in ${configFile}, and none was discovered`;
    }
    if (!dialect && entries.some((e) => e.databaseName === name)) dialect = 'd1';
    b.spec.dialect = dialect ?? known?.spec.dialect ?? 'sqlite';
    if (notReplayed) b.spec.notReplayed = notReplayed;
    if (dbConfig.owner !== undefined) b.spec.owner = dbConfig.owner;
    if (dbConfig.maxTables !== undefined) b.spec.maxTables = dbConfig.maxTables;
    builders.push(b);
  }
  // Configs Safari could not read still deserve their notice; guesses don't (the config replaced them).
  return builders;
}

/**
 * Folders holding .sql files that no source applies, where migrations are plausible: inside a source folder (e.g. a
 * hand-applied `migrations/manual/`) or a folder zero-config discovery found, or on a path that mentions migrations
 * or drizzle. Plain `queries/*.sql` folders are application code, not migrations, and are left alone.
 */
function findUnattributed(databases: DatabaseSpec[], searched: FileIndex, discoveredFolders: string[]): string[] {
  const sources = databases.flatMap((d) => d.sources);
  const covered = new Set<string>();
  for (const source of sources) for (const file of selectSourceFiles(source, searched)) covered.add(file);
  const out = new Set<string>();
  for (const folder of searched.foldersWithFiles()) {
    const loose = searched.direct(folder).filter((p) => p.toLowerCase().endsWith('.sql') && !covered.has(p));
    if (loose.length === 0) continue;
    const plausible =
      sources.some((s) => isWithin(s.path, folder)) ||
      discoveredFolders.some((f) => isWithin(f, folder)) ||
      folder.split('/').some((seg) => /migrat|drizzle/i.test(seg));
    if (!plausible) continue;
    // A whole discovered folder the config leaves out is listed once, not as each of its nested folders.
    const root = discoveredFolders.find((f) => isWithin(f, folder) && !sources.some((s) => isWithin(s.path, f)));
    out.add(root ?? folder);
  }
  return [...out].sort();
}
