// Situations the App's tests need: the grove monorepo PR, a fork PR, installations that don't cover a repository,
// archives, and payload builders that keep every key of GitHub's examples.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanupRepos } from '../helpers/git-repo.js';
import { fakeOctokit } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { checkRunEvent, checkSuiteEvent, missingKeys, pullRequestEvent, pushEvent, webhookFixture, type WebhookFixture } from './payloads.js';
import { privateClone, removeClones, seedGrove, seedRepo, type SeededGrove } from './seed.js';

let fake: FakeGitHub;
let grove: SeededGrove;

beforeAll(async () => {
  fake = await startFakeGitHub();
  grove = await seedGrove(fake);
}, 180_000);

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

describe('the grove monorepo', () => {
  test('its PRs are open onto main, and GitHub\'s test merge of `pr` has main\'s 085 and the PR\'s files', async () => {
    const octokit = fakeOctokit(fake);
    const { data } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'grove', pull_number: grove.pulls.pr.number });
    expect(data).toMatchObject({ title: 'Drop the shop tables', mergeable: true, base: { ref: 'main' }, head: { ref: 'pr' } });
    const git = grove.repo.git;
    expect(await git.resolve(`${data.merge_commit_sha}:libs/engine/migrations/085_meadow_post_pins.sql`)).toBeDefined();
    expect(await git.resolve(`${data.merge_commit_sha}:libs/engine/migrations/085_drop_shop_tables.sql`)).toBeDefined();
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: 'acme', repo: 'grove', pull_number: grove.pulls.pr.number, per_page: 100 });
    expect(files.map((f) => f.filename)).toEqual(
      expect.arrayContaining([
        'libs/engine/migrations/085_drop_shop_tables.sql',
        'libs/engine/migrations/085b_drop_lemonsqueezy_columns.sql',
        'apps/landing/migrations/0008_vista_uptime_checks.sql',
      ]),
    );
    expect(files.find((f) => f.filename === 'libs/engine/src/lib/payments/shop.ts')?.status).toBe('removed');
  });

  test('a whole review\'s files load in four reads: two recursive trees, the file list, one GraphQL batch', async () => {
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner: 'acme', repo: 'grove' });
    const pr = (await octokit.rest.pulls.get({ owner: 'acme', repo: 'grove', pull_number: grove.pulls.pr.number })).data;
    fake.clearRequests();
    const [base, head] = await Promise.all([
      octokit.rest.git.getTree({ owner: 'acme', repo: 'grove', tree_sha: pr.base.sha, recursive: '1' }),
      octokit.rest.git.getTree({ owner: 'acme', repo: 'grove', tree_sha: pr.merge_commit_sha!, recursive: '1' }),
    ]);
    await octokit.rest.pulls.listFiles({ owner: 'acme', repo: 'grove', pull_number: pr.number, per_page: 100 });
    const sql = new Map<string, string>();
    for (const tree of [base, head]) for (const e of tree.data.tree) if (e.type === 'blob' && e.path!.endsWith('.sql')) sql.set(e.sha!, e.path!);
    expect(sql.size).toBeGreaterThan(120);
    const oids = [...sql.keys()];
    const result = await octokit.graphql<{ repository: Record<string, { text: string }> }>(
      `{ repository(owner: "acme", name: "grove") { ${oids.map((oid, i) => `b${i}: object(oid: "${oid}") { ... on Blob { text } }`).join(' ')} } }`,
    );
    expect(Object.keys(result.repository)).toHaveLength(oids.length);
    const shop = oids.findIndex((oid) => sql.get(oid) === 'libs/engine/migrations/085_drop_shop_tables.sql');
    expect(result.repository[`b${shop}`].text).toContain('DROP TABLE');
    expect(fake.reads()).toHaveLength(4);
    expect(fake.writes()).toHaveLength(0);
  });

  test('builders keep every key of GitHub\'s examples (check_run, check_suite, push, pull_request)', async () => {
    const octokit = fakeOctokit(fake);
    const pull = grove.pulls.prClean;
    const head = (await fake.pullShas(pull)).head;
    const created = await octokit.rest.checks.create({ owner: 'acme', repo: 'grove', name: 'Migration Safari', head_sha: head, status: 'in_progress' });
    const run = fake.store.checkRuns.get(created.data.id)!;
    const before = (await grove.repo.git.resolveCommit('main'))!;
    await fake.push('acme/grove', 'main', { 'libs/engine/migrations/086_x.sql': 'CREATE TABLE x (id);\n' });
    const cases: Array<[WebhookFixture, Record<string, unknown>]> = [
      ['check_run.rerequested', (await checkRunEvent(fake, run, 'rerequested')).payload],
      ['check_suite.rerequested', (await checkSuiteEvent(fake, { repo: 'acme/grove', headSha: head })).payload],
      ['push', (await pushEvent(fake, { repo: 'acme/grove', before })).payload],
      ['pull_request.opened', (await pullRequestEvent(fake, pull, 'opened')).payload],
      ['pull_request.reopened', (await pullRequestEvent(fake, pull, 'reopened')).payload],
      ['pull_request.ready_for_review', (await pullRequestEvent(fake, pull, 'ready_for_review')).payload],
    ];
    for (const [name, payload] of cases) {
      // The examples' check runs come from another app with a deployment and a node_id; ours has neither.
      // (An app's permissions are data: ours replace the example app's, whose keys differ.)
      const missing = missingKeys(webhookFixture(name), payload).filter(
        (k) => k !== 'organization' && k !== 'check_run.deployment' && !k.includes('.permissions.'),
      );
      expect(missing, name).toEqual([]);
    }
  });
});

describe('a PR from a fork', () => {
  test('its head lives in the fork; the base repository serves its files and GitHub-style refs/pull/N/head', async () => {
    const { dir } = await seedRepo(
      fake,
      [{ branch: 'main', files: { 'migrations/0001.sql': 'CREATE TABLE a (id);\n' } }],
      { owner: 'acme', name: 'lib' },
    );
    const forkDir = await privateClone(dir);
    fake.addRepo({ owner: 'forker', name: 'lib', dir: forkDir, parent: 'acme/lib' });
    const { after } = await fake.push('forker/lib', 'feature', { 'migrations/0002.sql': 'CREATE TABLE b (id);\n' }, { from: 'main' });
    const pull = await fake.addPullRequest({ repo: 'acme/lib', head: 'feature', headRepo: 'forker/lib', user: 'forker' });
    const octokit = fakeOctokit(fake);
    const { data } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'lib', pull_number: pull.number });
    expect(data.head).toMatchObject({ sha: after, ref: 'feature', label: 'forker:feature', repo: { full_name: 'forker/lib', fork: true } });
    expect(data.base.repo.full_name).toBe('acme/lib');
    // The base repository has the fork's commit (as refs/pull/N/head) and serves its blobs and trees.
    const blob = await octokit.graphql<{ repository: { object: { text: string } } }>(
      `{ repository(owner: "acme", name: "lib") { object(expression: "${after}:migrations/0002.sql") { ... on Blob { text } } } }`,
    );
    expect(blob.repository.object.text).toBe('CREATE TABLE b (id);\n');
    const files = await octokit.rest.pulls.listFiles({ owner: 'acme', repo: 'lib', pull_number: pull.number });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([['migrations/0002.sql', 'added']]);
    const merge = await fake.repo('acme/lib').git.commit(data.merge_commit_sha!);
    expect(merge?.parents).toEqual([data.base.sha, after]);
    // A check run on the fork's head is allowed in the base repository; like GitHub, it lists no fork PRs.
    const check = await octokit.rest.checks.create({ owner: 'acme', repo: 'lib', name: 'Migration Safari', head_sha: after });
    expect(check.data.pull_requests).toEqual([]);
    const event = (await pullRequestEvent(fake, pull, 'opened')).payload as any;
    expect(event.pull_request.head.repo.full_name).toBe('forker/lib');
    expect(event.repository.full_name).toBe('acme/lib');
  });
});

describe('installations', () => {
  test('a token of another installation sees 404 for a repository it does not cover, REST and GraphQL', async () => {
    const { dir } = await seedRepo(fake, [{ branch: 'main', files: { 'a.sql': 'SELECT 1;\n' } }], { owner: 'other', name: 'private-lib' });
    void dir;
    fake.store.installations.set(2, { id: 2, account: 'elsewhere', accountType: 'Organization', repositories: [] });
    const foreign = fakeOctokit(fake, { auth: { token: fake.issueToken(2).token } });
    await expect(foreign.rest.repos.get({ owner: 'acme', repo: 'grove' })).rejects.toMatchObject({ status: 404 });
    const error: any = await foreign.graphql(`{ repository(owner: "acme", name: "grove") { name } }`).catch((e: unknown) => e);
    expect(error.errors[0].type).toBe('NOT_FOUND');
    const app = fakeOctokit(fake, { auth: 'app' });
    const installation = await app.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'grove' });
    expect(installation.data.id).toBe(1);
  });

  test('an expired installation token is refused with 401', async () => {
    const { token } = fake.issueToken();
    fake.store.tokens.get(token)!.expiresAt = '2000-01-01T00:00:00Z';
    const octokit = fakeOctokit(fake, { auth: { token } });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'grove' })).rejects.toMatchObject({ status: 401 });
  });
});

describe('archives and rate limits', () => {
  test('the tarball redirects to a codeload URL serving git archive of that commit', async () => {
    const octokit = fakeOctokit(fake);
    const response = await octokit.rest.repos.downloadTarballArchive({ owner: 'acme', repo: 'grove', ref: 'pr-clean' });
    const bytes = Buffer.from(response.data as ArrayBuffer);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const listing = execFileSync('tar', ['-tzf', '-'], { input: bytes }).toString('utf8').split('\n');
    const sha = (await grove.repo.git.resolveCommit('pr-clean'))!;
    expect(listing).toContain(`acme-grove-${sha.slice(0, 7)}/apps/ivy/migrations/0004_ivy_signatures.sql`);
    expect(fake.requestsTo('GET /repos/:owner/:repo/tarball/:ref')).toHaveLength(1);
    expect(fake.requestsTo('GET /_codeload/:owner/:repo/:kind/:sha')).toHaveLength(1);
  });

  test('GET /rate_limit answers in GitHub\'s shape', async () => {
    const { data } = await fakeOctokit(fake).rest.rateLimit.get();
    expect(data.resources.core).toMatchObject({ limit: 5000, remaining: 4999 });
    expect(data.rate.limit).toBe(5000);
  });
});
