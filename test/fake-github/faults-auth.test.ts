// Fault injection against octokit's real retry and throttling plugins, App authentication, and the request log.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanupRepos } from '../helpers/git-repo.js';
import { appCredentials, fakeOctokit, testKeys } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { graphqlSomethingWentWrong, secondaryRateLimit, serverError, tooManyRequests } from './faults.js';
import { removeClones, seedRepo } from './seed.js';

let fake: FakeGitHub;
let headSha: string;
const owner = 'acme';
const repo = 'app';

beforeAll(async () => {
  // This fake checks the App's JWTs against its public key, as GitHub does.
  fake = await startFakeGitHub({ appPublicKey: testKeys().publicKey });
  await seedRepo(fake, [
    { branch: 'main', files: { 'migrations/0001.sql': 'CREATE TABLE a (id);\n' } },
    { branch: 'pr', from: 'main', files: { 'migrations/0002.sql': 'CREATE TABLE b (id);\n' } },
  ]);
  const pull = await fake.addPullRequest({ repo: 'acme/app', head: 'pr' });
  headSha = (await fake.pullShas(pull)).head;
});

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

describe('faults', () => {
  test('a 500 then success: octokit\'s retry plugin retries and the second answer wins', async () => {
    const octokit = fakeOctokit(fake, { retry: true, throttle: true, retryAfterBaseValue: 1 });
    await octokit.rest.repos.get({ owner, repo }); // token fetched before the fault is armed
    fake.clearRequests();
    const fault = fake.fail('GET /repos/:owner/:repo/pulls/:pull_number', serverError(1));
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(data.head.sha).toBe(headSha);
    expect(fault.hits).toBe(1);
    expect(fake.requests.map((r) => [r.path, r.status, r.fault])).toEqual([
      ['/repos/acme/app/pulls/1', 500, true],
      ['/repos/acme/app/pulls/1', 200, false],
    ]);
  });

  test('without retry the first 500 surfaces; a fault for good keeps failing', async () => {
    const octokit = fakeOctokit(fake);
    fake.fail('POST /repos/acme/app/check-runs', { status: 502, times: Infinity });
    try {
      for (let i = 0; i < 3; i++) {
        await expect(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: headSha })).rejects.toMatchObject({ status: 502 });
      }
      expect(fake.checkRuns('acme/app')).toHaveLength(0);
    } finally {
      fake.faults.clear();
    }
  });

  test('a secondary rate limit (403 + retry-after) is retried by the throttling plugin', async () => {
    const octokit = fakeOctokit(fake, { retry: true, throttle: true, retryAfterBaseValue: 1 });
    await octokit.rest.repos.get({ owner, repo });
    fake.clearRequests();
    fake.fail('GET /repos/:owner/:repo/git/trees/:tree_sha', secondaryRateLimit(1, 1));
    const tree = await octokit.rest.git.getTree({ owner, repo, tree_sha: headSha, recursive: '1' });
    expect(tree.data.tree.length).toBeGreaterThan(0);
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200]);
    const [first] = fake.requests;
    expect(first.fault).toBe(true);
  });

  test('429 with retry-after, and GraphQL\'s "Something went wrong", are retried too', async () => {
    const octokit = fakeOctokit(fake, { retry: true, throttle: true, retryAfterBaseValue: 1 });
    await octokit.rest.repos.get({ owner, repo });
    fake.clearRequests();
    fake.fail('GET /repos/:owner/:repo', tooManyRequests(1, 1));
    await octokit.rest.repos.get({ owner, repo });
    fake.fail('POST /graphql', graphqlSomethingWentWrong(1));
    const result = await octokit.graphql<{ repository: { name: string } }>(`{ repository(owner: "acme", name: "app") { name } }`);
    expect(result.repository.name).toBe('app');
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /repos/acme/app 429',
      'GET /repos/acme/app 200',
      'POST /graphql 200',
      'POST /graphql 200',
    ]);
    expect(fake.requests.filter((r) => r.fault)).toHaveLength(2);
  });

  test('a wildcard fault (any method, the rest of a path) hits reads and writes under it, nothing else', async () => {
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner, repo });
    const fault = fake.fail('* /repos/acme/app/issues/*rest', { status: 503, times: 2 });
    await expect(octokit.rest.issues.listComments({ owner, repo, issue_number: 1 })).rejects.toMatchObject({ status: 503 });
    await octokit.rest.repos.get({ owner, repo });
    await expect(octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'x' })).rejects.toMatchObject({ status: 503 });
    expect(fault.hits).toBe(2);
    await octokit.rest.issues.listComments({ owner, repo, issue_number: 1 });
  });

  test('faults count down per match and leave other routes alone', async () => {
    const octokit = fakeOctokit(fake);
    const fault = fake.fail('GET /repos/:owner/:repo/pulls/:pull_number', serverError(2));
    await octokit.rest.repos.get({ owner, repo });
    await expect(octokit.rest.pulls.get({ owner, repo, pull_number: 1 })).rejects.toMatchObject({ status: 500 });
    await expect(octokit.rest.pulls.get({ owner, repo, pull_number: 1 })).rejects.toMatchObject({ status: 500 });
    await octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(fault.hits).toBe(2);
    expect(fake.faults.pending()).toEqual([]);
  });
});

describe('a slow or hung GitHub', () => {
  test('a delayed request is served after the delay; a hung one never answers until the client gives up', async () => {
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner, repo });
    fake.clearRequests();
    fake.delay('GET /repos/:owner/:repo/pulls/:pull_number', 150);
    const started = performance.now();
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(data.number).toBe(1);
    expect(fake.requests[0]).toMatchObject({ delayedMs: 150, status: 200 });
    expect(fake.servingMs(fake.requests.slice(0, 1))).toBeGreaterThanOrEqual(140);

    fake.delay('GET /repos/:owner/:repo/git/trees/:tree_sha', Infinity);
    const hung = octokit.rest.git.getTree({ owner, repo, tree_sha: 'main', request: { signal: AbortSignal.timeout(300) } });
    await expect(hung).rejects.toThrow();
    // The next one is served normally.
    const tree = await octokit.rest.git.getTree({ owner, repo, tree_sha: 'main' });
    expect(tree.status).toBe(200);
  });
});

describe('secondary limits', () => {
  test('writes beyond writesPerMinute get GitHub\'s secondary rate limit until the minute has passed', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const limited = await startFakeGitHub({ secondaryLimits: { writesPerMinute: 2 }, now: () => clock });
    try {
      await seedRepo(limited, [{ branch: 'main', files: { 'a.sql': 'SELECT 1;\n' } }], { name: 'lim' });
      const issue = limited.addIssue({ repo: 'acme/lim' });
      const octokit = fakeOctokit(limited, { auth: { token: limited.issueToken().token } });
      const write = () => octokit.rest.issues.createComment({ owner, repo: 'lim', issue_number: issue.number, body: 'x' });
      await write();
      await write();
      const refused: any = await write().catch((e: unknown) => e);
      expect(refused.status).toBe(403);
      expect(refused.message).toMatch(/secondary rate limit/);
      expect(refused.response.headers['retry-after']).toBe('1');
      // Reads are not writes.
      await octokit.rest.repos.get({ owner, repo: 'lim' });
      clock += 61_000;
      await write();
      expect(limited.requests.filter((r) => r.limited).map((r) => r.limited)).toEqual(['writesPerMinute']);
      expect(limited.comments('acme/lim', issue.number)).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  test('more requests in flight than concurrentRequests are refused with 403', async () => {
    const limited = await startFakeGitHub({ secondaryLimits: { concurrentRequests: 1 } });
    try {
      await seedRepo(limited, [{ branch: 'main', files: { 'a.sql': 'SELECT 1;\n' } }], { name: 'lim' });
      const octokit = fakeOctokit(limited, { auth: { token: limited.issueToken().token } });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => octokit.rest.git.getTree({ owner, repo: 'lim', tree_sha: 'main', recursive: '1' })));
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => (r as PromiseRejectedResult).reason.status === 403)).toBe(true);
      expect(limited.requests.filter((r) => r.limited === 'concurrentRequests')).toHaveLength(refused.length);
    } finally {
      await limited.close();
    }
  });
});

describe('App authentication', () => {
  test('the installation flow: a JWT-signed token request, then the token on every call', async () => {
    fake.clearRequests();
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner, repo });
    expect(fake.requests.map((r) => [r.method, r.path, r.kind, r.identity])).toEqual([
      ['POST', '/app/installations/1/access_tokens', 'auth', 'app'],
      ['GET', '/repos/acme/app', 'read', 'installation'],
    ]);
  });

  test('GET /app and the repository installation need the App JWT', async () => {
    const app = fakeOctokit(fake, { auth: 'app' });
    const { data } = await app.rest.apps.getAuthenticated();
    expect(data).toMatchObject({ id: fake.app.id, slug: 'migration-safari' });
    const installation = await app.rest.apps.getRepoInstallation({ owner, repo });
    expect(installation.data).toMatchObject({ id: 1, app_id: fake.app.id, account: { login: 'acme' } });
    // octokit's app auth sends the JWT for /app by itself; an installation token there is refused, as on GitHub.
    const asInstallation = fakeOctokit(fake, { auth: { token: fake.issueToken().token } });
    await expect(asInstallation.request('GET /app')).rejects.toMatchObject({ status: 401 });
    await expect(asInstallation.request('POST /app/installations/1/access_tokens')).rejects.toMatchObject({ status: 401 });
  });

  test('a JWT signed with another key is refused with 401', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const { ProbotOctokit } = await import('probot');
    const octokit = new ProbotOctokit({
      baseUrl: fake.url,
      auth: { appId: appCredentials(fake).appId, privateKey: other.privateKey },
      retry: { enabled: false },
      throttle: { enabled: false },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await expect(octokit.request('GET /app')).rejects.toMatchObject({ status: 401 });
  });

  test('the Enterprise prefix (/api/v3, /api/graphql) serves the same API and is recorded without it', async () => {
    fake.clearRequests();
    const octokit = fakeOctokit(fake, { enterprise: true });
    await octokit.rest.repos.get({ owner, repo });
    await octokit.graphql(`{ repository(owner: "acme", name: "app") { name } }`);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /app/installations/1/access_tokens 201',
      'GET /repos/acme/app 200',
      'POST /graphql 200',
    ]);
  });
});

describe('the request log', () => {
  test('counts reads and writes and records bodies, queries and routes', async () => {
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner, repo });
    fake.clearRequests();
    await octokit.rest.pulls.listFiles({ owner, repo, pull_number: 1, per_page: 50 });
    await octokit.graphql(`query { repository(owner: "acme", name: "app") { name } }`);
    await octokit.rest.checks.create({ owner, repo, name: 'Migration Safari', head_sha: headSha, status: 'in_progress' });
    expect(fake.reads()).toHaveLength(2);
    expect(fake.writes()).toHaveLength(1);
    const [files] = fake.reads();
    expect(files).toMatchObject({ route: 'GET /repos/:owner/:repo/pulls/:pull_number/files', query: { per_page: '50' }, status: 200 });
    expect(fake.writes()[0].body).toMatchObject({ name: 'Migration Safari', head_sha: headSha, status: 'in_progress' });
    expect(fake.requestsTo('POST /repos/:owner/:repo/check-runs')).toHaveLength(1);
    expect(fake.requestsTo('POST /repos/acme/app/check-runs')).toHaveLength(1);
  });

  test('servingMs counts the time the fake was busy, overlapping requests once', () => {
    const spans = [
      { startedMs: 0, durationMs: 10 },
      { startedMs: 5, durationMs: 10 },
      { startedMs: 7, durationMs: 2 },
      { startedMs: 30, durationMs: 5 },
    ] as Parameters<FakeGitHub['servingMs']>[0];
    expect(fake.servingMs(spans)).toBe(20);
  });

  test('a route the fake does not serve answers 404 JSON and is listed as unmatched', async () => {
    const octokit = fakeOctokit(fake);
    await octokit.rest.repos.get({ owner, repo });
    fake.clearRequests();
    await expect(octokit.rest.repos.listReleases({ owner, repo })).rejects.toMatchObject({ status: 404 });
    expect(fake.unmatched().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /repos/acme/app/releases']);
  });
});
