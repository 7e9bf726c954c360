/**
 * Which files of the tree a migration source applies: the one definition shared by loading (what replays) and
 * discovery (what counts as attributed), so the two can never disagree.
 */
import picomatch from 'picomatch';
import type { MigrationSource } from './types.js';
import type { FileIndex } from './file-index.js';
import { baseName, folderOf, relativeTo } from './paths.js';
import { compareMigrationPaths } from './order.js';

const isSql = (path: string): boolean => path.toLowerCase().endsWith('.sql');

/** `<out>/<folder>/migration.sql` files of drizzle-kit 1.x's layout (one folder per migration). */
export function drizzleV1Files(folder: string, index: FileIndex): string[] {
  const out: string[] = [];
  for (const path of index.under(folder)) {
    const rel = relativeTo(folder, path);
    if (rel !== undefined && /^[^/]+\/migration\.sql$/.test(rel)) out.push(path);
  }
  return out;
}

/**
 * The source's migration files in wrangler order (by path below the source folder, or below the pattern's base).
 * Drizzle sources with a journal are re-ordered by the loader; this gives every file the folder holds.
 */
export function selectSourceFiles(source: MigrationSource, index: FileIndex): string[] {
  let files: string[];
  let base = source.path;
  if (source.pattern !== undefined) {
    base = source.patternBase ?? folderOf(source.path);
    const match = picomatch(source.pattern, { dot: false });
    files = index.under(base).filter((p) => {
      const rel = relativeTo(base, p);
      return rel !== undefined && isSql(p) && match(rel);
    });
  } else {
    files = index.direct(source.path).filter((p) => isSql(p) && !baseName(p).startsWith('.'));
    if (source.applier === 'drizzle') files.push(...drizzleV1Files(source.path, index));
  }
  const rel = (p: string): string => relativeTo(base, p) ?? p;
  return files.sort((a, b) => compareMigrationPaths(rel(a), rel(b)));
}
