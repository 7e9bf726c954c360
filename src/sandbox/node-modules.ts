/** The node_modules folder that holds Safari's dependencies: sandbox children may read it (and nothing of the host). */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

let nodeModulesDir: string | undefined;

export function safariNodeModules(): string {
  if (!nodeModulesDir) {
    let dir = dirname(createRequire(import.meta.url).resolve('drizzle-kit/api'));
    while (!dir.endsWith('/node_modules') && dir !== '/') dir = dirname(dir);
    nodeModulesDir = realpathSync(dir);
  }
  return nodeModulesDir;
}
