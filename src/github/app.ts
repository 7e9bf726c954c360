/**
 * The GitHub App: turns webhooks into queued reviews and command answers. Each handler only routes (or answers at
 * once, like the 👀 reaction); reviews run in the background so the webhook is acknowledged immediately.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import { renderMapMarkdown } from '../map/render-map.js';
import { renderTableMarkdown } from '../map/table-details.js';
import { ruleIds } from '../rules/registry.js';
import { LRUCache } from 'lru-cache';
import { isHttpUrl } from '../docs-url.js';
import { BlobStore } from './blob-store.js';
import { fetchConfigText } from './org-config.js';
import { HELP, parseCommand, type Command } from './commands.js';
import { GitHubApi, type Octokit, type RepoRef } from './github-api.js';
import { openGitHubSource } from './github-source.js';
import { errorText, prKey, reviewPullRequest, type ReviewDeps, type ReviewTarget } from './pr-review.js';
import { isMigrationRelated } from './relevance.js';
import { InProcessQueue, type Priority, type ReviewQueue } from './review-queue.js';
import { ReviewWorkers } from './review-workers.js';
import { MAX_COMMENT, type StoredAck } from './sticky-comment.js';
import { completeCheck, INTERRUPTED, openCheck } from './check-run.js';

export interface AppSettings {
  concurrency: number;
  reviewTimeoutMs: number;
  isolation: 'strict' | 'best-effort';
  /** Rule doc links where a repository's safari.yml names no `docsUrl`; undefined: the project's published docs. */
  docsBaseUrl?: string;
  blobCacheBytes: number;
  shutdownGraceMs: number;
  /** The replay sandboxes' base-schema cache, all workers together, in bytes. */
  baseCacheBytes?: number;
  /** Open PRs re-reviewed when the default branch moves. */
  basePushLimit: number;
  /** Start the review workers at load (default true). */
  warm?: boolean;
  /** The review worker's script (tests substitute misbehaving workers). */
  workerScript?: string;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const int = (name: string, fallback: number) => {
    const n = Number.parseInt(env[name] ?? '', 10);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    concurrency: int('SAFARI_CONCURRENCY', availableParallelism()),
    reviewTimeoutMs: int('SAFARI_REVIEW_TIMEOUT_MS', 120_000),
    isolation: env.SAFARI_ISOLATION === 'best-effort' ? 'best-effort' : 'strict',
    docsBaseUrl: docsUrlFromEnv(env.SAFARI_DOCS_URL),
    blobCacheBytes: int('SAFARI_BLOB_CACHE_MB', 64) * 1024 * 1024,
    shutdownGraceMs: int('SAFARI_SHUTDOWN_GRACE_MS', 20_000),
    basePushLimit: int('SAFARI_BASE_PUSH_LIMIT', 30),
    baseCacheBytes: int('SAFARI_BASE_CACHE_MB', 256) * 1024 * 1024,
  };
}

/** A broken SAFARI_DOCS_URL stops the server at start, not every comment's links. */
function docsUrlFromEnv(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isHttpUrl(value)) throw new Error(`SAFARI_DOCS_URL must be an absolute http(s) URL, got "${value.slice(0, 200)}"`);
  return value;
}

const DOCS_DIR = new URL('../../docs/rules/', import.meta.url);

/** What tests and the bench hold of a loaded App. */
export interface AppHandle {
  /** Resolves when no review is queued or running. */
  idle(): Promise<void>;
  /** Stops the review workers. */
  close(): Promise<void>;
}

export function createSafariApp(settings: AppSettings = settingsFromEnv(), hooks: { onLoad?: (handle: AppHandle) => void } = {}) {
  return (app: Probot, options?: ApplicationFunctionOptions) => {
    const workers = new ReviewWorkers({ size: settings.concurrency, deadlineMs: settings.reviewTimeoutMs, script: settings.workerScript, cacheBytes: settings.baseCacheBytes, blobCacheBytes: settings.blobCacheBytes });
    // Start the workers (and their sandboxes) now, not on the first webhook: the first review is as fast as the rest.
    if (settings.warm !== false) workers.warm();
    const queue: ReviewQueue = new InProcessQueue(settings.concurrency);
    const blobs = new BlobStore({ maxBytes: settings.blobCacheBytes });
    // The newest head heard of per PR (bounded: a long-running server sees many PRs).
    const latest = new LRUCache<string, string>({ max: 20_000 });
    // Other repositories' config files (`_extends`, the organization's .github repo): a few minutes are fresh enough.
    const orgConfigs = new LRUCache<string, { text?: string }>({ max: 500, ttl: 5 * 60_000 });
    const waitingChecks = new Map<string, { octokit: Octokit; repo: RepoRef; head: string }>();
    const signal = { interrupted: false };
    let botLogin: Promise<string> | undefined;
    let stopping = false;

    const deps: ReviewDeps = {
      workers,
      blobs,
      appId: Number(process.env.APP_ID) || undefined,
      botLogin: () =>
        (botLogin ??= app.auth().then(async (jwt) => {
          const { data } = await jwt.request('GET /app');
          return `${data?.slug}[bot]`;
        })).catch((error) => {
          botLogin = undefined;
          throw error;
        }),
      log: app.log,
      isolation: settings.isolation,
      docsBaseUrl: settings.docsBaseUrl,
      latestHead: (key) => latest.get(key),
      orgConfig: async (api, ref) => {
        const key = `${ref.owner}/${ref.repo}:${ref.path}`;
        const hit = orgConfigs.get(key);
        if (hit) return hit.text;
        const text = await fetchConfigText(api, ref);
        orgConfigs.set(key, { text });
        return text;
      },
    };

    const enqueue = (target: ReviewTarget, priority: Priority) => {
      if (stopping) return;
      const key = prKey(target.repo, target.number);
      if (target.expectedHead) {
        latest.set(key, target.expectedHead);
        waitingChecks.set(key, { octokit: target.octokit, repo: target.repo, head: target.expectedHead });
      }
      void queue.push(key, priority, async () => {
        waitingChecks.delete(key);
        await reviewPullRequest(deps, target, signal).catch((error) =>
          app.log.error({ repo: `${target.repo.owner}/${target.repo.repo}`, pr: target.number, err: errorText(error) }, 'review failed before its check existed'),
        );
      });
    };

    // Pull request events.
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review', 'pull_request.edited'], async (context) => {
      const { pull_request: pr, action } = context.payload;
      if (action === 'edited' && !('base' in (context.payload.changes ?? {}))) return;
      enqueue(
        {
          octokit: context.octokit,
          repo: context.repo(),
          number: pr.number,
          expectedHead: pr.head.sha,
          force: action === 'edited',
          trigger: `pull_request.${action}`,
          ...(action === 'synchronize' && typeof context.payload.before === 'string' ? { previousHead: context.payload.before } : {}),
        },
        'high',
      );
    });

    // "Re-run" buttons.
    app.on(['check_run.rerequested', 'check_suite.rerequested'], async (context) => {
      const run = 'check_run' in context.payload ? context.payload.check_run : context.payload.check_suite;
      for (const pr of run.pull_requests ?? []) {
        enqueue({ octokit: context.octokit, repo: context.repo(), number: pr.number, force: true, trigger: `${context.name}.rerequested`, headHint: run.head_sha }, 'high');
      }
    });

    // The default branch moved: open PRs that touch migrations may now conflict with it (low priority).
    app.on('push', async (context) => {
      const { payload } = context;
      const branch = payload.repository.default_branch;
      if (payload.ref !== `refs/heads/${branch}` || payload.deleted) return;
      const paths = payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
      // GitHub lists at most 20 commits per push: more may hide a migration.
      if (payload.commits.length < 20 && !paths.some(isMigrationRelated)) return;
      const pulls = await context.octokit
        .request('GET /repos/{owner}/{repo}/pulls', {
          ...context.repo(),
          state: 'open',
          base: branch,
          sort: 'updated',
          direction: 'desc',
          per_page: settings.basePushLimit,
        })
        .catch((error) => {
          app.log.warn({ repo: payload.repository.full_name, err: errorText(error) }, 'could not list the open pull requests after a push');
          return { data: [] as { number: number }[] };
        });
      // Oldest first: the longest-unreviewed PRs get their fresh check soonest.
      for (const pr of [...pulls.data].reverse()) {
        enqueue({ octokit: context.octokit, repo: context.repo(), number: pr.number, force: true, trigger: 'push.base', onlyIfCommented: true } as ReviewTarget, 'low');
      }
    });

    app.on('issue_comment.created', async (context) => {
      const { comment, issue } = context.payload;
      if (!issue.pull_request || comment.user?.type === 'Bot' || comment.user?.login?.endsWith('[bot]')) return;
      const command = parseCommand(comment.body ?? '');
      if (!command) return;
      const api = new GitHubApi(context.octokit, context.repo());
      await api.rest('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { comment_id: comment.id, content: 'eyes' }).catch(() => {});
      await runCommand(context, api, command, issue.number, comment.user?.login ?? 'someone').catch(async (error) => {
        app.log.warn({ repo: `${api.repoRef.owner}/${api.repoRef.repo}`, pr: issue.number, command: command.name, err: errorText(error) }, 'command failed');
        await reply(api, issue.number, `Sorry, \`/safari ${command.name}\` failed: ${errorText(error)}`).catch(() => {});
      });
    });

    async function runCommand(context: Context, api: GitHubApi, command: Command, number: number, user: string) {
      const base = { octokit: context.octokit as Octokit, repo: api.repoRef, number };
      switch (command.name) {
        case 'help':
        case 'unknown':
          return reply(api, number, command.name === 'unknown' ? `I don't know \`${command.text.replace(/`/g, "'").slice(0, 100)}\`.\n\n${HELP}` : HELP);
        case 'rerun':
          enqueue({ ...base, force: true, trigger: 'command.rerun' }, 'high');
          return;
        case 'explain': {
          if (!ruleIds().includes(command.rule)) return reply(api, number, `There is no rule \`${command.rule.replace(/`/g, '')}\`. The rules: ${ruleIds().map((r) => `\`${r}\``).join(', ')}.`);
          const doc = await readFile(new URL(`${command.rule}.md`, DOCS_DIR), 'utf8');
          return reply(api, number, doc.slice(0, MAX_COMMENT));
        }
        case 'ack': {
          if (!ruleIds().includes(command.rule)) return reply(api, number, `There is no rule \`${command.rule.replace(/`/g, '')}\` to acknowledge.`);
          const { permission, role_name } = await api.rest<{ permission: string; role_name?: string }>('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { username: user });
          if (!['admin', 'maintain', 'write'].includes(permission) && !['admin', 'maintain', 'write'].includes(role_name ?? '')) {
            return reply(api, number, `@${user} only people with write access to this repository can acknowledge findings; nothing was changed.`);
          }
          const ack: StoredAck = { rule: command.rule, ...(command.file ? { file: command.file } : {}), reason: command.reason, by: user, at: new Date().toISOString() };
          enqueue({ ...base, force: true, trigger: 'command.ack', newAcks: [ack] }, 'high');
          return reply(api, number, `Acknowledged \`${command.rule}\`${command.file ? ` in \`${command.file.replace(/`/g, '')}\`` : ''} for @${user}; the check and the review comment will follow.`);
        }
        case 'map':
        case 'table': {
          const key = `${prKey(api.repoRef, number)}:map`;
          void queue.push(key, 'high', async () => {
            const source = await openGitHubSource(api, blobs, number);
            if (command.name === 'map') return reply(api, number, clip(renderMapMarkdown(await workers.map(source.head))));
            return reply(api, number, clip(renderTableMarkdown(await workers.table(source.head, command.table))));
          }).catch(() => {});
          return;
        }
      }
    }

    hooks.onLoad?.({
      idle: async () => {
        while (queue.size > 0) await Promise.race([queue.drain(), new Promise((resolve) => setTimeout(resolve, 20))]);
      },
      close: () => workers.close(),
    });

    // /health answers while reviews run (the server's event loop never runs a review).
    // (Without a server — tests that call probot.receive — there is nothing to add it to.)
    try {
      options?.addHandler?.((req: IncomingMessage, res: ServerResponse) => {
        if (req.url !== '/health') return false;
        res.writeHead(stopping ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: stopping ? 'stopping' : 'ok', queued: queue.size, blobCache: blobs.usage }));
        return true;
      });
    } catch {
      // no server instance
    }

    // SIGTERM: take no new work, give running reviews a bounded time, then complete every other check as interrupted.
    process.once('SIGTERM', async () => {
      stopping = true;
      app.log.info({ queued: queue.size }, 'stopping: finishing running reviews');
      const grace = new Promise((resolve) => setTimeout(resolve, settings.shutdownGraceMs).unref());
      const waiting = queue.stop().flatMap((key) => {
        const w = waitingChecks.get(key);
        if (!w) return [];
        const api = new GitHubApi(w.octokit, w.repo);
        return [
          openCheck(api, w.head, { appId: deps.appId, force: true })
            .then((c) => ('id' in c ? completeCheck(api, c.id, INTERRUPTED) : undefined))
            .catch((error) => app.log.warn({ err: errorText(error) }, 'could not complete a waiting check')),
        ];
      });
      await Promise.race([queue.drain(), grace]);
      // Out of time: stop the workers; the running reviews complete their checks as interrupted.
      signal.interrupted = true;
      await workers.close();
      await Promise.all([...waiting, Promise.race([queue.drain(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())])]);
      app.log.info({}, 'stopped');
      process.exit(0);
    });
  };
}

const clip = (text: string) => (text.length > MAX_COMMENT ? `${text.slice(0, MAX_COMMENT - 200)}\n\n…(shortened: the map is longer than a GitHub comment)` : text);

async function reply(api: GitHubApi, number: number, body: string): Promise<void> {
  await api.rest('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: number, body });
}
