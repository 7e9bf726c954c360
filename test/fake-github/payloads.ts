/**
 * Webhook payloads of GitHub's real shape for what the fake holds. Each builder starts from GitHub's own example
 * (fixtures/webhooks/<event>.<action>.json, copied from @octokit/webhooks-examples), points its URLs at the fake,
 * and overwrites every field that describes this repository, PR, comment or check run with the fake's values — so
 * shas, numbers and ids in the payload are the ones the fake's API serves.
 *
 *   const event = await pullRequestEvent(fake, pr, 'synchronize', { before });
 *   await sendWebhook(`${appUrl}/api/github/webhooks`, event, { secret });
 *   // or in-process: await probot.receive(event)
 */
import { readFileSync } from 'node:fs';
import type { FakeGitHub } from './fake-github.js';
import { checkRunPulls } from './routes-checks.js';
import { commentJson, issueJson, pullAsIssueJson, pullRefJson, repoJson, userJson } from './shapes.js';
import type { CheckRunRecord, CommentRecord, PullRecord, RepoRecord } from './store.js';
import { checkRunJson } from './shapes.js';
import { deliveryId, type FakeEventName, type WebhookEvent } from './webhooks.js';

export type WebhookFixture =
  | 'pull_request.opened'
  | 'pull_request.synchronize'
  | 'pull_request.reopened'
  | 'pull_request.ready_for_review'
  | 'pull_request.closed'
  | 'issue_comment.created'
  | 'issue_comment.edited'
  | 'issue_comment.deleted'
  | 'check_run.rerequested'
  | 'check_run.requested_action'
  | 'check_run.created'
  | 'check_run.completed'
  | 'check_suite.rerequested'
  | 'check_suite.requested'
  | 'push'
  | 'installation.created';

const FIXTURES_DIR = new URL('../../fixtures/webhooks/', import.meta.url);

/** GitHub's example payload, as stored (a fresh copy each call). */
export function webhookFixture(name: WebhookFixture): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES_DIR), 'utf8'));
}

type Json = Record<string, any>;

/** Values of `actual` over `template`, recursively for objects both have: GitHub's keys kept, our values win. */
export function overlay(template: unknown, actual: unknown): unknown {
  if (!isObject(template) || !isObject(actual)) return actual === undefined ? template : actual;
  const out: Json = { ...template };
  // Maps whose keys are data, not shape (an App's permissions): ours replace the example's whole.
  for (const [key, value] of Object.entries(actual)) out[key] = ATOMIC.has(key) ? value : overlay(template[key], value);
  return out;
}

const ATOMIC = new Set(['permissions', 'changes', 'custom_properties']);

/**
 * Key paths GitHub's example has and `actual` lacks (arrays compare their first elements, and are skipped when
 * ours is empty): a payload built for a test should miss none of the keys GitHub sends.
 */
export function missingKeys(example: unknown, actual: unknown, prefix = ''): string[] {
  if (Array.isArray(example)) {
    if (!Array.isArray(actual) || actual.length === 0 || example.length === 0) return [];
    return missingKeys(example[0], actual[0], `${prefix}[].`);
  }
  if (!isObject(example) || !isObject(actual)) return [];
  return Object.entries(example).flatMap(([k, v]) => (k in actual ? missingKeys(v, actual[k], `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fixture with its api.github.com / github.com links and example repository names pointed at the fake. */
function template(fake: FakeGitHub, name: WebhookFixture, repo: RepoRecord): Json {
  const full = `${repo.owner}/${repo.name}`;
  const text = readFileSync(new URL(`${name}.json`, FIXTURES_DIR), 'utf8')
    .replaceAll('https://api.github.com', fake.url)
    .replaceAll('https://github.com', fake.url)
    .replace(/Codertocat\/Hello-World|github\/hello-world|electron\/electron/g, full);
  return JSON.parse(text);
}

/** repository, installation and sender: the fake's values laid over the example's (GitHub's keys kept). */
function common(fake: FakeGitHub, base: Json, repo: RepoRecord, sender: string) {
  return {
    repository: overlay(base.repository, repoJson(fake.store, repo, fake.urls(fake.url))),
    installation: { id: repo.installationId, node_id: Buffer.from(`Installation${repo.installationId}`).toString('base64') },
    sender: overlay(base.sender, userJson(fake.store.user(sender), fake.urls(fake.url))),
  };
}

function event(name: FakeEventName, payload: unknown): WebhookEvent {
  return { name, id: deliveryId(), payload };
}

function withoutOrganization(payload: Json): Json {
  delete payload.organization;
  return payload;
}

export type PullAction = 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'edited' | 'closed' | 'converted_to_draft';

/**
 * `pull_request.<action>` for a PR the fake holds. `synchronize` carries `before` (the previous head: pass it) and
 * `after` (the current head); `edited` with `baseFrom` describes a base-branch change (`changes.base`).
 */
export async function pullRequestEvent(
  fake: FakeGitHub,
  pull: PullRecord,
  action: PullAction,
  options: { sender?: string; before?: string; baseFrom?: { ref: string; sha: string }; titleFrom?: string } = {},
): Promise<WebhookEvent> {
  const repo = fake.repo(pull.repo);
  const fixture: WebhookFixture =
    action === 'synchronize' || action === 'reopened' || action === 'ready_for_review' || action === 'closed'
      ? `pull_request.${action}`
      : 'pull_request.opened';
  const base = template(fake, fixture, repo);
  const pullRequest = await fake.pullJson(pull);
  const shas = await fake.pullShas(pull);
  const payload: Json = {
    ...withoutOrganization(base),
    action,
    number: pull.number,
    pull_request: overlay(base.pull_request, pullRequest),
    ...common(fake, base, repo, options.sender ?? pull.user),
  };
  if (action === 'synchronize') {
    payload.before = options.before ?? shas.head;
    payload.after = shas.head;
  } else {
    delete payload.before;
    delete payload.after;
  }
  if (action === 'edited') {
    const changes: Json = {};
    if (options.baseFrom) changes.base = { ref: { from: options.baseFrom.ref }, sha: { from: options.baseFrom.sha } };
    if (options.titleFrom !== undefined) changes.title = { from: options.titleFrom };
    payload.changes = changes;
  }
  return event('pull_request', payload);
}

/**
 * `issue_comment.<action>` on a PR or issue. `created` also adds the comment to the fake (as GitHub would have
 * stored it before sending the hook); `edited` and `deleted` take an existing comment.
 */
export async function issueCommentEvent(
  fake: FakeGitHub,
  options:
    | { action?: 'created'; repo: string; issue: number; body: string; user?: string }
    | { action: 'created'; comment: CommentRecord }
    | { action: 'edited'; comment: CommentRecord; body: string; sender?: string }
    | { action: 'deleted'; comment: CommentRecord; sender?: string },
): Promise<WebhookEvent> {
  let comment: CommentRecord;
  let changes: Json | undefined;
  if ('comment' in options && options.action === 'created') {
    comment = options.comment;
  } else if (options.action === 'edited') {
    comment = options.comment;
    changes = { body: { from: comment.body } };
    comment.body = options.body;
    comment.updatedAt = fake.isoNow();
  } else if (options.action === 'deleted') {
    comment = options.comment;
    fake.store.comments.delete(comment.id);
  } else if ('repo' in options) {
    comment = fake.addComment({ repo: options.repo, issue: options.issue, body: options.body, user: options.user });
  } else {
    throw new Error('issueCommentEvent: give a comment or a repo, issue and body');
  }
  const action = options.action ?? 'created';
  const repo = fake.repo(comment.repo);
  const base = template(fake, `issue_comment.${action}`, repo);
  const urls = fake.urls(fake.url);
  const pull = fake.store.pull(comment.repo, comment.issueNumber);
  const issueRecord = fake.store.issue(comment.repo, comment.issueNumber);
  if (!pull && !issueRecord) throw new Error(`issueCommentEvent: ${comment.repo}#${comment.issueNumber} is neither a PR nor an issue`);
  const issue = pull ? pullAsIssueJson(fake.store, pull, urls) : issueJson(fake.store, issueRecord!, urls);
  const baseIssue = { ...base.issue };
  if (!pull) delete baseIssue.pull_request;
  const appJsonOf = (id: number) => (id === fake.app.id ? fake.appJson() : { id });
  const sender = 'sender' in options && options.sender ? options.sender : comment.user;
  const payload: Json = {
    ...withoutOrganization(base),
    action,
    issue: overlay(baseIssue, issue),
    comment: overlay(base.comment, commentJson(fake.store, comment, urls, appJsonOf)),
    ...common(fake, base, repo, sender),
  };
  if (changes) payload.changes = changes;
  else delete payload.changes;
  return event('issue_comment', payload);
}

/** `check_run.<action>` for a run the fake holds (e.g. the App's own run, rerequested from the Checks tab). */
export async function checkRunEvent(
  fake: FakeGitHub,
  run: CheckRunRecord,
  action: 'rerequested' | 'requested_action' | 'created' | 'completed' = 'rerequested',
  options: { sender?: string; requestedAction?: string } = {},
): Promise<WebhookEvent> {
  const repo = fake.repo(run.repo);
  const base = template(fake, `check_run.${action}`, repo);
  const urls = fake.urls(fake.url);
  const pulls = await checkRunPulls(fake, repo, run.headSha, urls);
  const appJsonOf = (id: number) => (id === fake.app.id ? fake.appJson() : { id });
  const checkRun = checkRunJson(fake.store, run, urls, appJsonOf, pulls) as Json;
  checkRun.check_suite = overlay(base.check_run.check_suite, {
    ...suiteState(fake, run.repo, run.headSha),
    id: run.checkSuiteId,
    head_sha: run.headSha,
    head_branch: pulls[0]?.head.ref ?? null,
    before: null,
    after: run.headSha,
    pull_requests: pulls,
    app: fake.appJson(),
    url: `${fake.url}/repos/${run.repo}/check-suites/${run.checkSuiteId}`,
  });
  const payload: Json = {
    ...withoutOrganization(base),
    action,
    check_run: overlay(base.check_run, checkRun),
    ...common(fake, base, repo, options.sender ?? 'octocat'),
  };
  if (action === 'requested_action') payload.requested_action = { identifier: options.requestedAction ?? 'rerun' };
  else delete payload.requested_action;
  return event('check_run', payload);
}

/** GitHub's order of precedence for a suite's conclusion: the first that any of its runs has wins. */
const CONCLUSION_ORDER = ['action_required', 'cancelled', 'timed_out', 'failure', 'neutral', 'success', 'skipped', 'stale'];

/** The App's suite on a commit, summed up from its runs: status, conclusion and times. */
function suiteState(fake: FakeGitHub, repo: string, headSha: string) {
  const runs = fake.checkRuns(repo, headSha).filter((r) => r.appId === fake.app.id);
  const done = runs.length > 0 && runs.every((r) => r.status === 'completed');
  const conclusion = done ? (CONCLUSION_ORDER.find((c) => runs.some((r) => r.conclusion === c)) ?? null) : null;
  return {
    status: runs.length === 0 ? 'queued' : done ? 'completed' : 'in_progress',
    conclusion,
    created_at: runs[0]?.startedAt ?? fake.isoNow(),
    updated_at: fake.isoNow(),
  };
}

/** `check_suite.<action>` for the App's suite on `headSha` (created if the App has no run there yet). */
export async function checkSuiteEvent(
  fake: FakeGitHub,
  options: { repo: string; headSha: string; action?: 'rerequested' | 'requested'; sender?: string },
): Promise<WebhookEvent> {
  const repo = fake.repo(options.repo);
  const full = `${repo.owner}/${repo.name}`;
  const action = options.action ?? 'rerequested';
  const base = template(fake, `check_suite.${action}`, repo);
  const key = `${full}|${options.headSha}|${fake.app.id}`;
  let suite = fake.store.checkSuites.get(key);
  if (suite === undefined) {
    suite = fake.store.nextId();
    fake.store.checkSuites.set(key, suite);
  }
  const urls = fake.urls(fake.url);
  const pulls = await checkRunPulls(fake, repo, options.headSha, urls);
  const runs = fake.checkRuns(full, options.headSha);
  const commit = await repo.git.commit(options.headSha);
  if (!commit) throw new Error(`checkSuiteEvent: ${options.headSha} is not a commit of ${full}`);
  const payload: Json = {
    ...withoutOrganization(base),
    action,
    check_suite: overlay(base.check_suite, {
      id: suite,
      node_id: `CS_${suite}`,
      head_branch: pulls[0]?.head.ref ?? null,
      head_sha: options.headSha,
      ...suiteState(fake, full, options.headSha),
      url: `${fake.url}/repos/${full}/check-suites/${suite}`,
      before: commit.parents[0] ?? '0000000000000000000000000000000000000000',
      after: options.headSha,
      pull_requests: pulls,
      app: fake.appJson(),
      latest_check_runs_count: runs.length,
      check_runs_url: `${fake.url}/repos/${full}/check-suites/${suite}/check-runs`,
      head_commit: {
        id: commit.sha,
        tree_id: commit.tree,
        message: commit.message,
        timestamp: commit.committer.date,
        author: { name: commit.author.name, email: commit.author.email },
        committer: { name: commit.committer.name, email: commit.committer.email },
      },
    }),
    ...common(fake, base, repo, options.sender ?? 'octocat'),
  };
  return event('check_suite', payload);
}

/**
 * `push` of `ref` (default the default branch) from `before` to its current tip (or `after`): the commits between
 * them with their added/removed/modified paths, as GitHub lists them (at most 20 commits, oldest first).
 */
export async function pushEvent(
  fake: FakeGitHub,
  options: { repo: string; before: string; ref?: string; after?: string; sender?: string; forced?: boolean },
): Promise<WebhookEvent> {
  const repo = fake.repo(options.repo);
  const full = `${repo.owner}/${repo.name}`;
  const ref = options.ref ?? `refs/heads/${repo.defaultBranch}`;
  const after = options.after ?? (await repo.git.resolveCommit(ref));
  if (!after) throw new Error(`pushEvent: ${ref} does not exist in ${full}`);
  const base = template(fake, 'push', repo);
  const shas = (await repo.git.commitsBetween(options.before, after)).slice(-20);
  const commits = [];
  for (const sha of shas) {
    const commit = (await repo.git.commit(sha))!;
    const files = await repo.git.diff(commit.parents[0] ?? '4b825dc642cb6eb9a060e54bf8d69288fbee4904', sha);
    const sender = options.sender ?? 'octocat';
    commits.push({
      id: sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message,
      timestamp: commit.committer.date,
      url: `${fake.url}/${full}/commit/${sha}`,
      author: { name: commit.author.name, email: commit.author.email, username: sender },
      committer: { name: commit.committer.name, email: commit.committer.email, username: sender },
      added: files.filter((f) => f.status === 'added' || f.status === 'copied').map((f) => f.filename),
      removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
      modified: files.filter((f) => f.status === 'modified' || f.status === 'changed' || f.status === 'renamed').map((f) => f.filename),
    });
  }
  const sender = options.sender ?? 'octocat';
  const payload: Json = {
    ...withoutOrganization(base),
    ref,
    before: options.before,
    after,
    created: /^0+$/.test(options.before),
    deleted: false,
    forced: options.forced ?? false,
    base_ref: null,
    compare: `${fake.url}/${full}/compare/${options.before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    pusher: { name: sender, email: `${sender}@users.noreply.github.com` },
    ...common(fake, base, repo, sender),
  };
  // A push payload's repository carries `pushed_at` and `created_at` as epoch seconds, unlike other events.
  const repository = payload.repository as Json;
  repository.created_at = Math.floor(Date.parse(repository.created_at) / 1000);
  repository.pushed_at = Math.floor(fake.now() / 1000);
  repository.master_branch = repo.defaultBranch;
  repository.owner = { ...repository.owner, name: repo.owner, email: null };
  return event('push', payload);
}

/** The short PR reference (for tests building their own check payloads). */
export async function pullRef(fake: FakeGitHub, pull: PullRecord) {
  return pullRefJson(fake.store, pull, await fake.pullShas(pull), fake.urls(fake.url));
}
