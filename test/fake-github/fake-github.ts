/**
 * A fake of the GitHub API on loopback for the App's tests and benchmark: REST + GraphQL over a REAL git repository
 * on disk, an in-memory store of PRs, comments, reactions, check runs, roles and installations, a record of every
 * request, and fault injection. Routes it does not serve answer 404 and are recorded, so a test notices.
 *
 *   const fake = await startFakeGitHub();
 *   fake.addRepo({ owner: 'acme', name: 'grove', dir: repoPath });
 *   const pr = await fake.addPullRequest({ repo: 'acme/grove', head: 'pr', base: 'main' });
 *   // point the App at fake.url (baseUrl) or GHE_HOST=fake.host GHE_PROTOCOL=http, send a webhook, then:
 *   fake.checkRuns('acme/grove'); fake.comments('acme/grove', pr.number); fake.reads(); fake.writes();
 *   await fake.close();
 *
 * Clients may call it with or without GitHub Enterprise's `/api/v3` prefix (GraphQL at `/graphql` or
 * `/api/graphql`); recorded paths never include the prefix.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { identify, type Identity } from './auth.js';
import { Faults, secondaryRateLimit, type Delay, type Fault, type FaultSpec } from './faults.js';
import { GitBackend } from './git-backend.js';
import { compilePattern, errorBody, HttpError, notFound, type Pattern, type Reply, type RequestContext } from './http.js';
import { registerAppRoutes } from './routes-app.js';
import { registerCheckRoutes } from './routes-checks.js';
import { registerGraphqlRoute } from './routes-graphql.js';
import { registerIssueRoutes } from './routes-issues.js';
import { registerRepoRoutes } from './routes-repos.js';
import { appJson, pullJson, type AppInfo, type PullShas, type PullStats, type Urls } from './shapes.js';
import { sendWebhook, type WebhookEvent } from './webhooks.js';
import {
  Store,
  type CheckRunRecord,
  type CommentRecord,
  type IssueRecord,
  type MergeMode,
  type PullRecord,
  type RepoRecord,
  type Role,
} from './store.js';

export interface FakeGitHubOptions {
  /** The App's id (default 1) and slug (default `migration-safari`): the bot login is `<slug>[bot]`. */
  appId?: number;
  appSlug?: string;
  appName?: string;
  /** Verify App JWTs (RS256, `iss`, `exp`) against this key. Without it, any JWT-shaped bearer passes. */
  appPublicKey?: string | KeyObject;
  /** The installation that covers every repository added without one (default 1). */
  installationId?: number;
  /** Refuse tokens the fake didn't issue with 401 (default false: they act as the default installation). */
  strictAuth?: boolean;
  /** Recursive trees with more entries than this come back `truncated: true` (GitHub: 100,000 entries / 7 MB). */
  treeEntryLimit?: number;
  /** GraphQL `Blob.text` longer than this many bytes is cut and `isTruncated: true` (default 512,000: GitHub cuts there). */
  blobTextLimit?: number;
  /** Check every GraphQL query against GitHub's real schema (@octokit/graphql-schema) before serving it. */
  validateGraphqlAgainstGitHub?: boolean;
  /** Listen here (default 127.0.0.1, an ephemeral port). */
  host?: string;
  port?: number;
  /** The clock for timestamps and token expiry (default Date.now). */
  now?: () => number;
  /**
   * GitHub's secondary rate limits, off by default: more than `concurrentRequests` requests in flight at once, or
   * more than `writesPerMinute` writes (POST/PATCH/PUT/DELETE, GraphQL mutations) in a minute, answer 403 with
   * `retry-after: retryAfterSeconds` (default 1) and the "secondary rate limit" message. GitHub documents 100 and 80.
   */
  secondaryLimits?: { concurrentRequests?: number; writesPerMinute?: number; retryAfterSeconds?: number };
}

/** One request as the fake received and answered it. */
export interface RecordedRequest {
  seq: number;
  method: string;
  /** Without `/api/v3` and without the query, percent-decoded (`/repos/acme/grove/contents/.github/safari.yml`). */
  path: string;
  /** The path as sent (still percent-encoded), without the prefix. */
  rawPath: string;
  /** `/api/v3` or `/api` (GraphQL) when the client used GitHub Enterprise's paths (GHE_HOST), else ''. */
  prefix: string;
  query: Record<string, string>;
  body: any;
  /** The route that served it (`GET /repos/:owner/:repo/pulls/:pull_number`), or null when none matched. */
  route: string | null;
  /** `auth` (App JWT endpoints, token creation), `read` (GET, GraphQL queries) or `write`. */
  kind: 'auth' | 'read' | 'write';
  status: number;
  /** Who called, from the Authorization header. */
  identity: Identity['kind'];
  accept: string | undefined;
  /** Set when a fault (or a secondary limit) answered instead of the route. */
  fault: boolean;
  /** Set when a delay (fake.delay) held the request back this long before serving it. */
  delayedMs?: number;
  /** Which secondary limit refused it, if one did. */
  limited?: 'concurrentRequests' | 'writesPerMinute';
  /** Epoch milliseconds when the request arrived (the fake's clock), and how long the answer took. */
  at: number;
  durationMs: number;
  /** performance.now() when it arrived: for servingMs(), whatever clock the fake was given. */
  startedMs: number;
}

export interface AddRepoOptions {
  owner: string;
  name: string;
  /** A git repository (bare or not) holding the branches. */
  dir: string;
  defaultBranch?: string;
  private?: boolean;
  /** `owner/name` of the repository this one is a fork of. */
  parent?: string;
  /** The installation covering it (default: the fake's default installation). */
  installationId?: number;
}

export interface AddPullOptions {
  /** `owner/name` of the base repository. */
  repo: string;
  /** The head branch (in `headRepo`). */
  head: string;
  /** The base branch (default: the repository's default branch). */
  base?: string;
  /** `owner/name` of a fork holding the head branch (default: the base repository). */
  headRepo?: string;
  title?: string;
  body?: string | null;
  user?: string;
  draft?: boolean;
  mergeMode?: MergeMode;
  /** Reads that answer `mergeable: null` before the test merge is "computed" (default 0). */
  pendingMergeReads?: number;
  labels?: string[];
}

type Handler = (ctx: RequestContext & { identity: Identity }) => Promise<Reply> | Reply;

interface Route {
  pattern: Pattern;
  handler: Handler;
  kind?: RecordedRequest['kind'];
}

export class FakeGitHub {
  readonly store = new Store();
  readonly faults = new Faults();
  readonly requests: RecordedRequest[] = [];
  readonly app: AppInfo;
  readonly options: Required<Pick<FakeGitHubOptions, 'treeEntryLimit' | 'blobTextLimit' | 'validateGraphqlAgainstGitHub' | 'strictAuth'>> &
    FakeGitHubOptions;
  private readonly routes: Route[] = [];
  private readonly backends = new Map<string, GitBackend>();
  private server: Server | undefined;
  private origin = '';
  /** Where the webhooks GitHub itself sends after the App's writes go (see deliverTo). */
  private webhookTarget: { url: string; secret: string } | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Webhooks the fake sent (deliverTo), with the App's answer. */
  readonly deliveries: Array<{ event: WebhookEvent; status?: number; error?: string }> = [];
  private seq = 0;
  private active = 0;
  /** Requests held by a delay; close() releases them. */
  private readonly waiting = new Set<() => void>();
  private readonly recentWrites: number[] = [];
  readonly defaultInstallationId: number;

  constructor(options: FakeGitHubOptions = {}) {
    this.options = {
      treeEntryLimit: 100_000,
      blobTextLimit: 512_000,
      validateGraphqlAgainstGitHub: false,
      strictAuth: false,
      ...options,
    };
    const slug = options.appSlug ?? 'migration-safari';
    this.app = {
      id: options.appId ?? 1,
      slug,
      name: options.appName ?? 'Migration Safari',
      owner: 'safari-org',
      permissions: { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' },
      events: ['check_run', 'check_suite', 'issue_comment', 'pull_request', 'push'],
    };
    this.defaultInstallationId = options.installationId ?? 1;
    this.store.installations.set(this.defaultInstallationId, {
      id: this.defaultInstallationId,
      account: 'acme',
      accountType: 'Organization',
    });
    this.store.user(this.botLogin, 'Bot');
    registerAppRoutes(this);
    registerRepoRoutes(this);
    registerCheckRoutes(this);
    registerIssueRoutes(this);
    registerGraphqlRoute(this);
  }

  /** `<slug>[bot]`: the login comments and check runs written with an installation token carry. */
  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  /** `http://127.0.0.1:<port>`: use as octokit's `baseUrl` (also answers under `/api/v3`). */
  get url(): string {
    if (!this.origin) throw new Error('the fake GitHub is not listening: await start() first');
    return this.origin;
  }

  /** `127.0.0.1:<port>`: for `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  get host(): string {
    return new URL(this.url).host;
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  isoNow(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.origin = `http://${address.address}:${address.port}`;
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    await this.settled();
    const server = this.server;
    this.server = undefined;
    if (server) {
      // Hung requests end with their connections.
      server.closeAllConnections();
      for (const release of [...this.waiting]) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.all([...this.backends.values()].map((backend) => backend.close()));
  }

  // ---- routes -------------------------------------------------------------------------------------------------

  /** Registers a route (`GET /repos/:owner/:repo/...`, `*rest` for the rest of the path). */
  route(source: string, handler: Handler, kind?: RecordedRequest['kind']): void {
    this.routes.push({ pattern: compilePattern(source), handler, kind });
  }

  /** Every route the fake serves, as `METHOD /pattern` (for the README and for tests). */
  routeList(): string[] {
    return this.routes.map((r) => r.pattern.source);
  }

  urls(apiBase: string): Urls {
    return { api: apiBase, web: this.origin };
  }

  // ---- seeding ------------------------------------------------------------------------------------------------

  backend(dir: string): GitBackend {
    let backend = this.backends.get(dir);
    if (!backend) {
      backend = new GitBackend(dir);
      this.backends.set(dir, backend);
    }
    return backend;
  }

  addRepo(options: AddRepoOptions): RepoRecord {
    const full = `${options.owner}/${options.name}`;
    const installationId = options.installationId ?? this.defaultInstallationId;
    if (!this.store.installations.has(installationId)) {
      this.store.installations.set(installationId, { id: installationId, account: options.owner, accountType: 'Organization', repositories: [] });
    }
    const installation = this.store.installations.get(installationId)!;
    installation.repositories?.push(full);
    const record: RepoRecord = {
      id: this.store.nextId(),
      owner: options.owner,
      name: options.name,
      git: this.backend(options.dir),
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? false,
      parent: options.parent,
      installationId,
    };
    this.store.repos.set(full.toLowerCase(), record);
    this.store.user(options.owner, 'Organization');
    return record;
  }

  repo(fullName: string): RepoRecord {
    const repo = this.store.repo(fullName);
    if (!repo) throw new Error(`the fake has no repository ${fullName}: addRepo() first`);
    return repo;
  }

  /** Opens a PR from `head` onto `base`; its head and base shas follow the branches in git as they move. */
  async addPullRequest(options: AddPullOptions): Promise<PullRecord> {
    const repo = this.repo(options.repo);
    const fullName = `${repo.owner}/${repo.name}`;
    const headRepo = options.headRepo ? this.repo(options.headRepo) : repo;
    const number = this.store.nextNumber(fullName);
    const now = this.isoNow();
    const pull: PullRecord = {
      repo: fullName,
      number,
      id: this.store.nextId(),
      title: options.title ?? `Pull request ${number}`,
      body: options.body === undefined ? '' : options.body,
      user: options.user ?? 'octocat',
      headRepo: `${headRepo.owner}/${headRepo.name}`,
      headRef: options.head,
      baseRef: options.base ?? repo.defaultBranch,
      state: 'open',
      merged: false,
      draft: options.draft ?? false,
      createdAt: now,
      updatedAt: now,
      mergeMode: options.mergeMode ?? 'live',
      pendingMergeReads: options.pendingMergeReads ?? 0,
      labels: options.labels ?? [],
    };
    this.store.pulls.set(`${fullName}#${number}`, pull);
    await this.pullShas(pull);
    return pull;
  }

  addIssue(options: { repo: string; title?: string; body?: string; user?: string }): IssueRecord {
    const repo = this.repo(options.repo);
    const fullName = `${repo.owner}/${repo.name}`;
    const number = this.store.nextNumber(fullName);
    const now = this.isoNow();
    const issue: IssueRecord = {
      repo: fullName,
      number,
      id: this.store.nextId(),
      title: options.title ?? `Issue ${number}`,
      body: options.body ?? '',
      user: options.user ?? 'octocat',
      state: 'open',
      createdAt: now,
      updatedAt: now,
    };
    this.store.issues.set(`${fullName}#${number}`, issue);
    return issue;
  }

  /** A comment written by someone (a human, another bot, or the App's own bot login) before the test runs. */
  addComment(options: { repo: string; issue: number; body: string; user?: string }): CommentRecord {
    const repo = this.repo(options.repo);
    const now = this.isoNow();
    const user = options.user ?? 'octocat';
    const comment: CommentRecord = {
      id: this.store.nextId(),
      repo: `${repo.owner}/${repo.name}`,
      issueNumber: options.issue,
      body: options.body,
      user,
      viaApp: user === this.botLogin ? this.app.id : undefined,
      createdAt: now,
      updatedAt: now,
    };
    this.store.comments.set(comment.id, comment);
    return comment;
  }

  /** The collaborator role of `login` on `repo` (what GET …/collaborators/:user/permission answers). */
  setRole(repo: string, login: string, role: Role): void {
    const record = this.repo(repo);
    this.store.user(login);
    this.store.roles.set(`${record.owner}/${record.name}|${login}`, role);
  }

  /** A personal token acting as `login` (for tests that write as a human). */
  userToken(login: string): string {
    const token = `ghp_fake_${login.replace(/[^A-Za-z0-9]/g, '_')}_${this.store.nextId()}`;
    this.store.user(login);
    this.store.userTokens.set(token, login);
    return token;
  }

  /** Issues an installation token directly (what POST /app/installations/:id/access_tokens does). */
  issueToken(installationId = this.defaultInstallationId): { token: string; expires_at: string } {
    const token = `ghs_${Buffer.from(`${installationId}:${this.store.nextId()}:${Math.random()}`).toString('base64url').slice(0, 36)}`;
    const expiresAt = new Date(this.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.store.tokens.set(token, { token, installationId, expiresAt });
    return { token, expires_at: expiresAt };
  }

  /**
   * Commits `files` (`null` deletes) on `branch` of `repo`, as a push would (creating the branch from `from` when
   * it doesn't exist). Returns the branch's tip before and after, e.g. for pushEvent / a synchronize payload.
   */
  async push(
    repo: string,
    branch: string,
    files: Record<string, string | Uint8Array | null>,
    options: { message?: string; from?: string } = {},
  ): Promise<{ before: string | undefined; after: string }> {
    const record = this.repo(repo);
    const before = await record.git.resolveCommit(`refs/heads/${branch}`);
    const after = await record.git.commitFiles(branch, files, options);
    const full = `${record.owner}/${record.name}`;
    // A push to a PR's head updates the PR (its updated_at); a push to its base branch doesn't, as on GitHub.
    for (const pull of this.store.pulls.values()) {
      if (pull.headRepo === full && pull.headRef === branch) pull.updatedAt = this.isoNow();
    }
    return { before, after };
  }

  /**
   * A slow (or hung) GitHub: the next `times` requests matching `route` are served only after `ms` milliseconds;
   * `Infinity` holds them until the fake closes — for the App's request timeouts and review deadline.
   */
  delay(route: string, ms: number, times = 1): Delay {
    return this.faults.addDelay(route, ms, times);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.waiting.delete(release);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(release, ms) : undefined;
      this.waiting.add(release);
    });
  }

  /** Makes the next `spec.times` requests matching `route` fail (see Faults.add). */
  fail(route: string, spec: FaultSpec): Fault {
    return this.faults.add(route, spec);
  }

  /**
   * Makes the fake send the webhooks GitHub sends after the App's own writes, signed with `secret`:
   * `check_run.created` / `check_run.completed` for its check runs and `issue_comment.created` / `edited` for its
   * comments — the events an App must recognise as its own and ignore. Off until called; `undefined` turns it off.
   */
  deliverTo(url: string | undefined, secret = 'test-webhook-secret'): void {
    this.webhookTarget = url === undefined ? undefined : { url, secret };
  }

  /** Sends the event `build` makes to the delivery target, shortly after the current response (as GitHub does). */
  emit(build: () => Promise<WebhookEvent>): void {
    const target = this.webhookTarget;
    if (!target) return;
    const delivery = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const event = await build();
      const record: (typeof this.deliveries)[number] = { event };
      this.deliveries.push(record);
      try {
        record.status = (await sendWebhook(target.url, event, { secret: target.secret })).status;
      } catch (error) {
        record.error = (error as Error).message;
      }
    })();
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves when every webhook the fake started sending has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  // ---- state the handlers share -------------------------------------------------------------------------------

  /**
   * The PR's current head and base shas, read from git (so they follow branches a test moves). A fork's head
   * commit is fetched into the base repository as `refs/pull/<n>/head`, as GitHub does, so the base repository can
   * serve its files.
   */
  async pullShas(pull: PullRecord): Promise<PullShas> {
    const repo = this.repo(pull.repo);
    const headRepo = this.repo(pull.headRepo);
    const [base, head] = await Promise.all([
      repo.git.resolveCommit(`refs/heads/${pull.baseRef}`),
      headRepo.git.resolveCommit(`refs/heads/${pull.headRef}`),
    ]);
    if (!head) throw new Error(`${pull.repo}#${pull.number}: head branch ${pull.headRef} does not exist in ${pull.headRepo}`);
    if (!base) throw new Error(`${pull.repo}#${pull.number}: base branch ${pull.baseRef} does not exist`);
    if (pull.syncedHead !== head) {
      if (headRepo.git !== repo.git) {
        await repo.git.git(['fetch', '-q', '--no-tags', headRepo.git.dir, `+${head}:refs/pull/${pull.number}/head`]);
      } else {
        await repo.git.updateRef(`refs/pull/${pull.number}/head`, head);
      }
      pull.syncedHead = head;
    }
    return { head, base };
  }

  /**
   * GitHub's test merge: `merge-tree --write-tree` of base and head, then a merge commit whose parents are the base
   * tip and the PR tip, at `refs/pull/<n>/merge`. Recomputed when either side moved (unless the PR's merge mode is
   * `frozen` or `none`); while `pendingMergeReads` lasts, reads see `mergeable: null` as on GitHub.
   */
  async refreshMerge(pull: PullRecord, shas: PullShas): Promise<void> {
    if (pull.mergeMode === 'none') return;
    if (pull.pendingMergeReads > 0) {
      pull.pendingMergeReads--;
      return;
    }
    if (pull.mergeMode === 'frozen' && pull.merge) return;
    if (pull.merge && pull.merge.baseSha === shas.base && pull.merge.headSha === shas.head) return;
    const git = this.repo(pull.repo).git;
    const { sha, conflicts } = await git.testMerge(shas.base, shas.head);
    if (sha) await git.updateRef(`refs/pull/${pull.number}/merge`, sha);
    pull.merge = { baseSha: shas.base, headSha: shas.head, mergeable: sha !== null, sha, conflicts };
  }

  /** The PR as the REST API shows it (e.g. to build a webhook payload), test merge refreshed. */
  async pullJson(pull: PullRecord, apiBase = this.url): Promise<Record<string, unknown>> {
    const shas = await this.pullShas(pull);
    await this.refreshMerge(pull, shas);
    return pullJson(this.store, pull, shas, this.urls(apiBase), true, await this.pullStats(pull, shas));
  }

  /** The PR's commit count and changes since the merge-base, as the full PR object reports them. */
  async pullStats(pull: PullRecord, shas: PullShas): Promise<PullStats> {
    const git = this.repo(pull.repo).git;
    const mergeBase = (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
    const [commits, files] = await Promise.all([git.commitsBetween(shas.base, shas.head), git.diff(mergeBase, shas.head)]);
    return {
      commits: commits.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
    };
  }

  appJson(apiBase = this.url): Record<string, unknown> {
    return appJson(this.store, this.app, this.urls(apiBase));
  }

  /** Which installation may see `repo`; a token of another installation gets 404, as GitHub hides it. */
  canSee(identity: Identity, repo: RepoRecord): boolean {
    if (identity.kind !== 'installation') return true;
    const installation = this.store.installations.get(identity.installationId);
    if (!installation) return false;
    const full = `${repo.owner}/${repo.name}`;
    return installation.repositories ? installation.repositories.includes(full) : repo.installationId === installation.id;
  }

  /** The repository named by `:owner/:repo`, or a 404 as GitHub answers for a repository the caller can't see. */
  repoFor(ctx: { params: Record<string, string>; identity: Identity }): RepoRecord {
    const repo = this.store.repo(`${ctx.params.owner}/${ctx.params.repo}`);
    if (!repo || !this.canSee(ctx.identity, repo)) throw notFound('https://docs.github.com/rest/repos/repos#get-a-repository');
    return repo;
  }

  /** The login a write is attributed to. */
  actor(identity: Identity): { login: string; viaApp?: number } {
    if (identity.kind === 'user') return { login: identity.login };
    if (identity.kind === 'installation') return { login: this.botLogin, viaApp: this.app.id };
    throw new HttpError(401, 'Requires authentication');
  }

  // ---- what tests read back -----------------------------------------------------------------------------------

  /** Requests that read (GET and GraphQL queries), in order. */
  reads(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'read');
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'write');
  }

  /** Requests matching a route or concrete path pattern (`POST /repos/:owner/:repo/check-runs`). */
  requestsTo(pattern: string): RecordedRequest[] {
    const compiled = compilePattern(pattern);
    return this.requests.filter(
      (r) => r.route === pattern || compiled.match(r.method, r.rawPath) !== undefined || compiled.match(r.method, r.path) !== undefined,
    );
  }

  /**
   * Milliseconds during which the fake was busy answering at least one of `requests` (overlapping requests counted
   * once): what a benchmark subtracts to tell the App's own time from the fake's.
   */
  servingMs(requests: RecordedRequest[] = this.requests): number {
    const spans = requests.map((r) => [r.startedMs, r.startedMs + r.durationMs] as const).sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    for (const [from, to] of spans) {
      if (to <= end) continue;
      total += to - Math.max(from, end);
      end = to;
    }
    return total;
  }

  /** Requests no route served (404 "Not Found" from the fake itself). */
  unmatched(): RecordedRequest[] {
    return this.requests.filter((r) => r.route === null && !r.fault);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** The PR's (or issue's) comments, oldest first. */
  comments(repo: string, issueNumber: number): CommentRecord[] {
    const full = `${this.repo(repo).owner}/${this.repo(repo).name}`;
    return [...this.store.comments.values()].filter((c) => c.repo === full && c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
  }

  /** Check runs on `repo` (optionally for one head sha), oldest first. */
  checkRuns(repo: string, headSha?: string): CheckRunRecord[] {
    const full = `${this.repo(repo).owner}/${this.repo(repo).name}`;
    return [...this.store.checkRuns.values()]
      .filter((c) => c.repo === full && (headSha === undefined || c.headSha === headSha))
      .sort((a, b) => a.id - b.id);
  }

  reactions(commentId: number) {
    return this.store.reactions.filter((r) => r.commentId === commentId);
  }

  // ---- the server ---------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.active++;
    try {
      await this.serve(req, res);
    } finally {
      this.active--;
    }
  }

  /** Which of GitHub's secondary limits (if configured) this request breaks; writes that pass are counted. */
  private secondaryLimit(record: RecordedRequest): RecordedRequest['limited'] {
    const limits = this.options.secondaryLimits;
    if (!limits) return undefined;
    if (limits.concurrentRequests !== undefined && this.active > limits.concurrentRequests) return 'concurrentRequests';
    if (record.kind !== 'write' || limits.writesPerMinute === undefined) return undefined;
    const now = this.now();
    while (this.recentWrites.length > 0 && this.recentWrites[0] <= now - 60_000) this.recentWrites.shift();
    if (this.recentWrites.length >= limits.writesPerMinute) return 'writesPerMinute';
    this.recentWrites.push(now);
    return undefined;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = url.pathname;
    let prefix = '';
    if (path === '/api/graphql') {
      path = '/graphql';
      prefix = '/api';
    } else if (path.startsWith('/api/v3/') || path === '/api/v3') {
      path = path.slice('/api/v3'.length) || '/';
      prefix = '/api/v3';
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      seq: ++this.seq,
      method,
      path: decodePath(path),
      rawPath: path,
      prefix,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      route: null,
      kind: method === 'GET' || method === 'HEAD' ? 'read' : 'write',
      status: 0,
      identity: 'anonymous',
      accept: req.headers.accept,
      fault: false,
      at,
      durationMs: 0,
      startedMs: started,
    };
    this.requests.push(record);
    let reply: Reply;
    try {
      const raw = await readBody(req);
      record.body = parseBody(raw, req.headers['content-type']);
      const matched = this.match(method, path);
      if (matched) {
        record.route = matched.route.pattern.source;
        if (matched.route.kind) record.kind = matched.route.kind;
      }
      if (path === '/graphql' && method === 'POST') record.kind = isMutation(record.body) ? 'write' : 'read';
      const delay = this.faults.takeDelay(method, [path, record.path]);
      if (delay) {
        record.delayedMs = delay.ms;
        await this.wait(delay.ms);
      }
      const fault = this.faults.take(method, [path, record.path]);
      const limited = fault ? undefined : this.secondaryLimit(record);
      if (limited) {
        record.fault = true;
        record.limited = limited;
        const spec = secondaryRateLimit(1, this.options.secondaryLimits?.retryAfterSeconds ?? 1);
        reply = { status: spec.status, body: spec.body, headers: spec.headers };
      } else if (fault) {
        record.fault = true;
        reply = { status: fault.status, body: fault.body, headers: fault.headers };
      } else if (!matched) {
        reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
      } else {
        const identity = identify(req.headers.authorization, this.store, {
          appId: this.app.id,
          publicKey: this.options.appPublicKey,
          strict: this.options.strictAuth,
          defaultInstallationId: this.defaultInstallationId,
          now: () => this.now(),
        });
        record.identity = identity.kind;
        const apiBase = `http://${req.headers.host ?? this.host}${prefix === '/api' ? '/api/v3' : prefix}`;
        reply = await matched.route.handler({
          method,
          path,
          params: matched.params,
          query: url.searchParams,
          body: record.body,
          headers: req.headers,
          apiBase,
          identity,
        });
      }
    } catch (error) {
      if (error instanceof HttpError) {
        reply = { status: error.status, body: errorBody(error), headers: error.headers };
      } else {
        // A bug in the fake (or git failing): say so loudly, as a 500 the test will see.
        reply = { status: 500, body: { message: `fake GitHub error: ${(error as Error).stack ?? String(error)}` } };
      }
    }
    record.status = reply.status;
    send(res, reply, this.now());
    // Answering includes serializing and writing the reply (JSON of a big tree or blob batch takes a while).
    record.durationMs = performance.now() - started;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const params = route.pattern.match(method, path);
      if (params) return { route, params };
    }
    return undefined;
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType === undefined || contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'Problems parsing JSON', { documentation_url: 'https://docs.github.com/rest' });
    }
  }
  return text;
}

function isMutation(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' && /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, ''));
}

function send(res: ServerResponse, reply: Reply, now: number): void {
  // A client that gave up (or a connection close() cut) gets nothing.
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {
    'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10).toUpperCase()}`,
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.ceil(now / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    ...(reply.headers ?? {}),
  };
  let payload: string | Buffer | undefined;
  if (reply.status === 204 || reply.body === undefined) {
    payload = undefined;
  } else if (reply.raw) {
    headers['content-type'] = reply.raw.contentType;
    payload = Buffer.isBuffer(reply.body) ? reply.body : String(reply.body);
  } else {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Creates and starts a fake GitHub on 127.0.0.1 (an ephemeral port unless `options.port`). */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}
