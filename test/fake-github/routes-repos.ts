// Repositories, pull requests and git data, all read from the repository's real git directory.
import type { FakeGitHub } from './fake-github.js';
import type { FileDiff, TreeEntry } from './git-backend.js';
import { HttpError, notFound, ok, paginate, type RequestContext } from './http.js';
import { commitJson, nodeId, pullJson, repoJson } from './shapes.js';
import type { PullRecord, RepoRecord } from './store.js';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
/** GitHub's caps: a PR's file list stops at 3,000 files, a compare at 300 files and 250 commits. */
const PULL_FILES_MAX = 3000;
const COMPARE_FILES_MAX = 300;
const COMPARE_COMMITS_MAX = 250;
/** The contents API returns a file's content up to 1 MB; beyond, `content` is empty and `encoding` is `none`. */
const CONTENTS_MAX = 1024 * 1024;

const DOC_CONTENTS = 'https://docs.github.com/rest/repos/contents#get-repository-content';

/** base64 wrapped at 60 characters per line, as GitHub's blob and contents APIs return it. */
export function githubBase64(content: Buffer): string {
  return (content.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + (content.length > 0 ? '\n' : '');
}

function wantsRaw(ctx: RequestContext): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(String(ctx.headers.accept ?? ''));
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

async function commitOr404(repo: RepoRecord, ref: string): Promise<string> {
  const sha = await repo.git.resolveCommit(ref);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`, { documentation_url: DOC_CONTENTS });
  return sha;
}

export function fileJson(file: FileDiff, repo: string, ref: string, apiBase: string, web: string) {
  const json: Record<string, unknown> = {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${web}/${repo}/blob/${ref}/${encodePath(file.filename)}`,
    raw_url: `${web}/${repo}/raw/${ref}/${encodePath(file.filename)}`,
    contents_url: `${apiBase}/repos/${repo}/contents/${encodePath(file.filename)}?ref=${ref}`,
  };
  if (file.previous_filename !== undefined) json.previous_filename = file.previous_filename;
  return json;
}

function pullOr404(fake: FakeGitHub, repo: RepoRecord, number: string): PullRecord {
  const pull = fake.store.pull(`${repo.owner}/${repo.name}`, Number(number));
  if (!pull) throw notFound('https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
  return pull;
}

export function registerRepoRoutes(fake: FakeGitHub): void {
  fake.route('GET /repos/:owner/:repo', (ctx) => ok(repoJson(fake.store, fake.repoFor(ctx), fake.urls(ctx.apiBase))));

  // ---- pull requests ----

  fake.route('GET /repos/:owner/:repo/pulls', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const full = `${repo.owner}/${repo.name}`;
    const state = ctx.query.get('state') ?? 'open';
    const baseFilter = ctx.query.get('base');
    const headFilter = ctx.query.get('head');
    const sort = ctx.query.get('sort') ?? 'created';
    const direction = ctx.query.get('direction') ?? (sort === 'created' ? 'desc' : 'desc');
    let pulls = [...fake.store.pulls.values()].filter(
      (p) =>
        p.repo === full &&
        (state === 'all' || p.state === state) &&
        (!baseFilter || p.baseRef === baseFilter) &&
        (!headFilter || `${fake.repo(p.headRepo).owner}:${p.headRef}` === headFilter),
    );
    const key = (p: PullRecord) => (sort === 'updated' ? `${p.updatedAt}|${String(p.id).padStart(12, '0')}` : String(p.id).padStart(12, '0'));
    pulls = pulls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if (direction === 'desc') pulls.reverse();
    const page = paginate(ctx, pulls);
    const urls = fake.urls(ctx.apiBase);
    const shas = await Promise.all(page.items.map((pull) => fake.pullShas(pull)));
    return ok(page.items.map((pull, i) => pullJson(fake.store, pull, shas[i], urls, false)), 200, page.headers);
  });

  fake.route('GET /repos/:owner/:repo/pulls/:pull_number', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const pull = pullOr404(fake, repo, ctx.params.pull_number);
    return ok(await fake.pullJson(pull, ctx.apiBase));
  });

  fake.route('GET /repos/:owner/:repo/pulls/:pull_number/files', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const pull = pullOr404(fake, repo, ctx.params.pull_number);
    const shas = await fake.pullShas(pull);
    const mergeBase = (await repo.git.mergeBase(shas.base, shas.head)) ?? EMPTY_TREE;
    const files = await repo.git.diff(mergeBase, shas.head);
    const page = paginate(ctx, files, { maxItems: PULL_FILES_MAX });
    const full = `${repo.owner}/${repo.name}`;
    return ok(
      page.items.map((f) => fileJson(f, full, shas.head, ctx.apiBase, fake.url)),
      200,
      page.headers,
    );
  });

  fake.route('GET /repos/:owner/:repo/pulls/:pull_number/commits', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const pull = pullOr404(fake, repo, ctx.params.pull_number);
    const shas = await fake.pullShas(pull);
    const list = (await repo.git.commitsBetween(shas.base, shas.head)).slice(0, COMPARE_COMMITS_MAX);
    const page = paginate(ctx, list);
    const urls = fake.urls(ctx.apiBase);
    const commits = [];
    for (const sha of page.items) commits.push(commitJson(fake.store, `${repo.owner}/${repo.name}`, (await repo.git.commit(sha))!, urls));
    return ok(commits, 200, page.headers);
  });

  // ---- git data ----

  fake.route('GET /repos/:owner/:repo/git/ref/*ref', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const ref = `refs/${ctx.params.ref}`;
    const sha = /^refs\/(heads|tags)\/./.test(ref) ? await repo.git.resolve(ref) : undefined;
    if (!sha) throw notFound('https://docs.github.com/rest/git/refs#get-a-reference');
    const full = `${repo.owner}/${repo.name}`;
    const type = (await repo.git.object(sha))?.type ?? 'commit';
    return ok({
      ref,
      node_id: nodeId('REF', ref),
      url: `${ctx.apiBase}/repos/${full}/git/${ref}`,
      object: { sha, type, url: `${ctx.apiBase}/repos/${full}/git/${type}s/${sha}` },
    });
  });

  fake.route('GET /repos/:owner/:repo/branches/:branch', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const sha = await repo.git.resolveCommit(`refs/heads/${ctx.params.branch}`);
    if (!sha) throw new HttpError(404, 'Branch not found', { documentation_url: 'https://docs.github.com/rest/branches/branches#get-a-branch' });
    const full = `${repo.owner}/${repo.name}`;
    const commit = (await repo.git.commit(sha))!;
    return ok({
      name: ctx.params.branch,
      commit: commitJson(fake.store, full, commit, fake.urls(ctx.apiBase)),
      protected: false,
      _links: { self: `${ctx.apiBase}/repos/${full}/branches/${ctx.params.branch}`, html: `${fake.url}/${full}/tree/${ctx.params.branch}` },
    });
  });

  fake.route('GET /repos/:owner/:repo/git/trees/:tree_sha', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const full = `${repo.owner}/${repo.name}`;
    const tree = await repo.git.treeOf(ctx.params.tree_sha);
    if (!tree) throw notFound('https://docs.github.com/rest/git/trees#get-a-tree');
    // Any value of `recursive` (even 0 or false) asks for the whole tree, as GitHub documents.
    const recursive = ctx.query.has('recursive');
    const entries = await repo.git.listTree(tree, recursive);
    const limit = fake.options.treeEntryLimit;
    const truncated = recursive && entries.length > limit;
    const shown = truncated ? entries.slice(0, limit) : entries;
    return ok({
      sha: tree,
      url: `${ctx.apiBase}/repos/${full}/git/trees/${tree}`,
      tree: shown.map((e: TreeEntry) => {
        const entry: Record<string, unknown> = { path: e.path, mode: e.mode, type: e.type, sha: e.sha };
        if (e.type === 'blob') entry.size = e.size;
        if (e.type !== 'commit') entry.url = `${ctx.apiBase}/repos/${full}/git/${e.type}s/${e.sha}`;
        return entry;
      }),
      truncated,
    });
  });

  fake.route('GET /repos/:owner/:repo/git/blobs/:file_sha', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const sha = ctx.params.file_sha;
    const object = /^[0-9a-f]{40}$/.test(sha) ? await repo.git.object(sha) : undefined;
    if (!object || object.type !== 'blob') throw notFound('https://docs.github.com/rest/git/blobs#get-a-blob');
    if (wantsRaw(ctx)) return { status: 200, body: object.content, raw: { contentType: 'application/octet-stream' } };
    return ok({
      sha: object.oid,
      node_id: nodeId('B', object.oid),
      size: object.content.length,
      url: `${ctx.apiBase}/repos/${repo.owner}/${repo.name}/git/blobs/${object.oid}`,
      content: githubBase64(object.content),
      encoding: 'base64',
    });
  });

  fake.route('GET /repos/:owner/:repo/git/commits/:commit_sha', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const commit = /^[0-9a-f]{40}$/.test(ctx.params.commit_sha) ? await repo.git.commit(ctx.params.commit_sha) : undefined;
    if (!commit) throw notFound('https://docs.github.com/rest/git/commits#get-a-commit-object');
    const full = `${repo.owner}/${repo.name}`;
    const api = `${ctx.apiBase}/repos/${full}`;
    return ok({
      sha: commit.sha,
      node_id: nodeId('C', commit.sha),
      url: `${api}/git/commits/${commit.sha}`,
      html_url: `${fake.url}/${full}/commit/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}`, html_url: `${fake.url}/${full}/commit/${sha}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    });
  });

  // ---- contents ----

  const contents = async (ctx: Parameters<Parameters<FakeGitHub['route']>[1]>[0]) => {
    const repo = fake.repoFor(ctx);
    const full = `${repo.owner}/${repo.name}`;
    const ref = ctx.query.get('ref') || repo.defaultBranch;
    const commit = await commitOr404(repo, ref);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const api = `${ctx.apiBase}/repos/${full}`;
    const describe = (entry: { path: string; type: string; sha: string; size?: number }, type: string) => {
      const url = `${api}/contents/${encodePath(entry.path)}?ref=${encodeURIComponent(ref)}`;
      const gitUrl = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
      const htmlUrl = `${fake.url}/${full}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${encodePath(entry.path)}`;
      return {
        name: entry.path.split('/').pop() ?? entry.path,
        path: entry.path,
        sha: entry.sha,
        size: entry.size ?? 0,
        url,
        html_url: htmlUrl,
        git_url: gitUrl,
        download_url: type === 'file' ? `${fake.url}/${full}/raw/${ref}/${encodePath(entry.path)}` : null,
        type,
        _links: { self: url, git: gitUrl, html: htmlUrl },
      };
    };
    const typeOf = (e: TreeEntry) => (e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file');
    let target: TreeEntry | undefined;
    if (path !== '') {
      const listed = await repo.git.listTree(`${commit}:${path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''}`, false).catch(() => []);
      target = listed.find((e) => e.path === path.split('/').pop());
      if (!target) throw notFound(DOC_CONTENTS);
      target = { ...target, path };
    }
    if (path === '' || target?.type === 'tree') {
      const entries = await repo.git.listTree(path === '' ? commit : `${commit}:${path}`, false);
      const listing = entries.map((e) => describe({ ...e, path: path === '' ? e.path : `${path}/${e.path}` }, typeOf(e)));
      return ok(listing);
    }
    const entry = target!;
    if (entry.type === 'commit') return ok({ ...describe(entry, 'submodule'), submodule_git_url: '' });
    const object = (await repo.git.object(entry.sha))!;
    if (wantsRaw(ctx)) return { status: 200, body: object.content, raw: { contentType: 'text/plain; charset=utf-8' } };
    const type = typeOf(entry);
    const base = describe({ ...entry, size: object.content.length }, type);
    if (type === 'symlink') return ok({ ...base, target: object.content.toString('utf8') });
    const small = object.content.length <= CONTENTS_MAX;
    return ok({ ...base, content: small ? githubBase64(object.content) : '', encoding: small ? 'base64' : 'none' });
  };
  fake.route('GET /repos/:owner/:repo/contents', contents);
  fake.route('GET /repos/:owner/:repo/contents/*path', contents);

  // ---- archives: GitHub answers 302 to codeload; the fake serves the archive itself at /_codeload ----

  for (const format of ['tarball', 'zipball'] as const) {
    const archive = async (ctx: Parameters<Parameters<FakeGitHub['route']>[1]>[0]) => {
      const repo = fake.repoFor(ctx);
      const ref = ctx.params.ref || repo.defaultBranch;
      const sha = await repo.git.resolveCommit(ref);
      if (!sha) throw notFound('https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar');
      const kind = format === 'tarball' ? 'legacy.tar.gz' : 'legacy.zip';
      return { status: 302, headers: { location: `${fake.url}/_codeload/${repo.owner}/${repo.name}/${kind}/${sha}` } };
    };
    fake.route(`GET /repos/:owner/:repo/${format}`, archive);
    fake.route(`GET /repos/:owner/:repo/${format}/:ref`, archive);
  }

  fake.route('GET /_codeload/:owner/:repo/:kind/:sha', async (ctx) => {
    const repo = fake.store.repo(`${ctx.params.owner}/${ctx.params.repo}`);
    const sha = repo ? await repo.git.resolveCommit(ctx.params.sha) : undefined;
    if (!repo || !sha || !['legacy.tar.gz', 'legacy.zip'].includes(ctx.params.kind)) throw notFound();
    const format = ctx.params.kind === 'legacy.zip' ? 'zip' : 'tar.gz';
    // GitHub's archives hold one top folder named <owner>-<repo>-<short sha>.
    const prefix = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}/`;
    const { stdout } = await repo.git.git(['archive', `--format=${format}`, `--prefix=${prefix}`, sha]);
    return {
      status: 200,
      body: stdout,
      raw: { contentType: format === 'zip' ? 'application/zip' : 'application/x-gzip' },
      headers: { 'content-disposition': `attachment; filename=${prefix.slice(0, -1)}.${format}` },
    };
  });

  fake.route('GET /rate_limit', () => {
    const reset = Math.ceil(fake.now() / 1000) + 3600;
    const resource = { limit: 5000, used: 1, remaining: 4999, reset };
    return ok({ resources: { core: resource, graphql: resource, search: { ...resource, limit: 30, remaining: 29 } }, rate: resource });
  });

  // ---- commits and compare ----

  fake.route('GET /repos/:owner/:repo/commits/:ref', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const sha = await repo.git.resolveCommit(ctx.params.ref);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`, { documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit' });
    if (/application\/vnd\.github(\.v3)?\.sha/.test(String(ctx.headers.accept ?? ''))) {
      return { status: 200, body: sha, raw: { contentType: 'application/vnd.github.sha; charset=utf-8' } };
    }
    const full = `${repo.owner}/${repo.name}`;
    const commit = (await repo.git.commit(sha))!;
    const files = await repo.git.diff(commit.parents[0] ?? EMPTY_TREE, sha);
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    const page = paginate(ctx, files, { defaultPerPage: 300 });
    return ok(
      {
        ...commitJson(fake.store, full, commit, fake.urls(ctx.apiBase)),
        stats: { total: additions + deletions, additions, deletions },
        files: page.items.map((f) => fileJson(f, full, sha, ctx.apiBase, fake.url)),
      },
      200,
      page.headers,
    );
  });

  fake.route('GET /repos/:owner/:repo/compare/:basehead', async (ctx) => {
    const repo = fake.repoFor(ctx);
    const match = /^(.+?)(\.\.\.?)(.+)$/.exec(ctx.params.basehead);
    if (!match) throw notFound('https://docs.github.com/rest/commits/commits#compare-two-commits');
    const [, baseRef, , headRef] = match;
    const base = await repo.git.resolveCommit(baseRef);
    const head = await repo.git.resolveCommit(headRef);
    if (!base || !head) throw notFound('https://docs.github.com/rest/commits/commits#compare-two-commits');
    const full = `${repo.owner}/${repo.name}`;
    const urls = fake.urls(ctx.apiBase);
    const mergeBase = await repo.git.mergeBase(base, head);
    const ahead = await repo.git.commitsBetween(base, head);
    const behind = await repo.git.commitsBetween(head, base);
    const status = base === head ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
    const files = await repo.git.diff(mergeBase ?? EMPTY_TREE, head);
    const show = async (sha: string) => commitJson(fake.store, full, (await repo.git.commit(sha))!, urls);
    const commits = [];
    for (const sha of ahead.slice(0, COMPARE_COMMITS_MAX)) commits.push(await show(sha));
    return ok({
      url: `${ctx.apiBase}/repos/${full}/compare/${ctx.params.basehead}`,
      html_url: `${fake.url}/${full}/compare/${ctx.params.basehead}`,
      permalink_url: `${fake.url}/${full}/compare/${base}...${head}`,
      base_commit: await show(base),
      merge_base_commit: mergeBase ? await show(mergeBase) : null,
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits,
      files: files.slice(0, COMPARE_FILES_MAX).map((f) => fileJson(f, full, head, ctx.apiBase, fake.url)),
    });
  });
}
