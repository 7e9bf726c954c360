/** The node_modules folders that hold Safari's dependencies: sandbox children may read them (and nothing of the host). */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let nodeModulesDir: string | undefined;

export function safariNodeModules(): string {
  if (!nodeModulesDir) {
    let dir = dirname(createRequire(import.meta.url).resolve('drizzle-kit/api'));
    while (!dir.endsWith('/node_modules') && dir !== '/') dir = dirname(dir);
    nodeModulesDir = realpathSync(dir);
  }
  return nodeModulesDir;
}

/**
 * What a child running `script` reads to load `packages` (unscoped names), besides safariNodeModules(): for each, the
 * node_modules folder Node's lookup walks into from the script (by its own path: it may be a symlink, as with
 * `npm link` or a mounted folder, and the permission model checks that path) and the real folder the package sits in
 * (pnpm keeps a package's dependencies beside it there). A package that is not installed (an optional engine) adds
 * nothing.
 */
export function packageReadPaths(script: string, packages: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const name of packages) {
    for (let dir = dirname(script); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules', name))) {
        paths.add(join(dir, 'node_modules'));
        paths.add(dirname(realpathSync(join(dir, 'node_modules', name))));
        break;
      }
      if (dir === dirname(dir)) break;
    }
  }
  return [...paths];
}

/**
 * `paths` without duplicates and without paths inside another of them, which the outer one covers. Node 20's
 * permission model aborts the process when an `--allow-fs-read` path is given twice, and denies reads under a path given
 * inside another one (both seen with its radix tree), so each folder is passed once, outermost.
 */
export function outermostPaths(paths: readonly string[]): string[] {
  const kept: string[] = [];
  for (const path of [...new Set(paths)].sort((a, b) => a.length - b.length)) {
    if (!kept.some((outer) => path.startsWith(outer.endsWith('/') ? outer : `${outer}/`))) kept.push(path);
  }
  return kept;
}
