/**
 * What `analyzeDrizzle` prepares before the rules run: each Drizzle migrations folder read on both sides (journal,
 * snapshots, chain), and the outcome of evaluating the head's schema.ts in the sandbox. Plain data; rules only read it.
 */

/** Comparable shape shared by legacy snapshots, v1 snapshots and replayed schemas (see normalize.ts). */
export interface NormalizedColumn {
  /** Upper-cased declared type. */
  type: string;
  notNull: boolean;
  /** Default expression with outer parentheses removed; null when none. */
  default: string | null;
  pk: boolean;
  /** Not visible in a replayed schema (pragmas don't show it); null there. */
  autoincrement: boolean | null;
}

export interface NormalizedIndex {
  unique: boolean;
  columns: string[];
  where: string | null;
}

export interface NormalizedTable {
  columns: Record<string, NormalizedColumn>;
  indexes: Record<string, NormalizedIndex>;
  /** Canonical text: `(author_id) → users(id) ON DELETE CASCADE ON UPDATE NO ACTION`. */
  foreignKeys: string[];
  /** UNIQUE constraints by name (not visible in a replayed schema: SQLite names them sqlite_autoindex_*). */
  uniques: Record<string, string[]> | null;
  /** CHECK constraints by name (not visible in a replayed schema). */
  checks: Record<string, string> | null;
}

export interface NormalizedSchema {
  tables: Record<string, NormalizedTable>;
  views: Record<string, string | null>;
}

export type DrizzleLayout = 'legacy' | 'v1';

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
  /** 1-based line of the entry's `"tag"` in _journal.json. */
  line: number;
}

export interface Journal {
  /** Repo-relative path of meta/_journal.json. */
  path: string;
  entries: JournalEntry[];
}

export interface Snapshot {
  /** Repo-relative path. */
  path: string;
  id: string;
  /** Legacy `prevId` as a one-element list; v1 `prevIds`. */
  prevIds: string[];
  /** Legacy: the `NNNN` prefix of `NNNN_snapshot.json`; v1: the migration folder name. */
  key: string;
  /** The raw JSON (parsed), kept for `generateSQLiteMigration`. */
  json: unknown;
  schema: NormalizedSchema;
}

/** A file that should be a snapshot but can't be read as one. */
export interface BrokenSnapshot {
  path: string;
  message: string;
}

/** How a journal entry or a v1 folder disagrees with the files around it. */
export type JournalProblem =
  /** `ignoredBy`: the `.gitignore` line that keeps the journal out of the repository (`.gitignore:51`), if one does. */
  | { messageId: 'journal-missing'; file: string; data: { folder: string; count: number; ignoredBy?: string } }
  | { messageId: 'journal-unreadable'; file: string; line?: number; data: { file: string; error: string } }
  | { messageId: 'sql-not-in-journal'; file: string; data: { file: string; journal: string; tag: string } }
  | { messageId: 'entry-without-file'; file: string; line: number; data: { tag: string; idx: number; expected: string } }
  | { messageId: 'entry-without-snapshot'; file: string; line: number; data: { tag: string; idx: number; expected: string } }
  | { messageId: 'idx-gap'; file: string; line: number; data: { tag: string; idx: number; expected: number } }
  | { messageId: 'duplicate-tag'; file: string; line: number; data: { tag: string; count: number } }
  | { messageId: 'folder-without-sql'; file: string; data: { folder: string } }
  | { messageId: 'folder-without-snapshot'; file: string; data: { folder: string } }
  | { messageId: 'snapshot-unreadable'; file: string; data: { file: string; error: string } };

/** One side (base or head) of one Drizzle migrations folder. */
export interface DrizzleFolderSide {
  layout: DrizzleLayout;
  /** Legacy layout only; undefined when absent or unreadable (see problems). */
  journal?: Journal;
  /** Migration SQL files, repo-relative, sorted. */
  sqlFiles: string[];
  /** Readable snapshots in folder order. */
  snapshots: Snapshot[];
  problems: JournalProblem[];
  /**
   * The newest snapshot: the one tip of the prevId chain. Undefined when there are no snapshots or several tips
   * (a collision) — then nothing is compared against "the latest snapshot".
   */
  latest?: Snapshot;
}

export type EvaluationSkip =
  | 'disabled' // drizzle.evaluateSchema: never
  | 'fork' // a fork PR under the default same-repo policy
  | 'untouched' // the PR changed neither the schema files nor the migrations folder
  | 'no-schema' // the drizzle config names no schema, or its files are missing from the tree
  | 'no-snapshot' // nothing committed to compare with (no snapshot, or several tips)
  | 'not-requested' // analyzeDrizzle was called with evaluate: false
  | 'not-sqlite' // a dialect Safari doesn't evaluate yet
  | 'limit'; // the review's deadline or evaluation cap came first (reported by review-incomplete)

export type EvaluationFailure =
  | 'bundle' // esbuild could not bundle the schema (syntax error, missing relative file)
  | 'import' // an import Safari doesn't provide in the sandbox (unknown package, forbidden node module)
  | 'denied' // the sandbox refused an operation (file outside the temp folder, child process, env, network)
  | 'threw' // the schema code threw
  | 'timeout' // killed after the time limit
  | 'memory' // ran out of its memory limit
  | 'crashed' // the child died without a result
  | 'invalid-output' // the child's answer wasn't what drizzle-kit produces
  | 'sandbox-unavailable'; // strict isolation, and this machine lacks a protection: nothing was run

export type SchemaEvaluation =
  | { status: 'skipped'; reason: EvaluationSkip }
  | {
      status: 'failed';
      reason: EvaluationFailure;
      /** One line, already safe to show (no stack). */
      message: string;
      file?: string;
      line?: number;
      networkIsolated: boolean;
      /** The PR touched a file of this schema: a failure may be the PR dodging the check (severity from config). */
      touched?: boolean;
    }
  | {
      status: 'fresh' | 'stale';
      /** Files the bundle read (the schema entries and their relative imports), repo-relative. */
      inputs: string[];
      /** The latest committed snapshot compared with. */
      snapshot: string;
      /** What schema.ts has that the snapshot doesn't (or vice versa), one line each. */
      differences: string[];
      /**
       * `replay`: the folder is applied by wrangler and holds hand-written SQL, so schema.ts was compared with the
       * replayed head schema (differences say "the migrations"), not only with the latest snapshot.
       */
      comparedWith?: 'replay';
      /** Tables schema.ts has that the latest snapshot lacks but the migrations already create (hand-written SQL). */
      alreadyCreated?: string[];
      /** Statements `generateSQLiteMigration` would write; undefined when they can't be had without a prompt. */
      sql?: string[];
      /** Why there is no SQL (e.g. an ambiguous rename needs drizzle-kit's interactive prompt). */
      sqlUnavailable?: string;
      /** true when base was already stale with the same differences: not the PR's doing. */
      preexisting: boolean;
      networkIsolated: boolean;
      durationMs: number;
    };

export interface DrizzleFolderAnalysis {
  database: string;
  /** The migrations folder (`out`), repo-relative. */
  folder: string;
  configFile?: string;
  /** The config's `schema` entries as written (repo-relative paths or globs). */
  schema: string[];
  dialect?: string;
  /**
   * Who applies the folder: Drizzle's migrator (journal order) or wrangler (every .sql file by name — a drizzle `out`
   * folder that a wrangler binding also names). A SQL file missing from the journal still runs under wrangler.
   */
  applier: 'drizzle' | 'wrangler';
  /**
   * For a Drizzle-applied folder: the `.gitignore` line (`backend/.gitignore:6`) that keeps a wrangler config out of the
   * repository beside its drizzle config. wrangler may be what applies the folder then, and Safari cannot see it.
   */
  wranglerConfigIgnored?: string;
  /** Undefined when the folder doesn't exist on base. */
  base?: DrizzleFolderSide;
  head: DrizzleFolderSide;
  /** The PR added, modified or deleted something inside the folder. */
  folderTouched: boolean;
  /** The database is fed by this folder alone (else the replayed schema holds tables of other folders). */
  soleSource: boolean;
  evaluation: SchemaEvaluation;
}

export interface DrizzleAnalysis {
  folders: DrizzleFolderAnalysis[];
}

export const isDrizzleAnalysis = (value: unknown): value is DrizzleAnalysis =>
  typeof value === 'object' && value !== null && Array.isArray((value as DrizzleAnalysis).folders);
