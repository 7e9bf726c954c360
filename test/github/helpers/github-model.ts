/**
 * A model of one GitHub repository and pull request, served to the App through nock: git objects with real blob
 * SHAs, the PR (merge-base, base tip, PR tip, GitHub's test merge), check runs, issue comments, permissions. Every
 * request is recorded so tests assert the exact requests the App sent.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';

export type Files = Record<string, string>;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /repos/o/r/git/trees/abc. */
  path: string;
  query: Record<string, string>;
  body: any;
}

export interface CheckRun {
  id: number;
  html_url?: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion?: string;
  output?: { title: string; summary: string; annotations?: any[] };
  app: { id: number };
  /** Every PATCH body, in order. */
  updates: any[];
}

export interface IssueComment {
  id: number;
  /** The PR (issue) number it is on; tests that seed comments may leave it out (then it shows on every PR). */
  issue?: number;
  body: string;
  user: { login: string; type: string };
}

const sha1 = (text: string | Buffer) => createHash('sha1').update(text).digest('hex');
export const blobSha = (content: string) => sha1(Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(content)}\0`), Buffer.from(content)]));

export interface PullRequestModel {
  number: number;
  mergeBase: Files;
  base: Files;
  head: Files;
  /** GitHub's mergeability; MERGEABLE gets a test-merge commit whose parents are base tip and PR tip. */
  mergeable?: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  /** A test-merge commit computed against an older base tip (GitHub hasn't caught up). */
  staleTestMerge?: boolean;
  fork?: boolean;
  open?: boolean;
  draft?: boolean;
  /** Earlier commits of the PR (oldest first), before its head: where a dead process may have left a check. */
  earlierCommits?: string[];
}

export const APP_ID = 4242;
export const BOT_LOGIN = 'migration-safari[bot]';

export class GitHubModel {
  readonly requests: RecordedRequest[] = [];
  readonly checks: CheckRun[] = [];
  readonly comments: IssueComment[] = [];
  readonly reactions: { comment: number; content: string }[] = [];
  readonly permissions = new Map<string, string>();
  readonly pulls = new Map<number, PullRequestModel>();
  private readonly trees = new Map<string, Files>();
  private readonly commits = new Map<string, { tree: string; parents: string[] }>();
  private readonly blobs = new Map<string, string>();
  private nextId = 100;
  /** Path regexp → statuses to answer before serving normally (e.g. [500] once, or 500 forever with `always`). */
  readonly failures: { method: string; path: RegExp; statuses: number[]; always?: number }[] = [];
  /** Files of other repositories (`owner/repo:path` → text), served by the contents API (e.g. the org's .github). */
  readonly otherFiles = new Map<string, string>();
  /** Recursive tree listings come back `truncated` (GitHub: over 100,000 entries or 7 MB), with only some entries. */
  truncateTrees = false;
  /** Folder listings handed out: subtree id → (files of the root tree, folder prefix). */
  private readonly subtrees = new Map<string, { files: Files; prefix: string }>();
  /** Called on each request before it is served (tests use it to move the PR mid-review). */
  onRequest?: (req: RecordedRequest) => void;

  constructor(
    readonly owner = 'octo-org',
    readonly repo = 'shop',
  ) {}

  addPull(pr: PullRequestModel): void {
    this.pulls.set(pr.number, { mergeable: 'MERGEABLE', open: true, ...pr });
  }

  /** Commit id of a file set (with a label so the three PR commits differ even with equal files). */
  commit(files: Files, label: string, parents: string[] = []): string {
    const tree = this.tree(files);
    const sha = sha1(`commit ${label} ${tree} ${parents.join(' ')}`);
    this.commits.set(sha, { tree, parents });
    return sha;
  }

  tree(files: Files): string {
    const entries = Object.keys(files).sort().map((p) => `${p}:${blobSha(files[p])}`);
    const sha = sha1(`tree ${entries.join('\n')}`);
    this.trees.set(sha, files);
    for (const content of Object.values(files)) this.blobs.set(blobSha(content), content);
    return sha;
  }

  shas(pr: PullRequestModel) {
    const mergeBase = this.commit(pr.mergeBase, `mb${pr.number}`);
    const base = pr.base === pr.mergeBase ? mergeBase : this.commit(pr.base, `base${pr.number}`, [mergeBase]);
    const head = this.commit(pr.head, `head${pr.number}`, [mergeBase]);
    const mergedFiles = merged(pr);
    const testMergeBase = pr.staleTestMerge ? mergeBase : base;
    const testMerge = this.commit(mergedFiles, `merge${pr.number}`, [testMergeBase, head]);
    return { mergeBase, base, head, testMerge, mergedTree: this.tree(mergedFiles) };
  }

  reads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' || (r.method === 'POST' && r.path === '/graphql'));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => !(r.method === 'GET' || (r.method === 'POST' && r.path === '/graphql')));
  }

  /** `GET /repos/o/r/git/trees/:sha` → `GET trees`: short names for asserting request lists. */
  summary(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path.replace(`/repos/${this.owner}/${this.repo}`, '').replace(/[0-9a-f]{40}/g, ':sha')}${r.path === '/graphql' ? ` ${/potentialMergeCommit/.test(r.body.query) ? 'pr-state' : /pullRequest\(/.test(r.body.query) ? 'pr-head' : 'blobs'}` : ''}`);
  }

  /** Installs the nock interceptors (persisting) on https://api.github.com. */
  install(): void {
    const scope = nock('https://api.github.com').persist();
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      scope[method](/.*/).reply((uri, body) => this.serve(method.toUpperCase(), uri, body));
    }
  }

  private serve(method: string, uri: string, rawBody: unknown): [number, any, Record<string, string>?] {
    const url = new URL(uri, 'https://api.github.com');
    const body = typeof rawBody === 'string' && rawBody ? safeJson(rawBody) : rawBody;
    const req: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body };
    if (!url.pathname.startsWith('/app')) this.requests.push(req);
    this.onRequest?.(req);
    const failure = this.failures.find((f) => f.method === method && f.path.test(url.pathname));
    if (failure?.always) return [failure.always, { message: 'Server Error' }];
    if (failure && failure.statuses.length) return [failure.statuses.shift()!, { message: 'Server Error' }];
    return this.route(req);
  }

  private route(req: RecordedRequest): [number, any, Record<string, string>?] {
    const { method, path, body } = req;
    const prefix = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpMatchArray | null;
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: 'ghs_test_token', expires_at: new Date(Date.now() + 3600e3).toISOString(), permissions: {} }];
    }
    if (method === 'GET' && path === '/app') return [200, { id: APP_ID, slug: 'migration-safari' }];
    if (method === 'POST' && path === '/graphql') return [200, { data: this.graphql(body.query, body.variables ?? {}) }];
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/)) && !path.startsWith(`${prefix}/`)) {
      const text = this.otherFiles.get(`${m[1]}/${m[2]}:${decodeURIComponent(m[3])}`);
      if (text === undefined) return [404, { message: 'Not Found' }];
      return [200, { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64'), path: m[3] }];
    }
    if (!path.startsWith(prefix)) return [404, { message: `not this repository: ${path}` }];
    const rest = path.slice(prefix.length);
    if (method === 'GET' && (m = rest.match(/^\/git\/trees\/([0-9a-f]+)$/))) {
      const sha = this.commits.get(m[1])?.tree ?? m[1];
      const sub = this.subtrees.get(sha);
      if (sub || (this.trees.has(sha) && req.query.recursive === undefined)) return [200, this.level(sha, sub ?? { files: this.trees.get(sha)!, prefix: '' })];
      const files = this.trees.get(sha);
      if (!files) return [404, { message: 'Not Found' }];
      if (this.truncateTrees) {
        const [first] = Object.keys(files).sort();
        return [200, { sha, truncated: true, tree: [{ path: first, mode: '100644', type: 'blob', sha: blobSha(files[first]) }] }];
      }
      return [200, { sha, truncated: false, tree: Object.keys(files).sort().map((p) => ({ path: p, mode: '100644', type: 'blob', sha: blobSha(files[p]), size: Buffer.byteLength(files[p]) })) }];
    }
    if (method === 'GET' && (m = rest.match(/^\/pulls\/(\d+)\/files$/))) {
      const pr = this.pulls.get(Number(m[1]))!;
      const page = Number(req.query.page ?? 1);
      const perPage = Number(req.query.per_page ?? 30);
      return paged(req, diffFiles(pr.mergeBase, pr.head));
    }
    if (method === 'GET' && (m = rest.match(/^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/))) {
      const pr = [...this.pulls.values()].find((p) => this.shas(p).head === m![1])!;
      const files = diffFiles(pr.mergeBase, pr.base);
      return [200, { merge_base_commit: { sha: this.shas(pr).mergeBase }, files }];
    }
    if (method === 'GET' && (m = rest.match(/^\/commits\/([0-9a-f]+)\/check-runs$/))) {
      const runs = this.checks.filter((c) => c.head_sha === m![1] && (!req.query.check_name || c.name === req.query.check_name));
      return [200, { total_count: runs.length, check_runs: runs.map(({ updates, ...c }) => c) }];
    }
    if (method === 'POST' && rest === '/check-runs') {
      const id = this.nextId++;
      const run: CheckRun = { id, html_url: `https://github.com/${this.owner}/${this.repo}/runs/${id}`, head_sha: body.head_sha, name: body.name, status: body.status ?? 'queued', conclusion: body.conclusion, output: body.output, app: { id: APP_ID }, updates: [] };
      this.checks.push(run);
      return [201, run];
    }
    if (method === 'PATCH' && (m = rest.match(/^\/check-runs\/(\d+)$/))) {
      const run = this.checks.find((c) => c.id === Number(m![1]));
      if (!run) return [404, { message: 'Not Found' }];
      run.updates.push(body);
      if (body.status) run.status = body.status;
      if (body.conclusion) {
        run.conclusion = body.conclusion;
        run.status = 'completed';
      }
      if (body.output) {
        const annotations = [...(run.output?.annotations ?? []), ...(body.output.annotations ?? [])];
        run.output = { ...body.output, annotations };
      }
      return [200, run];
    }
    if (method === 'GET' && (m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      return paged(req, this.comments.filter((c) => c.issue === undefined || c.issue === Number(m![1])));
    }
    if (method === 'POST' && (m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const comment = { id: this.nextId++, issue: Number(m[1]), body: body.body, user: { login: BOT_LOGIN, type: 'Bot' } };
      this.comments.push(comment);
      return [201, comment];
    }
    if (method === 'PATCH' && (m = rest.match(/^\/issues\/comments\/(\d+)$/))) {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return [404, { message: 'Not Found' }];
      comment.body = body.body;
      return [200, comment];
    }
    if (method === 'POST' && (m = rest.match(/^\/issues\/comments\/(\d+)\/reactions$/))) {
      this.reactions.push({ comment: Number(m[1]), content: body.content });
      return [201, { id: this.nextId++, content: body.content }];
    }
    if (method === 'GET' && (m = rest.match(/^\/collaborators\/([^/]+)\/permission$/))) {
      const permission = this.permissions.get(decodeURIComponent(m[1])) ?? 'read';
      return [200, { permission, role_name: permission, user: { login: m[1] } }];
    }
    if (method === 'GET' && rest === '/pulls') {
      const open = [...this.pulls.values()].filter((p) => p.open);
      return [200, open.map((p) => ({ number: p.number, head: { sha: this.shas(p).head }, updated_at: '2024-01-01T00:00:00Z' }))];
    }
    return [404, { message: `no route for ${method} ${path}` }];
  }

  /** One level of a tree, as the non-recursive listing shows it: files here, and folders with their own ids. */
  private level(sha: string, { files, prefix }: { files: Files; prefix: string }) {
    const tree: any[] = [];
    const folders = new Set<string>();
    for (const path of Object.keys(files).sort()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) tree.push({ path: rest, mode: '100644', type: 'blob', sha: blobSha(files[path]), size: Buffer.byteLength(files[path]) });
      else folders.add(rest.slice(0, slash));
    }
    for (const folder of folders) {
      const id = sha1(`subtree ${sha} ${prefix}${folder}/`);
      this.subtrees.set(id, { files, prefix: `${prefix}${folder}/` });
      tree.push({ path: folder, mode: '040000', type: 'tree', sha: id });
    }
    return { sha, truncated: false, tree };
  }

  private graphql(query: string, variables: Record<string, any>): any {
    if (/pullRequest\(/.test(query)) {
      const pr = this.pulls.get(variables.number);
      if (!pr) return { repository: { pullRequest: null } };
      const s = this.shas(pr);
      const merge = this.commits.get(s.testMerge)!;
      return {
        repository: {
          pullRequest: {
            number: pr.number,
            headRefOid: s.head,
            baseRefName: 'main',
            baseRefOid: s.base,
            isDraft: pr.draft ?? false,
            state: pr.open ? 'OPEN' : 'CLOSED',
            isCrossRepository: pr.fork ?? false,
            mergeable: pr.mergeable,
            baseRef: { target: { oid: s.base } },
            potentialMergeCommit: pr.mergeable === 'MERGEABLE' ? { oid: s.testMerge, tree: { oid: merge.tree }, parents: { nodes: merge.parents.map((oid) => ({ oid })) } } : null,
            commits: {
              nodes: [...(pr.earlierCommits ?? []), s.head].map((oid) => ({
                commit: {
                  oid,
                  checkSuites: {
                    nodes: [
                      {
                        checkRuns: {
                          nodes: this.checks
                            .filter((c) => c.head_sha === oid && c.name === 'Migration Safari' && c.status !== 'completed' && (variables.appId == null || c.app.id === variables.appId))
                            .map((c) => ({ databaseId: c.id })),
                        },
                      },
                    ],
                  },
                },
              })),
            },
          },
        },
      };
    }
    const repository: Record<string, unknown> = {};
    for (const [, alias, oid] of query.matchAll(/(\w+): object\(oid: "([0-9a-f]+)"\)/g)) {
      const text = this.blobs.get(oid);
      repository[alias] = text === undefined ? null : { text, isBinary: false, isTruncated: false };
    }
    return { repository };
  }
}

/** One page of a list, with GitHub's Link header when more follow. */
function paged(req: RecordedRequest, items: unknown[]): [number, any, Record<string, string>] {
  const page = Number(req.query.page ?? 1);
  const perPage = Number(req.query.per_page ?? 30);
  const more = items.length > page * perPage;
  return [200, items.slice((page - 1) * perPage, page * perPage), more ? { link: `<https://api.github.com${req.path}?page=${page + 1}&per_page=${perPage}>; rel="next"` } : {}];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Base tip + the PR's changes (merge-base → PR tip); the PR wins where both changed a file. */
export function merged(pr: PullRequestModel): Files {
  const out: Files = { ...pr.base };
  for (const path of new Set([...Object.keys(pr.mergeBase), ...Object.keys(pr.head)])) {
    if (pr.mergeBase[path] === pr.head[path]) continue;
    if (pr.head[path] === undefined) delete out[path];
    else out[path] = pr.head[path];
  }
  return out;
}

function diffFiles(from: Files, to: Files) {
  const files = [];
  for (const path of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    if (from[path] === to[path]) continue;
    const status = from[path] === undefined ? 'added' : to[path] === undefined ? 'removed' : 'modified';
    files.push({ filename: path, status, sha: to[path] === undefined ? blobSha(from[path]) : blobSha(to[path]), additions: 1, deletions: 0, changes: 1 });
  }
  return files;
}
