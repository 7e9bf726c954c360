/**
 * Blob texts by SHA, shared by every review of the process. A blob's SHA names its content, so a cached text is
 * valid forever: a push that appends one migration fetches one blob. The cache is bounded in bytes (lru-cache).
 *
 * Fetching is batched: all SHAs asked for at once go in ONE GraphQL query (`object(oid:)` aliases); only what
 * GraphQL truncates (large blobs) goes through REST `git/blobs`. Binary blobs read as undefined, as in a checkout
 * the core would skip them.
 */
import { LRUCache } from 'lru-cache';
import type { TreeEntry } from './api-tree.js';
import type { GitHubApi } from './github-api.js';

/** undefined = binary or unreadable: the core treats it as "not a text file". */
type BlobText = string | undefined;

const BINARY = Symbol('binary');
type Cached = string | typeof BINARY;

export interface BlobStoreOptions {
  /** Cache budget in bytes (UTF-16 length × 2 as an estimate); default 64 MiB. */
  maxBytes?: number;
  /** Objects per GraphQL query; default 500 (a query stays well under GitHub's size limits). */
  batchSize?: number;
  /** Recursive tree listings kept, in entries (files) all together; default 500,000 (~50 MB). */
  maxTreeEntries?: number;
}

interface BlobNode {
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
}

/** One query for many blobs: `b<i>: object(oid: …)` aliases. SHAs are hex (from GitHub's own trees), never user text. */
export function blobsQuery(shas: string[]): string {
  const aliases = shas.map((sha, i) => {
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`not a git object id: ${sha.slice(0, 80)}`);
    return `b${i}: object(oid: "${sha}") { ... on Blob { text isBinary isTruncated } }`;
  });
  return `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${aliases.join(' ')} } }`;
}

export class BlobStore {
  private readonly cache: LRUCache<string, Cached>;
  private readonly batchSize: number;
  // A commit's or tree's listing never changes either: a re-run, or a push to the PR, reads the base tree once.
  private readonly trees: LRUCache<string, ReadonlyMap<string, TreeEntry>>;

  constructor(opts: BlobStoreOptions = {}) {
    this.trees = new LRUCache({ maxSize: opts.maxTreeEntries ?? 500_000, sizeCalculation: (entries) => Math.max(1, entries.size) });
    this.cache = new LRUCache<string, Cached>({
      maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (value) => (value === BINARY ? 1 : Math.max(1, value.length * 2)),
    });
    this.batchSize = opts.batchSize ?? 500;
  }

  get usage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.calculatedSize };
  }

  /** A commit's or tree's recursive listing, read through `load` once (keyed by the object's SHA). */
  async tree(sha: string, load: () => Promise<Map<string, TreeEntry>>): Promise<ReadonlyMap<string, TreeEntry>> {
    const hit = this.trees.get(sha);
    if (hit) return hit;
    const entries = await load();
    this.trees.set(sha, entries);
    return entries;
  }

  /** Texts of these blobs, fetched through `api` when not cached. */
  async texts(api: GitHubApi, shas: string[]): Promise<Map<string, BlobText>> {
    const out = new Map<string, BlobText>();
    const missing: string[] = [];
    for (const sha of new Set(shas)) {
      const hit = this.cache.get(sha);
      if (hit === undefined) missing.push(sha);
      else out.set(sha, hit === BINARY ? undefined : hit);
    }
    for (let i = 0; i < missing.length; i += this.batchSize) {
      const fetched = await this.fetchBatch(api, missing.slice(i, i + this.batchSize));
      for (const [sha, text] of fetched) out.set(sha, text);
    }
    return out;
  }

  private async fetchBatch(api: GitHubApi, shas: string[]): Promise<Map<string, BlobText>> {
    const out = new Map<string, BlobText>();
    const query = blobsQuery(shas);
    const data = await api.graphql<{ repository: Record<string, BlobNode | null> }>(query, {
      owner: api.repoRef.owner,
      name: api.repoRef.repo,
    });
    const truncated: string[] = [];
    shas.forEach((sha, i) => {
      const node = data.repository?.[`b${i}`];
      if (!node) return out.set(sha, undefined);
      if (node.isBinary) return this.keep(out, sha, BINARY);
      if (node.isTruncated || node.text === null) return truncated.push(sha);
      this.keep(out, sha, node.text);
    });
    // Rare (blobs over GraphQL's text limit): one REST request each.
    for (const sha of truncated) {
      const blob = await api.rest<{ content: string; encoding: string }>('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { file_sha: sha });
      const bytes = Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8');
      this.keep(out, sha, bytes.includes(0) ? BINARY : bytes.toString('utf8'));
    }
    return out;
  }

  private keep(out: Map<string, BlobText>, sha: string, value: Cached): void {
    this.cache.set(sha, value);
    out.set(sha, value === BINARY ? undefined : value);
  }
}
