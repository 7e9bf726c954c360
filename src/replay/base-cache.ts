/**
 * Serialized base databases by content hash of the base file list, so a re-review with an unchanged base applies
 * only the PR's files. Least recently used entries go first once the total size passes the budget.
 */
import { createHash } from 'node:crypto';
import type { JobFile } from './protocol.js';
import type { ReplayResult } from './types.js';

/** Bump when replay semantics change, so no cached database outlives the code that built it. */
const REPLAY_VERSION = '1';

export interface CachedBase {
  /** base64 of better-sqlite3's serialize(), as the child takes it back. */
  database: string;
  result: ReplayResult;
}

export function baseCacheKey(dialect: string, files: readonly JobFile[]): string {
  const h = createHash('sha256');
  h.update(`safari-replay ${REPLAY_VERSION} ${dialect} ${files.length}\n`);
  for (const f of files) {
    h.update(`${f.path}\0${f.applier}\0${Buffer.byteLength(f.content)}\0`);
    h.update(f.content);
  }
  return h.digest('hex');
}

export class BaseCache {
  private readonly entries = new Map<string, CachedBase>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedBase | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedBase): void {
    const size = entry.database.length;
    if (size > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.database.length;
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.database.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
  get totalBytes(): number {
    return this.bytes;
  }
}
