/** The first-parent commits of a branch that a backtest reviews, each with the files it changed against its parent. */
import { runGit } from '../source/run-git.js';
import { GitSourceError } from '../source/git-source-error.js';

export interface BranchCommit {
  sha: string;
  /** The first parent: the review's base. Undefined for a root commit (nothing to review it against). */
  parent: string | undefined;
  subject: string;
  /** Paths changed against the first parent (for a merge: what the merge brought to the branch). */
  paths: string[];
}

export interface CommitRange {
  /** The branch (or any revision) whose first-parent history is walked; default HEAD. */
  branch: string;
  /** Only commits after this revision. */
  since?: string;
}

/**
 * Oldest first. `--diff-merges=first-parent` lists what a merge changed on the branch, which is exactly what its PR
 * brought; refs travel after `--end-of-options`, so a revision that looks like an option is just a name.
 */
export async function listBranchCommits(repo: string, range: CommitRange): Promise<BranchCommit[]> {
  await verifyRevision(repo, range.branch, '--branch');
  if (range.since !== undefined) await verifyRevision(repo, range.since, '--since');
  const rev = range.since !== undefined ? `${range.since}..${range.branch}` : range.branch;
  const { stdout } = await runGit(repo, [
    'log',
    '--first-parent',
    '--diff-merges=first-parent',
    '--no-renames',
    '--format=%x1e%H %P%x1f%s',
    '--name-only',
    '-z',
    '--end-of-options',
    rev,
  ]);
  const commits: BranchCommit[] = [];
  for (const record of stdout.toString('utf8').split('\x1e')) {
    if (record === '') continue;
    const sep = record.indexOf('\x1f');
    const [sha, parent] = record.slice(0, sep).split(' ');
    const [subject, ...names] = record.slice(sep + 1).split('\0');
    const paths = names.map((n) => n.replace(/^\n/, '')).filter((n) => n !== '');
    commits.push({ sha, parent: parent || undefined, subject, paths });
  }
  return commits.reverse();
}

async function verifyRevision(repo: string, rev: string, flag: string): Promise<void> {
  const { code } = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { okCodes: [1, 128] });
  if (code !== 0) throw new GitSourceError(`${flag} "${rev}" is not a commit in ${repo}`);
}

/** true when the clone is shallow: its oldest commits have no parents to be reviewed against. */
export async function isShallow(repo: string): Promise<boolean> {
  const { stdout } = await runGit(repo, ['rev-parse', '--is-shallow-repository']);
  return stdout.toString('utf8').trim() === 'true';
}
