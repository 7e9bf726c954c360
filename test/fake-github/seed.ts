/**
 * Realistic repositories for the fake: the bundled grove monorepo (fixtures/generate, branches main / pr /
 * pr-clean / pr-drop-billing) or any repository made with test/helpers/git-repo.ts, copied into a private bare
 * clone so the fake's writes (test-merge commits, refs/pull/*) never touch the shared fixture.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixture } from '../../fixtures/generate/index.mjs';
import { runGit } from '../../src/source/run-git.js';
import { makeRepo, type RepoStep } from '../helpers/git-repo.js';
import type { FakeGitHub } from './fake-github.js';
import type { PullRecord, RepoRecord } from './store.js';

const clones = new Set<string>();

/** A bare clone of `source` sharing its objects (fast, and writes stay in the clone). Removed by removeClones(). */
export async function privateClone(source: string): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'fake-github-repo-')));
  clones.add(dir);
  await runGit(tmpdir(), ['clone', '--bare', '--quiet', '--shared', source, dir]);
  return dir;
}

export async function removeClones(): Promise<void> {
  const dirs = [...clones];
  clones.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface SeededGrove {
  repo: RepoRecord;
  /** The bare clone backing the repository. */
  dir: string;
  /** The PRs opened onto main: `pr` (drop the shop tables), `pr-clean` (passes), `pr-drop-billing`. */
  pulls: { pr: PullRecord; prClean: PullRecord; prDropBilling: PullRecord };
}

/** Adds `owner/name` (default acme/grove) backed by the grove fixture, with its three PRs open onto main. */
export async function seedGrove(fake: FakeGitHub, options: { owner?: string; name?: string } = {}): Promise<SeededGrove> {
  const source = await buildFixture('grove');
  const dir = await privateClone(source);
  const repo = fake.addRepo({ owner: options.owner ?? 'acme', name: options.name ?? 'grove', dir, defaultBranch: 'main' });
  const full = `${repo.owner}/${repo.name}`;
  const pr = await fake.addPullRequest({ repo: full, head: 'pr', title: 'Drop the shop tables', user: 'maple' });
  const prClean = await fake.addPullRequest({ repo: full, head: 'pr-clean', title: 'Ivy: signatures', user: 'maple' });
  const prDropBilling = await fake.addPullRequest({ repo: full, head: 'pr-drop-billing', title: 'Drop platform_billing', user: 'maple' });
  return { repo, dir, pulls: { pr, prClean, prDropBilling } };
}

/**
 * Adds `owner/name` backed by a repository built from `steps` (test/helpers/git-repo.ts), e.g. a base branch and a
 * PR branch with migrations. Open PRs with fake.addPullRequest.
 */
export async function seedRepo(
  fake: FakeGitHub,
  steps: RepoStep[],
  options: { owner?: string; name?: string; defaultBranch?: string } = {},
): Promise<{ repo: RepoRecord; dir: string }> {
  const source = await makeRepo(steps);
  const dir = await privateClone(source);
  const repo = fake.addRepo({
    owner: options.owner ?? 'acme',
    name: options.name ?? 'app',
    dir,
    defaultBranch: options.defaultBranch ?? steps[0].branch,
  });
  return { repo, dir };
}
