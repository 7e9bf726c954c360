// The fake's REST endpoints for repositories, pull requests and git data, called through Probot's own Octokit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanupRepos } from '../helpers/git-repo.js';
import { fakeOctokit } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { removeClones, seedRepo } from './seed.js';
import type { PullRecord } from './store.js';

const INIT = 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n';
const RENAMED_BODY = 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n';

let fake: FakeGitHub;
let pull: PullRecord;
let octokit: ReturnType<typeof fakeOctokit>;
const owner = 'acme';
const repo = 'app';

beforeAll(async () => {
  fake = await startFakeGitHub();
  await seedRepo(fake, [
    {
      branch: 'main',
      files: {
        'migrations/0001_init.sql': INIT,
        'migrations/0002_posts.sql': RENAMED_BODY,
        'migrations/0003_old.sql': 'DROP TABLE IF EXISTS old;\n',
        'wrangler.toml': 'name = "app"\n',
        'docs/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]),
      },
    },
    {
      branch: 'pr',
      from: 'main',
      files: {
        'migrations/0004_comments.sql': 'CREATE TABLE comments (id INTEGER PRIMARY KEY);\n',
        'migrations/0002_posts.sql': null,
        'migrations/0002_create_posts.sql': RENAMED_BODY,
        'migrations/0001_init.sql': `${INIT}CREATE INDEX users_id ON users (id);\n`,
        'migrations/0003_old.sql': null,
      },
      message: 'Add comments',
    },
    { branch: 'main', files: { 'README.md': '# app\n' }, message: 'main moves on' },
  ]);
  pull = await fake.addPullRequest({ repo: `${owner}/${repo}`, head: 'pr', title: 'Comments', user: 'maple' });
  octokit = fakeOctokit(fake);
});

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

describe('repositories and pull requests', () => {
  test('GET /repos/:o/:r has GitHub\'s fields', async () => {
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data).toMatchObject({ name: 'app', full_name: 'acme/app', default_branch: 'main', private: false, fork: false });
    expect(data.owner.login).toBe('acme');
  });

  test('a PR exposes head and base shas from git and a test-merge commit whose parents are exactly base and head', async () => {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
    const git = fake.repo('acme/app').git;
    expect(data.head.sha).toBe(await git.resolveCommit('refs/heads/pr'));
    expect(data.base.sha).toBe(await git.resolveCommit('refs/heads/main'));
    expect(data).toMatchObject({ number: pull.number, state: 'open', draft: false, mergeable: true, mergeable_state: 'clean' });
    // Counted from git: one commit; four files changed since the merge-base (README.md moved on main only).
    expect(data).toMatchObject({ commits: 1, changed_files: 4, additions: 2, deletions: 1 });
    expect(data.head.repo?.full_name).toBe('acme/app');
    const merge = await git.commit(data.merge_commit_sha!);
    expect(merge?.parents).toEqual([data.base.sha, data.head.sha]);
    // The merge holds both sides: main's README and the PR's new migration.
    expect(await git.resolve(`${data.merge_commit_sha}:README.md`)).toBeDefined();
    expect(await git.resolve(`${data.merge_commit_sha}:migrations/0004_comments.sql`)).toBeDefined();
  });

  test('the file list is merge-base → head with GitHub statuses, rename detection and pagination', async () => {
    const first = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pull.number, per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull.number, per_page: 2 });
    const byName = Object.fromEntries(files.map((f) => [f.filename, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'migrations/0001_init.sql',
      'migrations/0002_create_posts.sql',
      'migrations/0003_old.sql',
      'migrations/0004_comments.sql',
    ]);
    expect(byName['migrations/0001_init.sql']).toMatchObject({ status: 'modified', additions: 1, deletions: 0, changes: 1 });
    expect(byName['migrations/0002_create_posts.sql']).toMatchObject({ status: 'renamed', previous_filename: 'migrations/0002_posts.sql' });
    expect(byName['migrations/0003_old.sql']).toMatchObject({ status: 'removed', deletions: 1 });
    expect(byName['migrations/0004_comments.sql']).toMatchObject({ status: 'added', additions: 1 });
    // README.md changed on main only: not the PR's change.
    expect(byName['README.md']).toBeUndefined();
    const blob = await fake.repo('acme/app').git.resolve('pr:migrations/0004_comments.sql');
    expect(byName['migrations/0004_comments.sql'].sha).toBe(blob);
  });

  test('open PRs are listed, most recently updated first when asked', async () => {
    const other = await fake.addPullRequest({ repo: 'acme/app', head: 'pr', title: 'Second' });
    other.updatedAt = '2030-01-01T00:00:00Z';
    const { data } = await octokit.rest.pulls.list({ owner, repo, state: 'open', sort: 'updated', direction: 'desc' });
    expect(data.map((p) => p.number)).toEqual([other.number, pull.number]);
    other.state = 'closed';
    const open = await octokit.rest.pulls.list({ owner, repo, state: 'open' });
    expect(open.data.map((p) => p.number)).toEqual([pull.number]);
  });

  test('a PR number that does not exist is a 404', async () => {
    await expect(octokit.rest.pulls.get({ owner, repo, pull_number: 999 })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.get({ owner, repo: 'nope' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('git data', () => {
  test('a recursive tree lists every entry with sizes, and truncates past the configured limit', async () => {
    const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: 'main', recursive: '1' });
    expect(data.truncated).toBe(false);
    const paths = data.tree.map((e) => e.path);
    expect(paths).toContain('migrations');
    expect(paths).toContain('migrations/0001_init.sql');
    const init = data.tree.find((e) => e.path === 'migrations/0001_init.sql')!;
    expect(init).toMatchObject({ type: 'blob', mode: '100644', size: Buffer.byteLength(INIT) });
    expect(data.tree.find((e) => e.path === 'migrations')).toMatchObject({ type: 'tree', mode: '040000' });
    expect(data.tree.find((e) => e.path === 'migrations')).not.toHaveProperty('size');

    fake.options.treeEntryLimit = 3;
    try {
      const cut = await octokit.rest.git.getTree({ owner, repo, tree_sha: 'main', recursive: '1' });
      expect(cut.data.truncated).toBe(true);
      expect(cut.data.tree).toHaveLength(3);
      // A per-folder listing (not recursive) is never truncated: how a client recovers.
      const folder = data.tree.find((e) => e.path === 'migrations')!;
      const listing = await octokit.rest.git.getTree({ owner, repo, tree_sha: folder.sha! });
      expect(listing.data.truncated).toBe(false);
      expect(listing.data.tree.map((e) => e.path)).toEqual(['0001_init.sql', '0002_posts.sql', '0003_old.sql']);
    } finally {
      fake.options.treeEntryLimit = 100_000;
    }
  });

  test('a blob comes back base64-encoded, binary included', async () => {
    const git = fake.repo('acme/app').git;
    const sha = (await git.resolve('main:docs/logo.png'))!;
    const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
    expect(data.encoding).toBe('base64');
    expect(data.size).toBe(8);
    expect([...Buffer.from(data.content, 'base64')]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]);
    await expect(octokit.rest.git.getBlob({ owner, repo, file_sha: '0'.repeat(40) })).rejects.toMatchObject({ status: 404 });
  });

  test('contents: a file, a directory listing, raw format, and 404s like GitHub', async () => {
    const file = await octokit.rest.repos.getContent({ owner, repo, path: 'migrations/0001_init.sql', ref: 'main' });
    expect(Array.isArray(file.data)).toBe(false);
    const body = file.data as { type: string; encoding: string; content: string; path: string; name: string; sha: string };
    expect(body).toMatchObject({ type: 'file', encoding: 'base64', path: 'migrations/0001_init.sql', name: '0001_init.sql' });
    expect(Buffer.from(body.content, 'base64').toString('utf8')).toBe(INIT);

    const dir = await octokit.rest.repos.getContent({ owner, repo, path: 'migrations', ref: 'pr' });
    expect((dir.data as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([
      ['0001_init.sql', 'file'],
      ['0002_create_posts.sql', 'file'],
      ['0004_comments.sql', 'file'],
    ]);
    const root = await octokit.request('GET /repos/{owner}/{repo}/contents', { owner, repo });
    expect((root.data as Array<{ name: string; type: string }>).map((e) => e.name)).toEqual(['docs', 'migrations', 'wrangler.toml', 'README.md'].sort());

    const raw = await octokit.rest.repos.getContent({ owner, repo, path: 'wrangler.toml', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('name = "app"\n');

    await expect(octokit.rest.repos.getContent({ owner, repo, path: 'migrations/0004_comments.sql', ref: 'main' })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.getContent({ owner, repo, path: 'nope/x.sql' })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.getContent({ owner, repo, path: 'wrangler.toml', ref: 'no-such-branch' })).rejects.toMatchObject({ status: 404 });
  });

  test('Probot\'s config plugin reads .github/<file> through the contents API (raw), and a missing file is no config', async () => {
    const none = await octokit.config.get({ owner, repo, path: '.github/safari.yml' });
    expect(none.config).toEqual({});
    await fake.push('acme/app', 'main', { '.github/safari.yml': 'failOn: warning\n' });
    const found = await octokit.config.get({ owner, repo, path: '.github/safari.yml' });
    expect(found.config).toEqual({ failOn: 'warning' });
  });

  test('a commit, a ref and a compare', async () => {
    const git = fake.repo('acme/app').git;
    const head = (await git.resolveCommit('refs/heads/pr'))!;
    const commit = await octokit.rest.repos.getCommit({ owner, repo, ref: 'pr' });
    expect(commit.data.sha).toBe(head);
    expect(commit.data.commit.message).toBe('Add comments');
    expect(commit.data.parents).toHaveLength(1);
    expect(commit.data.files?.map((f) => f.filename)).toContain('migrations/0004_comments.sql');

    const ref = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/pr' });
    expect(ref.data).toMatchObject({ ref: 'refs/heads/pr', object: { sha: head, type: 'commit' } });
    await expect(octokit.rest.git.getRef({ owner, repo, ref: 'heads/none' })).rejects.toMatchObject({ status: 404 });

    const compare = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'main...pr' });
    expect(compare.data).toMatchObject({ status: 'diverged', ahead_by: 1 });
    expect(compare.data.behind_by).toBeGreaterThanOrEqual(1);
    expect(compare.data.merge_base_commit.sha).toBe(await git.mergeBase('main', 'pr'));
    expect(compare.data.files?.map((f) => f.filename)).toContain('migrations/0004_comments.sql');
  });
});

describe('moving branches', () => {
  test('a push to the PR branch moves the PR head, its updated_at, and recomputes the test merge', async () => {
    const before = await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
    pull.updatedAt = '2001-01-01T00:00:00Z';
    await fake.push('acme/app', 'main', { 'base-only.md': 'x\n' });
    expect(pull.updatedAt).toBe('2001-01-01T00:00:00Z');
    const { after } = await fake.push('acme/app', 'pr', { 'migrations/0005_more.sql': 'SELECT 1;\n' }, { message: 'more' });
    const now = await octokit.rest.pulls.get({ owner, repo, pull_number: pull.number });
    expect(now.data.head.sha).toBe(after);
    expect(now.data.updated_at).not.toBe('2001-01-01T00:00:00Z');
    expect(now.data.merge_commit_sha).not.toBe(before.data.merge_commit_sha);
    const merge = await fake.repo('acme/app').git.commit(now.data.merge_commit_sha!);
    expect(merge?.parents).toEqual([now.data.base.sha, after]);
  });

  test('a conflicting PR is not mergeable and has no merge commit', async () => {
    await fake.push('acme/app', 'conflict-a', { 'migrations/0001_init.sql': 'CREATE TABLE a (x);\n' }, { from: 'main' });
    await fake.push('acme/app', 'main', { 'migrations/0001_init.sql': 'CREATE TABLE b (y);\n' });
    const conflicting = await fake.addPullRequest({ repo: 'acme/app', head: 'conflict-a' });
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: conflicting.number });
    expect(data).toMatchObject({ mergeable: false, mergeable_state: 'dirty', merge_commit_sha: null });
  });

  test('while GitHub computes the test merge, mergeable is null; a frozen merge goes stale when the base moves', async () => {
    await fake.push('acme/app', 'pending', { 'migrations/0009_p.sql': 'SELECT 1;\n' }, { from: 'main' });
    const pending = await fake.addPullRequest({ repo: 'acme/app', head: 'pending', pendingMergeReads: 1, mergeMode: 'frozen' });
    const first = await octokit.rest.pulls.get({ owner, repo, pull_number: pending.number });
    expect(first.data.mergeable).toBeNull();
    const second = await octokit.rest.pulls.get({ owner, repo, pull_number: pending.number });
    expect(second.data.mergeable).toBe(true);
    const { after } = await fake.push('acme/app', 'main', { 'NOTES.md': 'x\n' });
    const third = await octokit.rest.pulls.get({ owner, repo, pull_number: pending.number });
    expect(third.data.base.sha).toBe(after);
    // The stale merge commit's first parent is the old base tip, not the current one.
    const merge = await fake.repo('acme/app').git.commit(third.data.merge_commit_sha!);
    expect(merge?.parents[0]).toBe(second.data.base.sha);
    expect(merge?.parents[0]).not.toBe(after);
  });
});

describe('GitHub\'s caps', () => {
  test('a PR\'s file list stops at 3,000 files, as GitHub\'s does', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3005; i++) files[`bulk/${String(i).padStart(4, '0')}.sql`] = `SELECT ${i};\n`;
    await fake.push('acme/app', 'huge', files, { from: 'main' });
    const huge = await fake.addPullRequest({ repo: 'acme/app', head: 'huge' });
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: huge.number, per_page: 100 });
    expect(listed).toHaveLength(3000);
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: huge.number });
    // The PR object still counts every file: how a client knows the list was cut.
    expect(data.changed_files).toBe(3005);
  });

  test('contents of a file over 1 MB come without content (encoding none), as GitHub\'s; raw and blobs still serve it', async () => {
    const big = `-- ${'x'.repeat(1024 * 1024)}\n`;
    await fake.push('acme/app', 'big', { 'big.sql': big }, { from: 'main' });
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path: 'big.sql', ref: 'big' });
    expect(data).toMatchObject({ type: 'file', encoding: 'none', content: '', size: Buffer.byteLength(big) });
    const raw = await octokit.rest.repos.getContent({ owner, repo, path: 'big.sql', ref: 'big', mediaType: { format: 'raw' } });
    expect((raw.data as unknown as string).length).toBe(big.length);
    const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: (data as { sha: string }).sha });
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(big);
  });

  test('mergeMode none: no test merge at all (mergeable null, no merge_commit_sha)', async () => {
    const none = await fake.addPullRequest({ repo: 'acme/app', head: 'pr', mergeMode: 'none' });
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: none.number });
    expect(data).toMatchObject({ mergeable: null, mergeable_state: 'unknown', merge_commit_sha: null });
  });
});
