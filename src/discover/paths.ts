/** Repo-relative POSIX path helpers: '' is the repository root, never a leading `./` or trailing `/`. */
import { posix } from 'node:path';

/** The folder holding `path` ('' for a file at the root). */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Resolves `relative` against the repo folder `from`; undefined when the result is absolute or leaves the repository
 * (a config must not make Safari read outside the tree it was given).
 */
export function resolveInRepo(from: string, relative: string): string | undefined {
  if (/^[\\/]/.test(relative) || /^[A-Za-z]:[\\/]/.test(relative)) return undefined;
  const joined = posix.normalize(posix.join(from || '.', relative.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  const clean = joined.replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

/** `path` relative to `folder`, or undefined when it isn't inside it. */
export function relativeTo(folder: string, path: string): string | undefined {
  if (folder === '') return path;
  return path.startsWith(folder + '/') ? path.slice(folder.length + 1) : undefined;
}

/** true when `path` is `folder` itself or lies below it. */
export function isWithin(folder: string, path: string): boolean {
  return folder === '' || path === folder || path.startsWith(folder + '/');
}

/** 1-based line of a character offset (one scan: for many offsets of one text, use {@link lineIndex}). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Offset → 1-based line for many offsets of one text: the line starts are found once, each lookup is a binary
 * search. Counting from offset 0 per lookup made 30,000 wrangler bindings take minutes.
 */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Shows a folder in messages: the root is `.`. */
export function showFolder(folder: string): string {
  return folder === '' ? '.' : folder;
}
