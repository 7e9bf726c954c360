// The end-to-end harness: a real Probot process started as `probot run` starts one, pointed at the fake through
// GHE_HOST/GHE_PROTOCOL, receiving signed webhooks over HTTP, stopped cleanly.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cleanupRepos } from '../helpers/git-repo.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { pullRequestEvent } from './payloads.js';
import { removeClones, seedRepo } from './seed.js';
import { spawnApp, type SpawnedApp } from './spawn-app.js';
import { sendWebhook } from './webhooks.js';
import { testKeys } from './client.js';

const SECRET = 'e2e-secret';
let fake: FakeGitHub;
let app: SpawnedApp | undefined;

beforeAll(async () => {
  fake = await startFakeGitHub({ appPublicKey: testKeys().publicKey, strictAuth: true });
  await seedRepo(fake, [
    { branch: 'main', files: { 'README.md': 'base\n', '.github/safari.yml': 'failOn: error\n' } },
    { branch: 'pr', from: 'main', files: { 'README.md': 'from the PR\n', 'migrations/0001.sql': 'CREATE TABLE a (id);\n' } },
  ]);
});

afterAll(async () => {
  await app?.stop({ graceMs: 3_000 });
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

test('a spawned Probot server reviews a signed webhook against the fake, refuses a bad signature, and stops on SIGTERM', async () => {
  app = await spawnApp({
    fake,
    command: process.execPath,
    args: [fileURLToPath(new URL('./probe-app.mjs', import.meta.url))],
    secret: SECRET,
    deliverWebhooks: true,
  });
  expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const pull = await fake.addPullRequest({ repo: 'acme/app', head: 'pr' });
  const event = await pullRequestEvent(fake, pull, 'opened');

  const bad = await sendWebhook(app.webhookUrl, event, { secret: SECRET, signWith: 'not-the-secret' });
  expect(bad.status).toBe(400);
  expect(fake.requests.filter((r) => r.kind === 'write')).toEqual([]);

  const good = await sendWebhook(app.webhookUrl, event, { secret: SECRET });
  expect(good.status).toBe(200);
  const [run] = fake.checkRuns('acme/app');
  expect(run).toMatchObject({ name: 'Probe', status: 'completed', conclusion: 'success' });
  // Config from the base branch through the contents API; the PR's README through GraphQL under /api/graphql.
  expect(run.output).toMatchObject({ title: 'failOn error', summary: 'from the PR\n' });
  expect(fake.comments('acme/app', pull.number).map((c) => [c.user, c.body])).toEqual([[fake.botLogin, 'probe reviewed this']]);
  expect(fake.unmatched()).toEqual([]);
  // Every call went through GitHub Enterprise's prefix, authenticated: the JWT was verified against the key.
  expect(fake.requests.every((r) => r.identity !== 'anonymous')).toBe(true);
  expect(fake.requests.map((r) => r.prefix)).toEqual(fake.requests.map((r) => (r.path === '/graphql' ? '/api' : '/api/v3')));
  expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/app/installations/1/access_tokens', identity: 'app', status: 201 });

  // GitHub tells the App about its own check run and comment; the App answers those deliveries too.
  await fake.settled();
  expect(fake.deliveries.map((d) => `${d.event.name}.${d.event.payload.action} ${d.status}`).sort()).toEqual(
    ['check_run.completed 200', 'check_run.created 200', 'issue_comment.created 200'],
  );

  const exit = await app.stop();
  expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
  await expect(fetch(`${app.url}/ping`)).rejects.toThrow();
  expect(app.output()).not.toContain(app.env.PRIVATE_KEY!.split('\n')[1]);
});
