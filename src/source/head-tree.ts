import { runGit } from './run-git.js';
import type { RawChange } from './git-changes.js';
import { blobEntries, patchTree, type TreeEdit } from './patch-tree.js';

/** What main would hold after merging the PR. */
export interface HeadTree {
  treeId: string;
  /** Paths changed on both sides whose merge conflicted; the tree holds the PR's version of them (sorted). */
  conflicts: string[];
  /** How the tree was made: the PR was up to date, git merged it, or the per-file fallback for old git. */
  method: 'up-to-date' | 'merge-tree' | 'per-file';
}

export interface HeadTreeInput {
  repoDir: string;
  baseSha: string;
  headSha: string;
  mergeBaseSha: string;
  baseTree: string;
  headTree: string;
  /** The PR's own changes (merge-base → PR tip), as diff-tree reported them. */
  prChanges: RawChange[];
}

/**
 * Builds the head tree the review replays: base tip + the PR's own changes.
 *
 * 1. PR up to date with base (base is the merge-base): the PR's own tree.
 * 2. Otherwise `git merge-tree --write-tree` merges three-way exactly as `git merge` would, without touching the
 *    index or working tree. Conflicted files hold conflict markers there, so each is replaced by the PR tip's
 *    version (or removed when the PR tip has none).
 * 3. When merge-tree can't (git older than 2.38 has no --write-tree), fall back to {@link mergePerFile}.
 */
export async function buildHeadTree(input: HeadTreeInput): Promise<HeadTree> {
  if (input.baseSha === input.mergeBaseSha) return { treeId: input.headTree, conflicts: [], method: 'up-to-date' };
  if (input.headSha === input.mergeBaseSha) return { treeId: input.baseTree, conflicts: [], method: 'up-to-date' };
  const merged = await mergeWithGit(input);
  return merged ?? mergePerFile(input);
}

/** `git merge-tree`; undefined when this git can't do a real merge-tree. */
async function mergeWithGit(input: HeadTreeInput): Promise<HeadTree | undefined> {
  const { repoDir, baseSha, headSha } = input;
  let result;
  try {
    result = await runGit(repoDir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', baseSha, headSha], {
      okCodes: [1],
    });
  } catch {
    return undefined;
  }
  // Output: `<tree>\0` then, on conflicts (exit 1), each conflicted path once, `\0`-terminated.
  const [treeId, ...rest] = result.stdout.toString('utf8').split('\0');
  if (!/^[0-9a-f]{40,64}$/.test(treeId ?? '')) return undefined;
  const reported = rest.filter((path) => path !== '');
  if (result.code === 0 || reported.length === 0) return { treeId, conflicts: [], method: 'merge-tree' };
  // A file/directory conflict parks one side at `<path>~<side>`; the conflict is about `<path>`.
  const suffixes = [`~${baseSha}`, `~${headSha}`];
  const logical = (path: string): string => {
    const suffix = suffixes.find((s) => path.endsWith(s));
    return suffix ? path.slice(0, -suffix.length) : path;
  };
  const conflicts = [...new Set(reported.map(logical))].sort();
  const prVersions = await blobEntries(repoDir, headSha, conflicts);
  const edits: TreeEdit[] = [
    ...reported.filter((path) => !prVersions.has(path)).map((path) => ({ path })),
    ...prVersions.values(),
  ];
  return { treeId: await patchTree(repoDir, treeId, edits), conflicts, method: 'merge-tree' };
}

/**
 * Fallback for git without `merge-tree --write-tree`: base tree + each of the PR's changes applied per file. It
 * can't merge a file's content, so a file both sides changed takes the PR's version and is listed as a conflict.
 */
export async function mergePerFile(input: HeadTreeInput): Promise<HeadTree> {
  const { repoDir, baseSha, mergeBaseSha, baseTree, prChanges } = input;
  const edits: TreeEdit[] = [];
  const touched = new Set<string>();
  for (const change of prChanges) {
    touched.add(change.path);
    if (change.srcPath !== change.path) touched.add(change.srcPath);
    if (change.status.startsWith('R')) edits.push({ path: change.srcPath });
    const present = change.dstMode !== '000000' && change.dstMode !== '160000';
    edits.push(present ? { path: change.path, mode: change.dstMode, oid: change.dstOid } : { path: change.path });
  }
  const { stdout } = await runGit(repoDir, ['diff-tree', '-r', '-z', '--name-only', '--no-renames', mergeBaseSha, baseSha]);
  const baseChanged = stdout.toString('utf8').split('\0').filter((path) => path !== '');
  const conflicts = [...new Set(baseChanged.filter((path) => touched.has(path)))].sort();
  return { treeId: await patchTree(repoDir, baseTree, edits), conflicts, method: 'per-file' };
}
