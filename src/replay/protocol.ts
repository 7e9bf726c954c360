/**
 * The NDJSON messages between the sandbox (parent) and a replay child. One job in flight per child.
 * Progress lines are not JSON: `p <segment> <file> <offset>` before each statement, so a parent that kills a child
 * on the wall-time limit knows which statement was running.
 */
import type { Applier } from '../discover/types.js';
import type { Schema } from '../schema/model.js';
import type { CompatibilityNote, RenameEvent, ReplayFailure } from './types.js';

export interface JobFile {
  path: string;
  applier: Applier;
  content: string;
}

export interface Job {
  id: number;
  dialect: 'd1' | 'sqlite';
  /** base64 of a serialized database to start from instead of an empty one. */
  restore?: string;
  /** Replayed one after another on the same database; each ends with a schema extraction and its own result. */
  segments: JobFile[][];
  /** Snapshot the database after this segment (for the base cache); sent after `done`, off the critical path. */
  serializeAfter?: number;
  /** Statements not to run again: they hit the wall-time limit in an earlier attempt. */
  skip?: { segment: number; file: number; offset: number }[];
}

/** What one segment did: a ReplayResult without the merging the parent does. */
export interface SegmentResult {
  schema: Schema;
  failures: ReplayFailure[];
  compatibility: CompatibilityNote[];
  renames: RenameEvent[];
  migrations: number;
  statements: number;
}

export type ChildMessage =
  | { type: 'ready'; pid: number; uid: number | null; sqlite: string }
  | { type: 'segment'; id: number; index: number; result: SegmentResult }
  | { type: 'done'; id: number; cpuMicros: number; snapshot: boolean }
  /** base64 of better-sqlite3's serialize() of the database after `serializeAfter`; follows `done` when promised. */
  | { type: 'snapshot'; id: number; database: string }
  | { type: 'error'; id: number; message: string };

const STATEMENT_CHARS = 500;

/** A statement as failures quote it: trimmed, long ones cut. */
export function shortenStatement(sql: string): string {
  const s = sql.trim();
  return s.length > STATEMENT_CHARS ? `${s.slice(0, STATEMENT_CHARS - 1)}…` : s;
}
