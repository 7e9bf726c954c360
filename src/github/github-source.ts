/**
 * Opens a review of a pull request over the GitHub API: the core's ReviewSource, with at most 5 read requests
 * whatever the number of migration files (tests count them):
 *
 *  1. the PR's state (GraphQL): head and base tips, mergeability, GitHub's test-merge commit and its parents
 *  2. the PR's file list (REST, 100 per page: one page up to 100 changed files)
 *  3. the base tip's recursive tree
 *  4. head: the test-merge commit's recursive tree when the PR is mergeable and that commit's parents are exactly the
 *     current base tip and PR tip; otherwise the comparison merge-base → base tip (which files moved on main), and
 *     head is built like the CLI's fallback: base tip's tree with the PR's changed files laid over it, files changed
 *     on both sides reported as conflicts
 *  5. every likely file of the review (migrations, configs, Drizzle journals) in one GraphQL blob batch; anything
 *     else the core asks for later is fetched in batches too, and blobs are cached by SHA across reviews
 *
 * Fork PRs are read through the base repository (GitHub keeps their objects there); their origin is `fork`.
 */
import { CONFIG_PATHS } from '../config/load-config.js';
import { CHECK_NAME } from './check-run.js';
import type { FileChange, ReviewSource } from '../source/types.js';
import { ApiTree, batchLoader, type TreeEntry } from './api-tree.js';
import type { BlobStore } from './blob-store.js';
import type { GitHubApi } from './github-api.js';

export interface PullRequestState {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  isDraft: boolean;
  open: boolean;
  fork: boolean;
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  testMerge?: { sha: string; tree: string; parents: string[] };
  /** The PR's last commits (oldest first) and this App's check runs still unfinished on them. */
  commits: { sha: string; unfinishedChecks: number[] }[];
}

export interface GitHubReviewSource extends ReviewSource {
  base: ApiTree;
  head: ApiTree;
  pr: PullRequestState;
  /** How head was made. */
  headMethod: 'test-merge' | 'lay-over';
}

/** The PR moved on (a newer push) while this review was being prepared: its result would be stale. */
export class SupersededError extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`the pull request's head moved from ${expected.slice(0, 7)} to ${actual.slice(0, 7)}`);
    this.name = 'SupersededError';
  }
}

/** How many of a PR's newest commits a review looks at for check runs a dead process left unfinished. */
export const RECENT_COMMITS = 20;

export const PR_STATE_QUERY = `query($owner: String!, $name: String!, $number: Int!, $appId: Int) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      number headRefOid baseRefName baseRefOid isDraft state isCrossRepository mergeable
      baseRef { target { oid } }
      potentialMergeCommit { oid tree { oid } parents(first: 3) { nodes { oid } } }
      commits(last: ${RECENT_COMMITS}) {
        nodes {
          commit {
            oid
            checkSuites(first: 10, filterBy: { appId: $appId, checkName: "${CHECK_NAME}" }) {
              nodes { checkRuns(first: 10, filterBy: { checkName: "${CHECK_NAME}", statuses: [IN_PROGRESS, QUEUED] }) { nodes { databaseId } } }
            }
          }
        }
      }
    }
  }
}`;

/** The PR's current head only: what a finished review checks before it writes the comment (one small read). */
export const PR_HEAD_QUERY = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) { headRefOid } }
}`;

export async function fetchPullRequestHead(api: GitHubApi, number: number): Promise<string | undefined> {
  const data = await api.graphql<{ repository: { pullRequest: { headRefOid: string } | null } | null }>(PR_HEAD_QUERY, {
    owner: api.repoRef.owner,
    name: api.repoRef.repo,
    number,
  });
  return data.repository?.pullRequest?.headRefOid;
}

interface PrStateData {
  repository: {
    pullRequest: {
      number: number;
      headRefOid: string;
      baseRefName: string;
      baseRefOid: string;
      isDraft: boolean;
      state: 'OPEN' | 'CLOSED' | 'MERGED';
      isCrossRepository: boolean;
      mergeable: PullRequestState['mergeable'];
      baseRef: { target: { oid: string } | null } | null;
      potentialMergeCommit: { oid: string; tree: { oid: string }; parents: { nodes: { oid: string }[] } } | null;
      commits?: {
        nodes: ({ commit: { oid: string; checkSuites: { nodes: ({ checkRuns: { nodes: ({ databaseId: number | null } | null)[] } | null } | null)[] } | null } } | null)[] | null;
      } | null;
    } | null;
  } | null;
}

/** `appId`: this App's id, so only its own check runs count as left unfinished (undefined: any by the check's name). */
export async function fetchPullRequestState(api: GitHubApi, number: number, appId?: number): Promise<PullRequestState> {
  const data = await api.graphql<PrStateData>(PR_STATE_QUERY, { owner: api.repoRef.owner, name: api.repoRef.repo, number, appId: appId ?? null });
  const pr = data.repository?.pullRequest;
  if (!pr) throw new Error(`pull request #${number} not found`);
  const merge = pr.potentialMergeCommit;
  return {
    number: pr.number,
    headSha: pr.headRefOid,
    baseSha: pr.baseRef?.target?.oid ?? pr.baseRefOid,
    baseRef: pr.baseRefName,
    isDraft: pr.isDraft,
    open: pr.state === 'OPEN',
    fork: pr.isCrossRepository,
    mergeable: pr.mergeable,
    ...(merge ? { testMerge: { sha: merge.oid, tree: merge.tree.oid, parents: merge.parents.nodes.map((p) => p.oid) } } : {}),
    commits: (pr.commits?.nodes ?? []).flatMap((node) =>
      node
        ? [
            {
              sha: node.commit.oid,
              unfinishedChecks: (node.commit.checkSuites?.nodes ?? []).flatMap((suite) =>
                (suite?.checkRuns?.nodes ?? []).flatMap((run) => (typeof run?.databaseId === 'number' ? [run.databaseId] : [])),
              ),
            },
          ]
        : [],
    ),
  };
}

export interface OpenOptions {
  /** The head SHA the event was about: a PR that has moved on is not reviewed (SupersededError). */
  expectedHead?: string;
  /** Already fetched state (saves the first request when the caller needed it anyway). */
  state?: PullRequestState;
  /** The PR's changed files, already being read (they need only its number, so they are read alongside its state). */
  files?: Promise<PullFile[]>;
  /** Blobs larger than this are not prefetched (the core may still ask for them); default 1 MiB. */
  prefetchMaxBytes?: number;
}

export async function openGitHubSource(api: GitHubApi, blobs: BlobStore, number: number, opts: OpenOptions = {}): Promise<GitHubReviewSource> {
  const pr = opts.state ?? (await fetchPullRequestState(api, number));
  if (opts.expectedHead && pr.headSha !== opts.expectedHead) throw new SupersededError(opts.expectedHead, pr.headSha);
  const merge = pr.testMerge;
  const useTestMerge =
    pr.mergeable === 'MERGEABLE' && merge !== undefined && merge.parents.length === 2 && merge.parents[0] === pr.baseSha && merge.parents[1] === pr.headSha;

  const [files, baseEntries, headSide] = await Promise.all([
    opts.files ?? listPullRequestFiles(api, number),
    blobs.tree(pr.baseSha, () => recursiveTree(api, pr.baseSha)),
    useTestMerge
      ? blobs.tree(merge!.tree, () => recursiveTree(api, merge!.tree)).then((entries) => ({ entries, baseMoved: undefined, mergeBase: undefined }))
      : api
          .rest<{ files?: { filename: string; previous_filename?: string }[]; merge_base_commit: { sha: string } }>(
            'GET /repos/{owner}/{repo}/compare/{basehead}',
            { basehead: `${pr.headSha}...${pr.baseSha}`, per_page: 100 },
          )
          .then((c) => ({
            entries: undefined,
            baseMoved: new Set((c.files ?? []).flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])])),
            mergeBase: c.merge_base_commit.sha,
          })),
  ]);

  const changes = toFileChanges(files);
  let headEntries: ReadonlyMap<string, TreeEntry>;
  let conflicts: string[] = [];
  if (headSide.entries) {
    headEntries = headSide.entries;
  } else {
    headEntries = layOver(baseEntries, files);
    const touched = new Set(files.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])]));
    conflicts = [...headSide.baseMoved!].filter((p) => touched.has(p)).sort();
  }

  const load = batchLoader(api, blobs);
  const base = new ApiTree(pr.baseSha, baseEntries, load);
  const head = new ApiTree(useTestMerge ? merge!.tree : `${pr.baseSha}+${pr.headSha}`, headEntries, load);
  const maxBytes = opts.prefetchMaxBytes ?? 1024 * 1024;
  await Promise.all([base.prefetch(likelyFiles(baseEntries, maxBytes)), head.prefetch(likelyFiles(headEntries, maxBytes))]);

  return {
    base,
    head,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    // The test merge already merged: the merge-base itself is never needed then (the core doesn't read it).
    mergeBaseSha: headSide.mergeBase ?? pr.baseSha,
    changes,
    conflicts,
    origin: pr.fork ? 'fork' : 'same-repo',
    pr,
    headMethod: useTestMerge ? 'test-merge' : 'lay-over',
  };
}

export interface PullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  sha: string | null;
  previous_filename?: string;
}

/** 100 per page (GitHub's maximum), at most 3,000 files (GitHub's limit for this list). */
export async function listPullRequestFiles(api: GitHubApi, number: number): Promise<PullFile[]> {
  const files: PullFile[] = [];
  for (let page = 1; page <= 30; page++) {
    const { data, next } = await api.restPage<PullFile[]>('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { pull_number: number, per_page: 100, page });
    files.push(...data);
    if (!next) break;
  }
  return files;
}

function toFileChanges(files: PullFile[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const f of files) {
    if (f.status === 'removed') changes.push({ path: f.filename, status: 'deleted' });
    else if (f.status === 'added' || f.status === 'copied') changes.push({ path: f.filename, status: 'added' });
    else if (f.status === 'renamed' && f.previous_filename) changes.push({ path: f.filename, status: 'renamed', oldPath: f.previous_filename });
    else if (f.status !== 'unchanged') changes.push({ path: f.filename, status: 'modified' });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Base tip's tree with the PR's version of every file it changed. */
function layOver(baseEntries: ReadonlyMap<string, TreeEntry>, files: PullFile[]): Map<string, TreeEntry> {
  const head = new Map(baseEntries);
  for (const f of files) {
    if (f.previous_filename) head.delete(f.previous_filename);
    if (f.status === 'removed' || !f.sha) head.delete(f.filename);
    else head.set(f.filename, { sha: f.sha });
  }
  return head;
}

interface GitTreeResponse {
  sha: string;
  truncated: boolean;
  tree: { path: string; mode: string; type: 'blob' | 'tree' | 'commit'; sha: string; size?: number }[];
}

/** Every blob of a tree (files only: submodules and symlinks are not files the core can read). */
async function recursiveTree(api: GitHubApi, treeish: string): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  const data = await api.rest<GitTreeResponse>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { tree_sha: treeish, recursive: '1' });
  const keep = (prefix: string, items: GitTreeResponse['tree']) => {
    for (const item of items) if (item.type === 'blob' && item.mode !== '120000') entries.set(prefix + item.path, { sha: item.sha, size: item.size });
  };
  if (!data.truncated) {
    keep('', data.tree);
    return entries;
  }
  // Truncated (over 100,000 entries or 7 MB): walk folder by folder — many requests, only for huge repositories.
  const queue: { prefix: string; sha: string }[] = [{ prefix: '', sha: data.sha }];
  while (queue.length) {
    const { prefix, sha } = queue.shift()!;
    const level = await api.rest<GitTreeResponse>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { tree_sha: sha });
    keep(prefix, level.tree);
    for (const item of level.tree) if (item.type === 'tree') queue.push({ prefix: `${prefix}${item.path}/`, sha: item.sha });
  }
  return entries;
}

const LIKELY = [
  /\.sql$/i,
  /(^|\/)wrangler\.(toml|json|jsonc)$/,
  /(^|\/)drizzle\.config\.[cm]?[jt]s$/,
  /(^|\/)meta\/_journal\.json$/,
  // Discovery reads every package.json for drizzle-kit scripts that name a config (`--config x.ts`).
  /(^|\/)package\.json$/,
];

const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * What nearly every review reads, fetched in one batch up front instead of one request per step of the core: configs,
 * SQL, Drizzle journals, and every other file of a folder that holds SQL (lock files like NEXT_MIGRATION_NUMBER.txt
 * that rules compare).
 */
function likelyFiles(entries: ReadonlyMap<string, TreeEntry>, maxBytes: number): string[] {
  const configs = new Set<string>(CONFIG_PATHS);
  const sqlFolders = new Set<string>();
  for (const path of entries.keys()) if (/\.sql$/i.test(path)) sqlFolders.add(folderOf(path));
  const out: string[] = [];
  for (const [path, entry] of entries) {
    if ((entry.size ?? 0) > maxBytes) continue;
    if (configs.has(path) || LIKELY.some((re) => re.test(path)) || sqlFolders.has(folderOf(path))) out.push(path);
  }
  return out;
}
