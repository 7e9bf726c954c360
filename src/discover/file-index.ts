/** One tree's file list, indexed by folder, so discovery and loading never rescan the whole list per question. */
import picomatch from 'picomatch';
import type { Tree } from '../source/types.js';
import { folderOf, isWithin } from './paths.js';

/** Folders zero-config discovery never searches: dependencies, VCS data and build output. */
export const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'bower_components',
  '.git',
  '.hg',
  'dist',
  'build',
  '.wrangler',
  '.svelte-kit',
  '.next',
  '.nuxt',
  '.output',
  '.turbo',
  '.vercel',
  '.netlify',
  '.cache',
  '.pnpm-store',
  '.yarn',
  'coverage',
]);

const SKIPPED_PATTERN = new RegExp(`(?:^|/)(?:${[...SKIPPED_FOLDERS].map((f) => f.replace(/\./g, '\\.')).join('|')})/`);

/** true when a folder of the path is one discovery never searches. */
export function isSkipped(path: string): boolean {
  return SKIPPED_PATTERN.test(path);
}

export class FileIndex {
  /** Every path, sorted by code unit. */
  readonly paths: readonly string[];
  private readonly set: Set<string>;
  private readonly byFolder = new Map<string, string[]>();
  private readonly folders = new Set<string>();

  constructor(paths: Iterable<string>) {
    const list = [...paths];
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1] < list[i];
    this.paths = sorted ? list : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.set = new Set(this.paths);
    for (const path of this.paths) {
      let folder = folderOf(path);
      const list = this.byFolder.get(folder);
      if (list) list.push(path);
      else this.byFolder.set(folder, [path]);
      while (!this.folders.has(folder)) {
        this.folders.add(folder);
        if (folder === '') break;
        folder = folderOf(folder);
      }
    }
  }

  has(path: string): boolean {
    return this.set.has(path);
  }

  /** true when some file lies below `folder`. */
  hasFolder(folder: string): boolean {
    return this.folders.has(folder);
  }

  /** Files directly in `folder`. */
  direct(folder: string): readonly string[] {
    return this.byFolder.get(folder) ?? [];
  }

  /** Every folder that directly holds at least one file. */
  foldersWithFiles(): IterableIterator<string> {
    return this.byFolder.keys();
  }

  /** Files anywhere below `folder`. */
  under(folder: string): readonly string[] {
    if (folder === '') return this.paths;
    const prefix = folder + '/';
    let lo = 0;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.paths[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.paths.length && this.paths[i].startsWith(prefix); i++) out.push(this.paths[i]);
    return out;
  }

  /** A copy without the files `keep` rejects. */
  filter(keep: (path: string) => boolean): FileIndex {
    return new FileIndex(this.paths.filter(keep));
  }
}

/** A predicate for the config's `ignore` globs (dotfiles included). */
export function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs as string[], { dot: true });
  // `ignore: [legacy/migrations]` should hide the folder's files too, not only a file of that exact name.
  return (path) => match(path) || globs.some((g) => !/[*?[\]{}]/.test(g) && isWithin(g.replace(/\/+$/, ''), path));
}

const cache = new WeakMap<Tree, Promise<FileIndex>>();

/** The tree's file list, indexed once per tree object. */
export function indexTree(tree: Tree): Promise<FileIndex> {
  let index = cache.get(tree);
  if (!index) {
    index = tree.list().then((paths) => new FileIndex(paths));
    cache.set(tree, index);
    // A failed list must not stick: let the next caller try again.
    index.catch(() => cache.delete(tree));
  }
  return index;
}
