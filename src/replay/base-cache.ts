/**
 * Replayed databases by content hash of the history that built them (a review's base or head), so a re-review starts
 * from the longest history it already replayed and runs only the rest. The databases themselves stay in the replay
 * children that built them (sandbox.ts); an entry here is what the parent needs to use one: the history's result and
 * where its database is. Least recently used entries go first once the total size passes the budget, and `onEvict`
 * hears of every entry that leaves (so its child can free the database).
 */
import { createHash } from 'node:crypto';
import type { JobFile } from './protocol.js';
import type { ReplayResult } from './types.js';

/** Bump when replay semantics change, so no cached database outlives the code that built it. */
const REPLAY_VERSION = '2';

export interface CachedBase {
  result: ReplayResult;
  /** Size counted against the budget (the serialized database's bytes). */
  bytes?: number;
  /** A serialized database held here (base64); counted by its length when `bytes` is not given. */
  database?: string;
}

/** The key of the empty history: every prefix key chains from it. */
function rootKey(dialect: string): string {
  return createHash('sha256').update(`safari-replay ${REPLAY_VERSION} ${dialect}\n`).digest('hex');
}

function nextKey(previous: string, f: JobFile): string {
  const h = createHash('sha256');
  h.update(`${previous}\0${f.path}\0${f.applier}\0${Buffer.byteLength(f.content)}\0`);
  h.update(f.content);
  return h.digest('hex');
}

/**
 * keys[i] identifies the history files[0..i) (a hash chain: each key covers every file before it, in order), so
 * one pass gives the key of every prefix. `shared` reuses keys already computed for a list with the same first files.
 */
export function prefixKeys(dialect: string, files: readonly JobFile[], shared: readonly string[] = []): string[] {
  const keys = shared.length ? shared.slice(0, files.length + 1) : [rootKey(dialect)];
  for (let i = keys.length - 1; i < files.length; i++) keys.push(nextKey(keys[i], files[i]));
  return keys;
}

/** The key of a whole history. */
export function baseCacheKey(dialect: string, files: readonly JobFile[]): string {
  return prefixKeys(dialect, files)[files.length];
}

const sizeOf = (entry: CachedBase) => entry.bytes ?? entry.database?.length ?? 0;

export class BaseCache<Entry extends CachedBase = CachedBase> {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onEvict: (key: string, entry: Entry) => void = () => {},
  ) {}

  /** The entry, without making it the most recently used. */
  peek(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    const size = sizeOf(entry);
    this.remove(key, true);
    if (size > this.maxBytes) {
      this.onEvict(key, entry);
      return;
    }
    this.entries.set(key, entry);
    this.bytes += size;
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k, true);
    }
  }

  /** Drops, without telling `onEvict`, every entry `gone` says no longer exists. */
  deleteWhere(gone: (entry: Entry) => boolean): void {
    for (const [k, e] of [...this.entries]) if (gone(e)) this.remove(k, false);
  }

  private remove(key: string, evicted: boolean): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(old);
    if (evicted) this.onEvict(key, old);
  }

  get size(): number {
    return this.entries.size;
  }
  get totalBytes(): number {
    return this.bytes;
  }
}
