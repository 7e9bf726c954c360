/**
 * The NDJSON messages between the sandbox (parent) and a replay child. One job in flight per child.
 * Progress lines are not JSON: `p <segment> <file> <offset>` before each statement, so a parent that kills a child
 * on the wall-time limit knows which statement was running.
 */
import type { Applier } from '../discover/types.js';
import type { SchemaPatch } from './extract-patch.js';
import type { CompatibilityNote, RenameEvent, ReplayFailure } from './types.js';

export interface JobFile {
  path: string;
  applier: Applier;
  content: string;
}

export interface Job {
  id: number;
  dialect: 'd1' | 'sqlite';
  /** libSQL (loaded only by a child that gets such a job) cannot serialize: its jobs never keep, restore or fork. */
  engine?: 'libsql';
  /** Start from a database this child kept (see `keep`) instead of an empty one; answered `missing` if it has none. */
  restore?: string;
  /** Replayed one after another on the same database; each ends with a schema extraction and its own result. */
  segments: JobFile[][];
  /**
   * Keep a serialized copy of the database after these segments under their slots, for later jobs' `restore` (the
   * replay cache). The databases stay in this child: a re-review never ships megabytes through the pipe.
   */
  keep?: { segment: number; slot: string }[];
  /**
   * Per segment, the segment whose end database it continues (-1: the job's start, restored or empty); default the
   * one before it. A pair whose histories share a prefix runs it once: both suffixes continue that segment.
   */
  continues?: number[];
  /** Statements not to run again: they hit the wall-time limit in an earlier attempt. */
  skip?: { segment: number; file: number; offset: number }[];
}

/** What one segment did: a ReplayResult without the merging the parent does. */
export interface SegmentResult {
  /**
   * The schema after the segment, as a patch against the schema before it: the restored database's for the first
   * segment of a `restore` job, else the empty schema; for later segments, the previous segment's (or, with
   * `continues`, the schema after the segment it continues).
   */
  patch: SchemaPatch;
  failures: ReplayFailure[];
  compatibility: CompatibilityNote[];
  renames: RenameEvent[];
  migrations: number;
  statements: number;
}

export type ChildMessage =
  | { type: 'ready'; pid: number; uid: number | null; sqlite: string; permissions: ChildPermissions }
  | { type: 'segment'; id: number; index: number; result: SegmentResult }
  /** `kept`: bytes of each database kept, in `keep` order (empty: none kept). `missing`: `restore` named no database. */
  | { type: 'done'; id: number; cpuMicros: number; kept: number[]; missing?: boolean }
  | { type: 'error'; id: number; message: string };

/** What Node's permission model lets the replay child do (all false when it runs under it). */
export interface ChildPermissions {
  fsWrite: boolean;
  childProcess: boolean;
  worker: boolean;
}

/** Lines the parent writes: a job, or slots the child may free (the parent's cache let them go). */
export type ParentMessage = Job | { forget: string[] };

const STATEMENT_CHARS = 500;

/** A statement as failures quote it: trimmed, long ones cut. */
export function shortenStatement(sql: string): string {
  const s = sql.trim();
  return s.length > STATEMENT_CHARS ? `${s.slice(0, STATEMENT_CHARS - 1)}…` : s;
}
