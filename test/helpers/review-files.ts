// Runs the whole pipeline (git source → discovery → sandboxed replay → diff → rules) on a temp git repo built from
// file maps: `base` on main, the PR's changes on a branch, and optionally main moving on after the PR branched.
import { afterAll } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { review, type ReviewOptions } from '../../src/review.js';
import type { ReviewResult } from '../../src/result.js';
import { openGitSource, type GitSourceOptions } from '../../src/source/git.js';
import { makeRepo, type RepoStep } from './git-repo.js';

let shared: ReplaySandbox | undefined;
function sandbox(): ReplaySandbox {
  if (!shared) {
    shared = new ReplaySandbox({ size: 1, log: () => {} });
    afterAll(async () => {
      await shared?.close();
      shared = undefined;
    });
  }
  return shared;
}

export interface ReviewFilesOptions {
  /** The repository on main when the PR branched (path → content). */
  base: Record<string, string>;
  /** The PR's changes (null deletes a file). */
  pr?: Record<string, string | null>;
  /** What main gained after the PR branched (null deletes). */
  mainAfter?: Record<string, string | null>;
  options?: Partial<Omit<ReviewOptions, 'sandbox'>>;
  /** A sandbox of the test's own (say, on a weaker launch plan); default one shared by the file's tests. */
  sandbox?: ReplaySandbox;
  /** Where the PR comes from (`fork` for a fork PR); default `local`. */
  origin?: GitSourceOptions['origin'];
}

export async function reviewRepo(opts: ReviewFilesOptions): Promise<{ result: ReviewResult; repo: string }> {
  const steps: RepoStep[] = [
    { branch: 'main', files: opts.base, message: 'base' },
    { branch: 'pr', from: 'main', files: opts.pr ?? {}, message: 'pr' },
  ];
  if (opts.mainAfter) steps.push({ branch: 'main', files: opts.mainAfter, message: 'main moves on' });
  const repo = await makeRepo(steps);
  const source = await openGitSource(repo, 'main', 'pr', { origin: opts.origin });
  try {
    const result = await review(source, { sandbox: opts.sandbox ?? sandbox(), evaluateSchema: false, ...opts.options });
    return { result, repo };
  } finally {
    await source.close?.();
  }
}

export async function reviewFiles(opts: ReviewFilesOptions): Promise<ReviewResult> {
  return (await reviewRepo(opts)).result;
}
