/** What the replay module takes and gives back. Only `src/replay/` touches SQLite. */
import { emptySchema, type Schema } from '../schema/model.js';
import type { Applier, MigrationFile } from '../discover/types.js';

/** The SQL engine a replay runs on: stock SQLite (better-sqlite3) or libSQL (Turso's fork, npm `libsql`). */
export type ReplayEngine = 'sqlite' | 'libsql';

export interface ReplayRequest {
  database: string;
  dialect: 'd1' | 'sqlite';
  engine?: ReplayEngine;
  /** Files in apply order. */
  files: MigrationFile[];
}

/** A base+head pair for one database; when head = base files + appended files, base history is replayed once. */
export interface ReplayPairRequest {
  database: string;
  dialect: 'd1' | 'sqlite';
  engine?: ReplayEngine;
  base: MigrationFile[];
  head: MigrationFile[];
}

export type ReplayFailureKind =
  | 'sql' // SQLite refused the statement
  | 'refused' // the statement gate refused it (ATTACH, VACUUM, a PRAGMA not on the allowlist…)
  | 'timeout' // wall-time limit hit; the sandbox was killed
  | 'memory' // address-space or page-count limit hit
  | 'crashed' // the sandbox died for another reason
  | 'incomplete'; // the file ends inside an unterminated statement

export interface ReplayFailure {
  kind: ReplayFailureKind;
  file: string;
  /** 1-based line where the failing statement starts. */
  line: number;
  /** The statement (trimmed; long ones shortened). */
  statement: string;
  /** SQLite's message, or the gate's reason. */
  message: string;
  /** Further failures in the same file after this one (only the first is reported in full). */
  more: number;
}

/** Something the target would refuse or ignore although SQLite accepts it (D1: BEGIN/COMMIT, PRAGMA foreign_keys). */
export interface CompatibilityNote {
  messageId: 'transaction-statement' | 'foreign-keys-pragma' | string;
  file: string;
  line: number;
  statement: string;
}

/** A rename the migrations actually ran, in execution order. */
export type RenameEvent =
  | { kind: 'table'; file: string; line: number; from: string; to: string }
  | { kind: 'column'; file: string; line: number; table: string; from: string; to: string };

export interface ReplayResult {
  schema: Schema;
  /** false when any statement failed: the schema is partial (best effort). */
  ok: boolean;
  failures: ReplayFailure[];
  compatibility: CompatibilityNote[];
  renames: RenameEvent[];
  migrations: number;
  /** Statements executed, for benches. */
  statements: number;
  /**
   * The replay stopped (a child that timed out, ran out of memory or died twice, or an answer refused): the files of
   * this history after the statement it stopped in, which never ran. Absent when every file ran.
   */
  unreplayed?: string[];
}

export interface ReplayPairResult {
  base: ReplayResult;
  head: ReplayResult;
  /** true when head was produced by appending to base's database (or a cached copy of it). */
  incremental: boolean;
  cached: boolean;
}

export type { Applier };

/** What replaying no file gives: an empty, complete schema. */
export const emptyReplayResult = (): ReplayResult => ({
  schema: emptySchema(),
  ok: true,
  failures: [],
  compatibility: [],
  renames: [],
  migrations: 0,
  statements: 0,
});
