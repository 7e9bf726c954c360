import type { Tree } from './types.js';
import type { GitBatchReader } from './git-batch-reader.js';
import { runGit } from './run-git.js';

// Not fatal: wrangler and drizzle's migrator read a migration as lenient UTF-8 (a Latin-1 `é` becomes U+FFFD) and
// apply it, so a file that isn't valid UTF-8 still changes the database and must still be reviewed.
const utf8 = new TextDecoder('utf-8');

/**
 * A file's bytes as text (invalid UTF-8 sequences become U+FFFD). NUL bytes are kept: SQLite runs a migration up to
 * its first NUL, so a "binary" migration still changes the database (issue 9). A leading BOM is dropped.
 */
export function decodeText(content: Buffer): string {
  return utf8.decode(content);
}


const SYMLINK_MODE = '120000';
/** A blob id no object has: the path is listed, but reads as undefined (a symlink that leaves the tree). */
export const UNREADABLE_BLOB = '';

/** One blob of a listing: its id and size in bytes. */
export interface BlobEntry {
  oid: string;
  size: number;
}

/** What a path that is listed but can't be read (a symlink that leaves the tree) maps to. */
const UNREADABLE_ENTRY: BlobEntry = { oid: UNREADABLE_BLOB, size: 0 };

/**
 * Every blob of a tree, path → blob id and size, from one `git ls-tree -r -l`; submodules are not files and are left out.
 * A symlink reads as the file it points to, as in a checkout (its blob only holds the target's path, which replayed
 * as SQL is a false syntax error); one that leaves the tree or points at no file reads as undefined.
 */
export async function treeBlobs(repoDir: string, treeId: string): Promise<Map<string, BlobEntry>> {
  const { stdout } = await runGit(repoDir, ['ls-tree', '-r', '-l', '-z', '--full-tree', treeId]);
  const entries: Array<[string, BlobEntry]> = [];
  const links: Array<[path: string, oid: string]> = [];
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    // `<mode> <type> <oid> <size, padded>`
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob') continue;
    entries.push([record.slice(tab + 1), { oid, size: Number(size) }]);
    if (mode === SYMLINK_MODE) links.push([record.slice(tab + 1), oid]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const blobs = new Map(entries);
  if (links.length > 0) await resolveSymlinks(repoDir, blobs, links);
  return blobs;
}

async function resolveSymlinks(repoDir: string, blobs: Map<string, BlobEntry>, links: Array<[string, string]>): Promise<void> {
  const { stdout } = await runGit(repoDir, ['cat-file', '--batch'], { input: links.map(([, oid]) => `${oid}\n`).join('') });
  const targets = new Map<string, string>();
  let offset = 0;
  for (const [path] of links) {
    const header = stdout.toString('utf8', offset, stdout.indexOf(0x0a, offset));
    const size = Number(header.split(' ')[2]);
    const start = offset + Buffer.byteLength(header) + 1;
    targets.set(path, stdout.toString('utf8', start, start + size));
    offset = start + size + 1;
  }
  const resolve = (path: string): BlobEntry | undefined => {
    for (let hops = 0; hops < 40; hops++) {
      const target = targets.get(path);
      if (target === undefined) return blobs.get(path);
      if (target.startsWith('/')) return undefined;
      const parts = path.split('/').slice(0, -1);
      for (const part of target.split('/')) {
        if (part === '..') {
          if (parts.length === 0) return undefined;
          parts.pop();
        } else if (part !== '.' && part !== '') parts.push(part);
      }
      path = parts.join('/');
    }
    return undefined;
  };
  for (const [path] of links) blobs.set(path, resolve(path) ?? UNREADABLE_ENTRY);
}

/** Every blob path of a tree, sorted. */
export async function listTree(repoDir: string, treeId: string): Promise<string[]> {
  return [...(await treeBlobs(repoDir, treeId)).keys()];
}

/**
 * One tree of a local repository. Its listing (path → blob id) comes from one `git ls-tree` per tree id, shared
 * through `listings`; files are read by blob id through the source's single `git cat-file --batch` process.
 * Asking by blob id rather than `<tree>:<path>` matters: a path lookup re-reads every tree on the way, and the
 * trees merge-tree just wrote are loose objects, which made a 2,000-file folder ~25× slower to read.
 */
export class GitTree implements Tree {
  constructor(
    readonly id: string,
    private readonly repoDir: string,
    private readonly reader: GitBatchReader,
    private readonly listings: Map<string, Promise<Map<string, BlobEntry>>>,
    /** Decoded blobs by id, shared by the source's trees: base and head share almost every file. */
    private readonly texts: Map<string, string | undefined> = new Map(),
  ) {}

  async list(): Promise<string[]> {
    return [...(await this.blobs()).keys()];
  }

  async read(paths: string[]): Promise<Map<string, string | undefined>> {
    const blobs = await this.blobs();
    const files = new Map<string, string | undefined>();
    for (const path of paths) files.set(path, undefined);
    const missing: string[] = [];
    for (const path of files.keys()) {
      const oid = blobs.get(path)?.oid;
      if (oid === undefined || oid === UNREADABLE_BLOB) continue;
      if (this.texts.has(oid)) files.set(path, this.texts.get(oid));
      else missing.push(path);
    }
    const objects = await this.reader.getMany(missing.map((path) => blobs.get(path)!.oid));
    missing.forEach((path, i) => {
      const object = objects[i];
      const text = object?.type === 'blob' ? decodeText(object.content) : undefined;
      this.texts.set(blobs.get(path)!.oid, text);
      files.set(path, text);
    });
    return files;
  }

  async sizes(paths: string[]): Promise<Map<string, number | undefined>> {
    const blobs = await this.blobs();
    return new Map(paths.map((path) => [path, blobs.get(path)?.size]));
  }

  async has(paths: string[]): Promise<Set<string>> {
    // A listing already made (or under way) answers; otherwise a path lookup each beats `ls-tree -r` of the tree.
    const listing = this.listings.get(this.id);
    if (listing) {
      const blobs = await listing;
      return new Set(paths.filter((p) => blobs.has(p)));
    }
    const objects = await this.reader.getMany(paths.map((p) => `${this.id}:${p}`));
    return new Set(paths.filter((_, i) => objects[i]?.type === 'blob'));
  }

  private blobs(): Promise<Map<string, BlobEntry>> {
    let listing = this.listings.get(this.id);
    if (!listing) {
      listing = treeBlobs(this.repoDir, this.id);
      this.listings.set(this.id, listing);
      // A failed listing may succeed later; don't keep the failure.
      listing.catch(() => this.listings.delete(this.id));
    }
    return listing;
  }
}
