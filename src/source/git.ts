import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReviewSource } from './types.js';
import { GitBatchReader } from './git-batch-reader.js';
import { GitSourceError } from './git-source-error.js';
import { GitTree, type BlobEntry } from './git-tree.js';
import { diffCommits, toFileChanges } from './git-changes.js';
import { buildHeadTree, type HeadTree } from './head-tree.js';
import { runGit } from './run-git.js';

export { GitSourceError } from './git-source-error.js';

export interface GitSourceOptions {
  /** Where the PR comes from; default `local`. */
  origin?: ReviewSource['origin'];
  /** How errors name the two refs; default `base ref` and `head ref` (`safari map` reads one revision: `--rev`). */
  refLabels?: [base: string, head: string];
}

/** The local implementation of the source interface; close() ends its git process. */
export interface GitReviewSource extends ReviewSource {
  /** How the head tree was made (see buildHeadTree). */
  headMethod: HeadTree['method'];
  close(): Promise<void>;
}

/**
 * Opens a review of `headRef` (the PR tip) against `baseRef` (the target branch tip) in a local repository.
 *
 * 1. Check the directory is a git repository.
 * 2. Resolve both refs to commits (and their trees) through the source's one `git cat-file --batch` process.
 * 3. Find the merge-base: the PR's own changes are merge-base → PR tip.
 * 4. Build the head tree: base tip + the PR's changes, merged as git would (buildHeadTree).
 *
 * Every problem with the directory or the refs is a GitSourceError with a one-line message.
 */
export async function openGitSource(
  repoDir: string,
  baseRef: string,
  headRef: string,
  opts: GitSourceOptions = {},
): Promise<GitReviewSource> {
  const dir = resolve(repoDir);
  const shallow = await checkRepository(dir);
  const reader = new GitBatchReader(dir);
  try {
    const [baseLabel, headLabel] = opts.refLabels ?? ['base ref', 'head ref'];
    const [base, head] = await resolveCommits(dir, reader, [
      [baseLabel, baseRef],
      [headLabel, headRef],
    ]);
    const mergeBase = await runGit(dir, ['merge-base', base.sha, head.sha], { okCodes: [1] });
    const mergeBaseSha = mergeBase.stdout.toString('utf8').trim();
    if (mergeBase.code !== 0 || mergeBaseSha === '') {
      const hint = shallow ? ' (the clone is shallow: fetch more history, e.g. `git fetch --unshallow`)' : '';
      throw new GitSourceError(
        `${baseLabel} "${baseRef}" and ${headLabel} "${headRef}" have no common history in ${dir}${hint}`,
      );
    }
    const prChanges = await diffCommits(dir, mergeBaseSha, head.sha);
    const merged = await buildHeadTree({
      repoDir: dir,
      baseSha: base.sha,
      headSha: head.sha,
      mergeBaseSha,
      baseTree: base.tree,
      headTree: head.tree,
      prChanges,
    });
    const listings = new Map<string, Promise<Map<string, BlobEntry>>>();
    const texts = new Map<string, string | undefined>();
    const [mergeBaseCommit] = await resolveCommits(dir, reader, [['merge-base', mergeBaseSha]]);
    return {
      base: new GitTree(base.tree, dir, reader, listings, texts),
      head: new GitTree(merged.treeId, dir, reader, listings, texts),
      mergeBase: new GitTree(mergeBaseCommit.tree, dir, reader, listings, texts),
      baseSha: base.sha,
      headSha: head.sha,
      mergeBaseSha,
      changes: toFileChanges(prChanges),
      conflicts: merged.conflicts,
      origin: opts.origin ?? 'local',
      headMethod: merged.method,
      close: () => reader.close(),
    };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

/** Fails clearly unless `dir` is (inside) a git repository; returns whether the clone is shallow. */
async function checkRepository(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new GitSourceError(`repository directory not found: ${dir}`);
  if (!info.isDirectory()) throw new GitSourceError(`not a directory (--repo must be a repository's folder): ${dir}`);
  try {
    const { stdout } = await runGit(dir, ['rev-parse', '--is-shallow-repository']);
    return stdout.toString('utf8').trim() === 'true';
  } catch (error) {
    if (error instanceof GitSourceError && /not a git repository/i.test(error.message)) {
      throw new GitSourceError(`not a git repository: ${dir}`);
    }
    throw error;
  }
}

interface ResolvedCommit {
  sha: string;
  tree: string;
}

/** `<ref>^{commit}` through cat-file: refs travel on stdin, so a ref that looks like an option is just a name. */
async function resolveCommits(
  dir: string,
  reader: GitBatchReader,
  refs: Array<[role: string, ref: string]>,
): Promise<ResolvedCommit[]> {
  const objects = await reader.getMany(refs.map(([, ref]) => `${ref}^{commit}`));
  return refs.map(([role, ref], i) => {
    const object = objects[i];
    const tree = object?.type === 'commit' ? /^tree ([0-9a-f]+)\n/.exec(object.content.toString('utf8'))?.[1] : undefined;
    if (!object || !tree || ref.trim() === '') throw new GitSourceError(`${role} "${ref}" not found in ${dir}`);
    return { sha: object.oid, tree };
  });
}
