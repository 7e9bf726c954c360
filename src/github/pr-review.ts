/**
 * One review of one pull request, start to finish:
 *
 *  1. state    — the PR's current head and base (a PR that moved on since the event is left to the newer review)
 *  2. check    — our check run on the head, in_progress (an unfinished one is taken over; a finished one means done)
 *  3. load     — the ReviewSource over the API (≤ 5 reads, see github-source.ts) and the sticky comment's acks
 *  4. review   — the core, in a worker the server can stop at the deadline
 *  5. publish  — the check completed with annotations, then the sticky comment (unless a newer head exists)
 *
 * Whatever goes wrong, the check is completed with a title that says what happened: never left in progress.
 */
import { formatConfigError, loadConfig, type ConfigError } from '../config/load-config.js';
import type { Tree } from '../source/types.js';
import { renderMarkdown } from '../render/markdown.js';
import { DEFAULT_DOCS_URL } from '../docs-url.js';
import type { ReviewResult } from '../result.js';
import { activeAcknowledgements, pinAcknowledgements } from './acknowledgements.js';
import type { BlobStore } from './blob-store.js';
import { annotations, checkPlan, checkTitle, closeAbandonedChecks, completeAbandoned, completeCheck, INTERRUPTED, listOurChecks, openCheck, type CheckOutput } from './check-run.js';
import { GitHubApi, type Octokit, type RepoRef } from './github-api.js';
import { fetchPullRequestHead, fetchPullRequestState, listPullRequestFiles, openGitHubSource, SupersededError, type GitHubReviewSource } from './github-source.js';
import { isMigrationRelated } from './relevance.js';
import { withOrgDefaults, type ConfigRef } from './org-config.js';
import { ReviewFailedError, ReviewTimeoutError, type ReviewWorkers } from './review-workers.js';
import { emptyData, findStickyComment, MAX_COMMENT, writeStickyComment, type StickyComment, type StoredAck } from './sticky-comment.js';

export interface ReviewDeps {
  workers: ReviewWorkers;
  blobs: BlobStore;
  appId?: number;
  botLogin: () => Promise<string>;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  /** `strict` (default): refuse to run a PR's code where the sandbox can't remove the network and set limits. */
  isolation: 'strict' | 'best-effort';
  /** Rule doc links where the base config names no `docsUrl` (SAFARI_DOCS_URL); undefined: the project's docs. */
  docsBaseUrl?: string;
  /** Another repository's config file for `_extends` (cached by the App). */
  orgConfig: (api: GitHubApi, ref: ConfigRef) => Promise<string | undefined>;
  /** The newest head this process has heard of for a PR: a review for an older head never writes the comment. */
  latestHead: (key: string) => string | undefined;
}

export interface ReviewTarget {
  octokit: Octokit;
  repo: RepoRef;
  number: number;
  /** The head the event was about; undefined for reruns and base pushes (review whatever is current). */
  expectedHead?: string;
  /** The head a rerun's check run was on: its check list is read alongside the PR's state (one round trip less). */
  headHint?: string;
  /** Review even when a finished check exists on this head (rerun, base moved, base branch changed). */
  force: boolean;
  trigger: string;
  /** New `/safari ack`s to store and apply. */
  newAcks?: StoredAck[];
  /** The head before this push (`synchronize`'s `before`): a check a dead process left in progress there is closed. */
  previousHead?: string;
  /** Base-branch pushes: only PRs Safari already commented on (they touch migrations) are reviewed again. */
  onlyIfCommented?: boolean;
}

/** The isolation levels (replay/launch.ts plan names) that keep a PR's code off the network and under limits. */
const ISOLATED = new Set(['full', 'no-network']);

export const prKey = (repo: RepoRef, number: number) => `${repo.owner}/${repo.repo}#${number}`;

export async function reviewPullRequest(deps: ReviewDeps, target: ReviewTarget, signal?: { interrupted: boolean }): Promise<void> {
  const started = performance.now();
  // Wall time per step (ms), logged with the review: where the App spends its time next to the core.
  const steps: Record<string, number> = {};
  let mark = started;
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = Math.round(now - mark);
    mark = now;
  };
  const api = new GitHubApi(target.octokit, target.repo);
  // Loading the review's files has its own counter: the budget is ≤ 5 reads whatever the number of migrations.
  const sourceApi = new GitHubApi(target.octokit, target.repo);
  const key = prKey(target.repo, target.number);
  const line = { repo: `${target.repo.owner}/${target.repo.repo}`, pr: target.number, trigger: target.trigger } as Record<string, unknown>;
  const finish = (conclusion: string, extra: object = {}) =>
    deps.log.info(
      {
        ...line,
        ...extra,
        durationMs: Math.round(performance.now() - started),
        steps,
        requests: { reads: api.counts.reads + sourceApi.counts.reads, writes: api.counts.writes, sourceReads: sourceApi.counts.reads },
        conclusion,
      },
      'review',
    );

  // 1. state, and the check runs on the head the event named, read at the same time (the head is nearly always still
  // current; when it moved, the list is read again for the new head). The changed files and the sticky comment need
  // only the PR's number: they are read alongside too (for a PR found closed or moved on, two reads are wasted).
  const hinted = target.expectedHead ?? target.headHint;
  const hintedChecks = hinted ? listOurChecks(api, hinted, deps.appId) : undefined;
  hintedChecks?.catch(() => {});
  const files = listPullRequestFiles(sourceApi, target.number);
  files.catch(() => {});
  let commentRead: Promise<StickyComment | undefined> | undefined;
  const readComment = () => (commentRead ??= deps.botLogin().then((login) => findStickyComment(api, target.number, login)));
  readComment().catch(() => {});
  const state = await fetchPullRequestState(sourceApi, target.number, deps.appId);
  // A review that ends before its check leaves no read of its own still running.
  const skip = async (reason: string) => {
    await Promise.allSettled([files, readComment(), hintedChecks]);
    return finish('skipped', { reason });
  };
  line.head = state.headSha;
  if (!state.open) return skip('closed');
  if (target.expectedHead && target.expectedHead !== state.headSha) return skip('superseded');
  step('state');

  if (target.onlyIfCommented && !(await readComment())) return skip('no Safari comment: no migrations');

  // 2. check, with 3. load under way at the same time (GitHub answers in parallel)
  const loading = openGitHubSource(sourceApi, deps.blobs, target.number, { state, files });
  const existingComment = readComment();
  loading.catch(() => {});
  existingComment.catch(() => {});
  const orgDefaults = (tree: Tree) => withOrgDefaults(tree, target.repo.owner, target.repo.repo, (ref) => deps.orgConfig(api, ref));
  if (state.isDraft && (await draftsOff(loading, orgDefaults))) {
    // No check at all (not a pass: a required check stays pending); `ready_for_review` brings the review.
    return skip('draft (reviewDrafts: false)');
  }
  // Whether this head is reviewed at all is decided by the list; the check's write (created, or an unfinished one taken
  // over) then runs alongside the loading and the review, which never wait for it — only completing the check does.
  const force = target.force || (target.newAcks?.length ?? 0) > 0;
  const ours = await (hinted === state.headSha && hintedChecks ? hintedChecks : listOurChecks(api, state.headSha, deps.appId));
  const plan = checkPlan(ours, force);
  if ('alreadyCompleted' in plan) return skip('already reviewed');
  const opening = openCheck(api, state.headSha, { appId: deps.appId, force, listed: Promise.resolve(ours) }).then((opened) => {
    if ('alreadyCompleted' in opened) throw new Error('the check run was completed meanwhile');
    return opened;
  });
  opening.catch(() => {});
  // One review per PR runs at a time, and this one is for its newest head: an unfinished check of ours on an older
  // commit of the PR belongs to a review that died with its process (or is outdated). The PR's state listed them; a
  // force-pushed previous head is no longer among the PR's commits, so it is asked for separately.
  const older = state.commits.filter((c) => c.sha !== state.headSha).flatMap((c) => c.unfinishedChecks);
  const forcePushed = target.previousHead && target.previousHead !== state.headSha && !state.commits.some((c) => c.sha === target.previousHead);
  const abandonedClosed = Promise.all([completeAbandoned(api, older), forcePushed ? closeAbandonedChecks(api, target.previousHead!, deps.appId) : undefined]).then(
    () => {},
    (error) => deps.log.warn({ ...line, err: errorText(error) }, 'could not close an unfinished check on an older commit'),
  );
  step('check');
  // Checks on older commits are closed before ours completes.
  const complete = async (output: CheckOutput) => {
    await abandonedClosed;
    return completeCheck(api, (await opening).id, output);
  };

  try {
    const source = await loading;
    line.method = source.headMethod;
    step('load');
    const existing = await existingComment;
    if (!source.changes.some((c) => isMigrationRelated(c.path) || (c.oldPath !== undefined && isMigrationRelated(c.oldPath)))) {
      await complete({ conclusion: 'success', title: 'No migration changes', summary: 'This pull request changes no migrations, schema or database configuration.' });
      if (existing && (await stillCurrent(deps, api, key, target.number, state.headSha))) await updateExistingComment(api, target.number, state.headSha, existing);
      return finish('success', { reason: 'no migration changes' });
    }
    const acks = [...(existing?.data.acks ?? []), ...(target.newAcks ?? [])];

    // 4. review
    const isolation = await deps.workers.isolation();
    if (deps.isolation === 'strict' && !ISOLATED.has(isolation)) {
      await complete({
        conclusion: 'neutral',
        title: 'Not reviewed: the sandbox cannot isolate this pull request',
        summary: `This server can't run a pull request's SQL and schema.ts without network access or OS limits (${isolation}), so it did not run them. Run the App where \`unshare\` and \`prlimit\` work, or set \`SAFARI_ISOLATION=best-effort\` to accept weaker isolation.`,
      });
      return finish('neutral', { reason: 'isolation', isolation });
    }
    // Probot's `_extends` convention: organization defaults for the base branch's safari.yml (cached a few minutes).
    const base = orgDefaults(source.base);
    const { result, diagrams } = await deps.workers.review({ ...sourceShape(source), base }, {
      // Whether schema.ts runs is the base config's `drizzle.evaluateSchema` (forks: not by default) and the origin.
      evaluateSchema: true,
      acknowledgements: activeAcknowledgements(acks, source.head.entries),
    });
    if (signal?.interrupted) throw new Error('interrupted');
    step('review');

    // 5. publish
    const related = isReviewRelevant(result, source);
    if (!related) {
      await complete({ conclusion: 'success', title: 'No migration changes', summary: 'This pull request changes no migrations, schema or database configuration.' });
      if (existing && (await stillCurrent(deps, api, key, target.number, state.headSha))) await updateExistingComment(api, target.number, state.headSha, existing);
      return finish('success', { reason: 'no migration changes' });
    }
    const opened = await opening;
    const markdown = renderComment(result, diagrams, deps.docsBaseUrl, opened.url);
    const checkDone = complete({ conclusion: result.conclusion, title: checkTitle(result), summary: markdown, annotations: annotations(result) });
    checkDone.catch(() => {});
    // The comment is written alongside the check, once GitHub confirms this head is still the PR's; its failure never
    // turns a completed check into an error.
    const pinned = pinAcknowledgements(acks, result, source.head.entries);
    const writeIfCurrent = async () => {
      if (!(await stillCurrent(deps, api, key, target.number, state.headSha))) return 'stale';
      await writeStickyComment(api, target.number, existing, markdown, { ...emptyData(), head: state.headSha, acks: pinned });
      return 'written';
    };
    const [, written] = await Promise.allSettled([checkDone, writeIfCurrent()]);
    await checkDone;
    if (written.status === 'fulfilled' && written.value === 'stale') {
      return finish(result.conclusion, { reason: 'stale: a newer head exists, comment left to its review' });
    }
    step('publish');
    if (written.status === 'rejected') return finish(result.conclusion, { error: `comment not written: ${errorText(written.reason)}` });
    return finish(result.conclusion, { findings: result.findings.length });
  } catch (error) {
    // No check run could be created or taken over: nothing to complete (the App logs the review as failed before its
    // check existed).
    const openError = await opening.then(() => undefined, (e: unknown) => e ?? new Error('the check run could not be opened'));
    if (openError) throw openError;
    const output = failureOutput(error, signal);
    await complete(output).catch((e) => deps.log.error({ ...line, err: errorText(e) }, 'could not complete the check run'));
    return finish(output.conclusion, { error: errorText(error) });
  }
}

/**
 * Whether `head` is still the PR's head, so this review may write the comment. This process knows of newer pushes
 * it received; other replicas (or a restart) only GitHub knows of: one small read, just before the write. A newer
 * review therefore never has its comment overwritten by an older one, whichever process ran either.
 */
async function stillCurrent(deps: ReviewDeps, api: GitHubApi, key: string, number: number, head: string): Promise<boolean> {
  const known = deps.latestHead(key);
  if (known !== undefined && known !== head) return false;
  return (await fetchPullRequestHead(api, number)) === head;
}

/** The base config turns draft reviews off; a config that can't be read says nothing here (the review reports it). */
async function draftsOff(loading: Promise<GitHubReviewSource>, orgDefaults: (tree: Tree) => Tree): Promise<boolean> {
  try {
    const { config, errors } = await loadConfig(orgDefaults((await loading).base));
    return errors.length === 0 && config.reviewDrafts === false;
  } catch {
    return false;
  }
}

function sourceShape(source: GitHubReviewSource) {
  return {
    base: source.base,
    head: source.head,
    baseId: source.base.id,
    headId: source.head.id,
    baseSha: source.baseSha,
    headSha: source.headSha,
    mergeBaseSha: source.mergeBaseSha,
    changes: source.changes,
    conflicts: source.conflicts,
    origin: source.origin,
  };
}

/** A PR whose changes lie outside every migration folder and config, and that the review found nothing in. */
function isReviewRelevant(result: ReviewResult, source: GitHubReviewSource): boolean {
  if (result.findings.some((f) => !f.preexisting)) return true;
  if (result.databases.some((db) => Object.values(db.delta).some((v) => Array.isArray(v) && v.length > 0))) return true;
  const folders = result.discovery.map((d) => `${d.source}/`);
  return source.changes.some((c) => [c.path, c.oldPath].some((p) => p !== undefined && folders.some((f) => p.startsWith(f))));
}

function renderComment(result: ReviewResult, diagrams: Record<string, string>, docsBaseUrl: string | undefined, checkUrl?: string): string {
  const sections = Object.entries(diagrams).map(([db, d]) => `**${db}**\n\n\`\`\`mermaid\n${d}\n\`\`\``);
  const diagramBlock = sections.length
    ? `\n\n<details><summary>Diagram of the added and changed tables</summary>\n\n${sections.join('\n\n')}\n\n</details>`
    : '';
  // The check run holds every finding as an annotation: the place to go when the comment had to be shortened.
  const footer = checkUrl && /^https?:\/\//.test(checkUrl) ? `\n\n<sub>Details and annotations: [the check run](${encodeURI(checkUrl)}) for \`${result.head.slice(0, 7)}\`.</sub>` : '';
  // Room for the data block (acks) and the diagram; the diagram goes first when space runs out.
  const budget = MAX_COMMENT - 4_000 - footer.length;
  const withDiagram = diagramBlock.length < budget / 3;
  const markdown = renderMarkdown(result, {
    // The repository's own `docsUrl` (safari.yml, in the result) wins; the App's setting replaces only the default.
    docsUrl: result.docsUrl === DEFAULT_DOCS_URL ? docsBaseUrl : undefined,
    maxLength: budget - (withDiagram ? diagramBlock.length : 0),
  });
  return `${withDiagram ? `${markdown.trimEnd()}${diagramBlock}` : markdown.trimEnd()}${footer}`;
}

const noChangesBody = () => `<!-- migration-safari -->\n### ✅ Migration Safari: no migration changes\n\nThe latest push changes no migrations, schema or database configuration.`;

/** "No migration changes" never creates a comment, but one Safari wrote earlier must not keep describing old SQL. */
async function updateExistingComment(api: GitHubApi, number: number, head: string, comment: StickyComment | undefined) {
  if (comment) await writeStickyComment(api, number, comment, noChangesBody(), { ...comment.data, head });
}

function failureOutput(error: unknown, signal?: { interrupted: boolean }): CheckOutput {
  if (signal?.interrupted) return INTERRUPTED;
  if (error instanceof SupersededError) return { conclusion: 'cancelled', title: 'Superseded by a newer push', summary: error.message };
  if (error instanceof ReviewFailedError && error.configErrors) {
    return { conclusion: 'failure', title: 'Configuration error in .github/safari.yml', summary: configSummary(error.configErrors) };
  }
  if (error instanceof ReviewTimeoutError) {
    return { conclusion: 'failure', title: 'Review stopped: it ran out of time', summary: `${error.message}. Comment \`/safari rerun\` to try again.` };
  }
  if (error instanceof ReviewFailedError) {
    return { conclusion: 'failure', title: 'Review failed', summary: `The review could not finish: ${error.message}. Comment \`/safari rerun\` to try again.` };
  }
  const status = (error as { status?: number } | null)?.status;
  return {
    conclusion: 'failure',
    title: status ? `GitHub API error (${status})` : 'Review failed',
    summary: `The review could not finish: ${errorText(error)}. Comment \`/safari rerun\` to try again.`,
  };
}

function configSummary(errors: ConfigError[]): string {
  return `The base branch's Safari configuration is invalid, so this pull request was not reviewed:\n\n${errors.map((e) => `- ${formatConfigError(e)}`).join('\n')}`;
}

/** One line, no stack, no request headers (tokens) — octokit's errors carry the request in properties, not here. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 500);
