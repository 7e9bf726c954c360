import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.js';

/** Puts a file into a tree (`mode`/`oid` as in `git ls-tree`) or, without them, takes it out. */
export interface TreeEdit {
  path: string;
  mode?: string;
  oid?: string;
}

/**
 * Writes a new tree: `treeId` with `edits` applied, through a scratch index in a temporary directory, so the
 * repository's own index and working tree are never touched. Returns the new tree id (a real one, usable as a cache
 * key like any other).
 */
export async function patchTree(repoDir: string, treeId: string, edits: TreeEdit[]): Promise<string> {
  if (edits.length === 0) return treeId;
  const scratch = await mkdtemp(join(tmpdir(), 'safari-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  const zeroOid = '0'.repeat(treeId.length);
  // Removals first, so a file that moves into a directory of the same name (or back) never collides.
  const ordered = [...edits.filter((e) => !e.oid), ...edits.filter((e) => e.oid)];
  const input = ordered.map((e) => (e.oid ? `${e.mode} ${e.oid}\t${e.path}\0` : `0 ${zeroOid}\t${e.path}\0`)).join('');
  try {
    await runGit(repoDir, ['read-tree', treeId], { env });
    await runGit(repoDir, ['update-index', '-z', '--replace', '--index-info'], { env, input });
    const { stdout } = await runGit(repoDir, ['write-tree'], { env });
    return stdout.toString('utf8').trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The blob entries (mode, oid) that `commit` holds at exactly these paths; paths it lacks are left out. */
export async function blobEntries(repoDir: string, commit: string, paths: string[]): Promise<Map<string, TreeEdit>> {
  const entries = new Map<string, TreeEdit>();
  if (paths.length === 0) return entries;
  const wanted = new Set(paths);
  // --literal-pathspecs: a path like `*.sql` or `:(glob)x` is a name here, never a pattern.
  const { stdout } = await runGit(repoDir, ['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', commit, '--', ...paths]);
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type === 'blob' && wanted.has(path)) entries.set(path, { path, mode, oid });
  }
  return entries;
}
