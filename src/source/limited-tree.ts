/**
 * A review's reads, bounded. A PR controls its files' sizes: a 50 MB migration took the review process to 3.2 GB, and
 * 200 files of 10 MB to 4.1 GB, because every file was read before any size check. Sizes are asked first (no bytes
 * read); a file over the per-file cap, or one that would overrun the review's byte budget, is not read: it reads as
 * absent and is recorded, so the review reports it (review-incomplete) instead of passing over it in silence.
 */
import type { Tree } from './types.js';

export interface ReadRefusal {
  path: string;
  bytes: number;
  limit: number;
  /** `file`: over the per-file cap; `budget`: the review's byte budget was spent. */
  reason: 'file' | 'budget';
}

/** The byte budget shared by every tree of one review (base and head read mostly the same files: counted once). */
export class ReadBudget {
  readonly refusals: ReadRefusal[] = [];
  private spentBytes = 0;
  private readonly counted = new Set<string>();
  private readonly refused = new Set<string>();

  constructor(
    readonly maxFileBytes: number,
    readonly maxTotalBytes: number,
    /** Told of each refusal as it happens (reads go on during the rules: the code search reads lazily). */
    private readonly onRefusal: (refusal: ReadRefusal) => void = () => {},
  ) {}

  get spent(): number {
    return this.spentBytes;
  }

  /** Whether `path` (of `bytes`) may be read; a refusal is recorded once per path. */
  admit(path: string, bytes: number): boolean {
    const key = `${bytes}\0${path}`;
    if (this.counted.has(key)) return true;
    let refusal: ReadRefusal | undefined;
    if (bytes > this.maxFileBytes) refusal = { path, bytes, limit: this.maxFileBytes, reason: 'file' };
    else if (this.spentBytes + bytes > this.maxTotalBytes) refusal = { path, bytes, limit: this.maxTotalBytes, reason: 'budget' };
    if (refusal) {
      if (!this.refused.has(path)) {
        this.refusals.push(refusal);
        this.onRefusal(refusal);
      }
      this.refused.add(path);
      return false;
    }
    this.counted.add(key);
    this.spentBytes += bytes;
    return true;
  }
}

/** `tree`, reading only what `budget` admits; everything else reads as absent (and is in `budget.refusals`). */
export function limitTree(tree: Tree, budget: ReadBudget): Tree {
  return {
    id: tree.id,
    list: () => tree.list(),
    sizes: (paths) => tree.sizes(paths),
    async read(paths) {
      const sizes = await tree.sizes(paths);
      const allowed = paths.filter((path) => {
        const bytes = sizes.get(path);
        return bytes === undefined || budget.admit(path, bytes);
      });
      const texts = allowed.length > 0 ? await tree.read(allowed) : new Map<string, string | undefined>();
      return new Map(paths.map((path) => [path, texts.get(path)]));
    },
  };
}
