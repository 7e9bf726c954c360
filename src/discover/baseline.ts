/**
 * `databases.<name>.baseline` in safari.yml: SQL files that create the schema a database's migrations start from (a
 * `schema.sql` applied once with `wrangler d1 execute`, kept outside the migrations folder). They replay before the
 * migrations on both sides, each in its own transaction like a wrangler file, and are never migrations themselves:
 * the rules don't see them as files of the database.
 */
import type { Tree } from '../source/types.js';
import { folderOf } from './paths.js';
import type { DiscoveryNotice, MigrationFile } from './types.js';

export async function loadBaseline(
  tree: Tree,
  paths: readonly string[],
  database: string,
  notices?: DiscoveryNotice[],
  configFile?: string,
  locate?: (path: (string | number)[]) => number | undefined,
): Promise<MigrationFile[]> {
  if (paths.length === 0) return [];
  const contents = await tree.read([...paths]);
  const files: MigrationFile[] = [];
  paths.forEach((path, i) => {
    const content = contents.get(path);
    if (content === undefined) {
      const line = locate?.(['databases', database, 'baseline', i]);
      notices?.push({ messageId: 'missing-folder', database, ...(configFile ? { file: configFile } : {}), ...(line ? { line } : {}), data: { folder: path, database } });
      return;
    }
    files.push({ path, source: folderOf(path), applier: 'wrangler', content, number: null, numberText: null });
  });
  return files;
}
