import type { Tree } from './types.js';
import type { GitBatchReader } from './git-batch-reader.js';
import { runGit } from './run-git.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's bytes as text; undefined for binary (holds a NUL) or invalid UTF-8. A leading BOM is dropped. */
export function decodeText(content: Buffer): string | undefined {
  if (content.includes(0)) return undefined;
  try {
    return utf8.decode(content);
  } catch {
    return undefined;
  }
}

/** Whether a path is in the canonical form trees use (`a/b.sql`: no `./`, `..`, empty segments or line breaks). */
export function isTreePath(path: string): boolean {
  if (path === '' || /[\n\r\0]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Every blob path of a tree, from `git ls-tree -r`; submodules and symlink targets are not followed. */
export async function listTree(repoDir: string, treeId: string): Promise<string[]> {
  const { stdout } = await runGit(repoDir, ['ls-tree', '-r', '-z', '--full-tree', treeId]);
  const paths: string[] = [];
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    if (record.slice(0, tab).split(' ')[1] === 'blob') paths.push(record.slice(tab + 1));
  }
  return paths.sort();
}

/**
 * One tree of a local repository. Listing runs `git ls-tree` once per tree id (shared through `listings`); reading
 * goes through the source's single `git cat-file --batch` process as `<tree>:<path>` requests.
 */
export class GitTree implements Tree {
  constructor(
    readonly id: string,
    private readonly repoDir: string,
    private readonly reader: GitBatchReader,
    private readonly listings: Map<string, Promise<string[]>>,
  ) {}

  list(): Promise<string[]> {
    let listing = this.listings.get(this.id);
    if (!listing) {
      listing = listTree(this.repoDir, this.id);
      this.listings.set(this.id, listing);
      // A failed listing may succeed later (e.g. a transient lock); don't cache the failure.
      listing.catch(() => this.listings.delete(this.id));
    }
    return listing.then((paths) => [...paths]);
  }

  async read(paths: string[]): Promise<Map<string, string | undefined>> {
    const unique = [...new Set(paths)];
    const readable = unique.filter(isTreePath);
    const objects = await this.reader.getMany(readable.map((path) => `${this.id}:${path}`));
    const files = new Map<string, string | undefined>();
    for (const path of unique) files.set(path, undefined);
    readable.forEach((path, i) => {
      const object = objects[i];
      files.set(path, object?.type === 'blob' ? decodeText(object.content) : undefined);
    });
    return files;
  }
}
