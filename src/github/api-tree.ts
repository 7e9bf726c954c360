/**
 * The core's `Tree` over the GitHub API: the listing comes from one recursive tree request (made by the source), the
 * texts from the shared BlobStore through the review's batch loader; `prefetch` lets the source load every likely
 * file of a review in one go.
 */
import type { Tree } from '../source/types.js';
import type { BlobStore } from './blob-store.js';
import type { GitHubApi } from './github-api.js';

export type BlobLoader = (shas: string[]) => Promise<Map<string, string | undefined>>;

/**
 * One review's loader: every SHA asked for in the same tick (by either side's tree) goes out in one batch, so the
 * core's parallel reads of one step cost one request.
 */
export function batchLoader(api: GitHubApi, store: BlobStore): BlobLoader {
  let pending: { shas: Set<string>; done: Promise<Map<string, string | undefined>> } | undefined;
  return (shas) => {
    if (!pending) {
      const batch = { shas: new Set<string>(), done: undefined as unknown as Promise<Map<string, string | undefined>> };
      batch.done = Promise.resolve().then(() => {
        pending = undefined;
        return store.texts(api, [...batch.shas]);
      });
      pending = batch;
    }
    for (const sha of shas) pending.shas.add(sha);
    return pending.done;
  };
}

/** A Tree that can name its texts by blob SHA (content-addressed: the same SHA is the same text, forever). */
export interface KeyedTree extends Tree {
  shas?(paths: string[]): Map<string, string | undefined>;
}

export interface TreeEntry {
  sha: string;
  /** Bytes, when GitHub said (trees list blob sizes). */
  size?: number;
}

export class ApiTree implements Tree {
  private sorted?: string[];

  constructor(
    readonly id: string,
    /** Path → blob; the caller owns it (the lay-over head is built by editing a copy of base's). */
    readonly entries: ReadonlyMap<string, TreeEntry>,
    private readonly load: BlobLoader,
  ) {}

  async list(): Promise<string[]> {
    this.sorted ??= [...this.entries.keys()].sort();
    return this.sorted;
  }

  async read(paths: string[]): Promise<Map<string, string | undefined>> {
    const shas = paths.map((p) => this.entries.get(p)?.sha);
    const texts = await this.load(shas.filter((s): s is string => s !== undefined));
    return new Map(paths.map((p, i) => [p, shas[i] === undefined ? undefined : texts.get(shas[i]!)]));
  }

  /** Each path's blob SHA: the text's name, so the review worker keeps texts it already has (undefined: no such file). */
  shas(paths: string[]): Map<string, string | undefined> {
    return new Map(paths.map((p) => [p, this.entries.get(p)?.sha]));
  }

  /** Blob sizes from the tree listing (GitHub's `size`): checked before anything is read. */
  async sizes(paths: string[]): Promise<Map<string, number | undefined>> {
    return new Map(paths.map((p) => [p, this.entries.get(p)?.size]));
  }

  /** Loads these paths' blobs into the shared cache (one batch with anything else asked for this tick). */
  async prefetch(paths: Iterable<string>): Promise<void> {
    const shas = [...paths].map((p) => this.entries.get(p)?.sha).filter((s): s is string => s !== undefined);
    await this.load(shas);
  }
}
