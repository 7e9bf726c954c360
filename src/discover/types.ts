/** What discovery finds: databases, the folders that feed each of them, and why. */

export type SourceKind = 'wrangler' | 'drizzle' | 'config' | 'directory';

/** How a folder's files are applied, which decides replay semantics (transactions, splitting, ordering). */
export type Applier = 'wrangler' | 'drizzle';

/** Why a folder belongs to a database: one line of `--explain-discovery`. */
export interface Attribution {
  /** The config file that named it (wrangler.toml, drizzle.config.ts, .github/safari.yml), repo-relative. */
  configFile?: string;
  /** wrangler binding name (`DB`), when from wrangler. */
  binding?: string;
  /** wrangler environment (`staging`) for `env.<name>.d1_databases` entries. */
  env?: string;
  /** true when the folder was given to this database by a guess (implicit default shared by several bindings). */
  guessed: boolean;
  /** One sentence, e.g. "migrations_dir = \"migrations\" in apps/landing/wrangler.toml (binding DB)". */
  reason: string;
}

export interface MigrationSource {
  kind: SourceKind;
  applier: Applier;
  /** The migrations folder, repo-relative. */
  path: string;
  /** wrangler `migrations_pattern`, as a glob relative to the config file's folder, when present. */
  pattern?: string;
  /** The folder `pattern` is relative to (the wrangler config's folder), repo-relative; '' is the root. */
  patternBase?: string;
  /** For drizzle sources: the drizzle config file and its `schema` entry (repo-relative), when known. */
  drizzle?: { configFile: string; schema?: string[]; dialect?: string; driver?: string };
  attributions: Attribution[];
}

export interface DatabaseSpec {
  /** wrangler `database_name`, drizzle/safari config key; the identity used in every report. */
  name: string;
  dialect: 'd1' | 'sqlite';
  /** Replay order: config order (safari.yml), else discovery path order. */
  sources: MigrationSource[];
  /** From safari.yml `databases.<name>.owner`. */
  owner?: string;
  /** From safari.yml `databases.<name>.maxTables`. */
  maxTables?: number;
  /** Replayed with libSQL (a drizzle config with dialect `turso` or the libsql driver) rather than stock SQLite. */
  engine?: 'libsql';
  /** Not replayed (e.g. a drizzle postgres dialect); the reason is a notice. */
  notReplayed?: string;
}

/** Something discovery wants the user to know (becomes a `discovery` finding). */
export interface DiscoveryNotice {
  messageId: 'guessed-folder' | 'unattributed-folder' | 'missing-folder' | 'not-replayed' | 'config-unreadable' | 'ambiguous-out';
  data: Record<string, string | number>;
  file?: string;
  line?: number;
  database?: string;
}

export interface Discovery {
  databases: DatabaseSpec[];
  /** Folders of .sql files that no config names (e.g. nested and applied by hand). */
  unattributed: string[];
  notices: DiscoveryNotice[];
  /** Every wrangler D1 binding read (config, binding, env, database), whether or not it names a migrations folder. */
  bindings?: DiscoveredBinding[];
}

export interface DiscoveredBinding {
  configFile: string;
  binding: string;
  env?: string;
  database: string;
  /** The config's `name` (the worker), when stated. */
  worker?: string;
}

/** One migration file as it will be replayed. */
export interface MigrationFile {
  /** Repo-relative path. */
  path: string;
  /** The folder (MigrationSource.path) it came from. */
  source: string;
  applier: Applier;
  content: string;
  /** Leading integer of the file name (wrangler) or journal idx (drizzle); null when unnumbered. */
  number: number | null;
  /** The digits as written (`0007`), for width checks; null when unnumbered. */
  numberText: string | null;
  /** Drizzle journal entry (legacy layout) or v1 folder timestamp: `when` in ms since epoch, and the tag. */
  journal?: { idx: number; when: number; tag: string };
  /**
   * Set when the file could not be read for review: over the size cap (never read), or listed but unreadable. Its
   * `content` is empty then; the file is still in the list and reported (replay-error), never silently skipped.
   */
  unread?: { reason: 'too-large'; bytes: number; limit: number } | { reason: 'unreadable' };
  /**
   * The line of the first NUL byte when the file holds one: SQLite stops reading a statement there, so `content`
   * keeps only what SQLite runs (the rest is blanked, its newlines kept so lines stay where they were).
   */
  nulLine?: number;
}
