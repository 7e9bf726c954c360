import type { FileChange } from './types.js';
import { runGit } from './run-git.js';

/** One entry of `git diff-tree --raw -z`, with the new side's mode and blob (what the PR tip holds). */
export interface RawChange {
  status: string;
  srcMode: string;
  dstMode: string;
  dstOid: string;
  /** The path before the change (same as `path` unless renamed or copied). */
  srcPath: string;
  path: string;
}

const GITLINK = '160000';
const NONE = '000000';

/** Parses `git diff-tree -r -z --raw` output: `:<mode> <mode> <oid> <oid> <status>\0<path>\0[<path>\0]`. */
export function parseRawDiff(output: Buffer): RawChange[] {
  const fields = output.toString('utf8').split('\0');
  const changes: RawChange[] = [];
  let i = 0;
  while (i < fields.length) {
    const meta = fields[i++];
    if (!meta.startsWith(':')) continue;
    const [srcMode, dstMode, , dstOid, status] = meta.slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const srcPath = fields[i++];
    const path = twoPaths ? fields[i++] : srcPath;
    changes.push({ status, srcMode, dstMode, dstOid, srcPath, path });
  }
  return changes;
}

/** Whether a tree entry with this mode is a file we can read (not a submodule, not absent). */
function isFile(mode: string): boolean {
  return mode !== GITLINK && mode !== NONE;
}

/**
 * Maps git's statuses onto the review's: copies count as added, type changes as modified; submodules are not
 * files, so a file that became a submodule is deleted and the reverse is added.
 */
export function toFileChanges(raw: RawChange[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const change of raw) {
    const from = isFile(change.srcMode);
    const to = isFile(change.dstMode);
    const kind = change.status[0];
    if (kind === 'C') {
      if (to) changes.push({ path: change.path, status: 'added' });
    } else if (kind === 'R') {
      if (from && to) changes.push({ path: change.path, status: 'renamed', oldPath: change.srcPath });
      else if (to) changes.push({ path: change.path, status: 'added' });
      else if (from) changes.push({ path: change.srcPath, status: 'deleted' });
    } else if (from && to) {
      changes.push({ path: change.path, status: 'modified' });
    } else if (to) {
      changes.push({ path: change.path, status: 'added' });
    } else if (from) {
      changes.push({ path: change.path, status: 'deleted' });
    }
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The raw changes from one commit to another, with rename and copy detection. */
export async function diffCommits(repoDir: string, from: string, to: string): Promise<RawChange[]> {
  const { stdout } = await runGit(repoDir, ['diff-tree', '-r', '-z', '--raw', '--no-abbrev', '-M', from, to]);
  return parseRawDiff(stdout);
}
