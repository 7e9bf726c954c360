import type { TableDetails } from '../map/table-details.js';
/** Messages between the server and a review worker (child_process IPC, structured-clone serialization). */
import type { ConfigError } from '../config/load-config.js';
import type { ExternalAcknowledgement } from '../review.js';
import type { ReviewResult } from '../result.js';
import type { FileChange, ReviewSource } from '../source/types.js';
import type { RepositoryMap } from '../map/map.js';

export type Side = 'base' | 'head';

export interface SourceShape {
  baseId: string;
  headId: string;
  baseSha: string;
  headSha: string;
  mergeBaseSha: string;
  changes: FileChange[];
  conflicts: string[];
  origin: ReviewSource['origin'];
}

export interface ReviewJob {
  t: 'review';
  job: number;
  source: SourceShape;
  evaluateSchema: boolean;
  acknowledgements: ExternalAcknowledgement[];
}

export interface MapJob {
  t: 'map';
  job: number;
  headId: string;
  /** `/safari table <name>`: also describe this table. */
  table?: string;
}

/**
 * The server's answer to a file request. A `read` answers each path either with its text or, when the path is a blob,
 * with the blob's SHA only (`keys`): the worker keeps texts by SHA across reviews and asks (`blobs`) for the ones it
 * lacks, so a re-run or a push that appends one migration sends almost no text over IPC.
 */
export interface FilesReply {
  t: 'files';
  req: number;
  list?: string[];
  texts?: Map<string, string | undefined>;
  keys?: Map<string, string>;
  sizes?: Map<string, number | undefined>;
  error?: string;
}

export type ToWorker = ReviewJob | MapJob | FilesReply;

export type FromWorker =
  | { t: 'ready'; isolation: string }
  | { t: 'list'; job: number; req: number; side: Side }
  | { t: 'read'; job: number; req: number; side: Side; paths: string[] }
  /** The texts of these paths, whose blobs the worker doesn't hold (answered with `texts`, never `keys`). */
  | { t: 'blobs'; job: number; req: number; side: Side; paths: string[] }
  | { t: 'sizes'; job: number; req: number; side: Side; paths: string[] }
  | { t: 'reviewed'; job: number; result: ReviewResult; diagrams: Record<string, string> }
  | { t: 'mapped'; job: number; map: RepositoryMap; table?: TableDetails }
  | { t: 'failed'; job: number; configErrors?: ConfigError[]; message: string };
