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

export type ToWorker = ReviewJob | MapJob | { t: 'files'; req: number; list?: string[]; texts?: Map<string, string | undefined>; sizes?: Map<string, number | undefined>; error?: string };

export type FromWorker =
  | { t: 'ready'; isolation: string }
  | { t: 'list'; job: number; req: number; side: Side }
  | { t: 'read'; job: number; req: number; side: Side; paths: string[] }
  | { t: 'sizes'; job: number; req: number; side: Side; paths: string[] }
  | { t: 'reviewed'; job: number; result: ReviewResult; diagrams: Record<string, string> }
  | { t: 'mapped'; job: number; map: RepositoryMap; table?: TableDetails }
  | { t: 'failed'; job: number; configErrors?: ConfigError[]; message: string };
