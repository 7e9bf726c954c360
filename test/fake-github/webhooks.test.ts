// Webhook fixtures (GitHub's own examples), payload builders over the fake's state, signing, and a real Probot
// app driven end to end over HTTP against the fake.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import pino from 'pino';
import { createNodeMiddleware, Probot, type Context } from 'probot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pickExample, WEBHOOK_FIXTURES } from '../../scripts/webhook-fixtures.mjs';
import { cleanupRepos } from '../helpers/git-repo.js';
import { appCredentials, quietProbotOctokit } from './client.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { checkRunEvent, checkSuiteEvent, issueCommentEvent, missingKeys, pullRequestEvent, pushEvent, webhookFixture, type WebhookFixture } from './payloads.js';
import { removeClones, seedRepo } from './seed.js';
import type { PullRecord } from './store.js';
import { sendWebhook, signWebhook } from './webhooks.js';

const SECRET = 'test-secret';
let fake: FakeGitHub;
let pull: PullRecord;

beforeAll(async () => {
  fake = await startFakeGitHub();
  await seedRepo(fake, [
    { branch: 'main', files: { 'migrations/0001.sql': 'CREATE TABLE a (id);\n', '.github/safari.yml': 'failOn: warning\n' } },
    { branch: 'pr', from: 'main', files: { 'migrations/0002.sql': 'CREATE TABLE b (id);\n' } },
  ]);
  pull = await fake.addPullRequest({ repo: 'acme/app', head: 'pr', user: 'maple', title: 'Add b' });
});

afterAll(async () => {
  await fake.close();
  await removeClones();
  await cleanupRepos();
});

describe('fixtures', () => {
  test('fixtures/webhooks holds exactly GitHub\'s examples from @octokit/webhooks-examples', () => {
    const require = createRequire(import.meta.url);
    const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
    for (const [event, action] of WEBHOOK_FIXTURES) {
      const name = `${event}${action ? `.${action}` : ''}` as WebhookFixture;
      expect(webhookFixture(name), name).toEqual(pickExample(examples, event, action));
    }
  });
});

describe('payload builders', () => {
  test('pull_request.synchronize: GitHub\'s shape, the fake\'s PR, shas and installation', async () => {
    const before = (await fake.pullShas(pull)).head;
    const { after } = await fake.push('acme/app', 'pr', { 'migrations/0003.sql': 'CREATE TABLE c (id);\n' });
    const event = await pullRequestEvent(fake, pull, 'synchronize', { before });
    const example = webhookFixture('pull_request.synchronize');
    // Every key GitHub sends is there (the example's `organization` aside: acme's PRs come without it here).
    const missing = missingKeys(example, event.payload).filter((k) => k !== 'organization');
    expect(missing).toEqual([]);
    const payload = event.payload as any;
    expect(event.name).toBe('pull_request');
    expect(payload).toMatchObject({ action: 'synchronize', number: pull.number, before, after, installation: { id: 1 } });
    expect(payload.pull_request).toMatchObject({
      number: pull.number,
      title: 'Add b',
      user: { login: 'maple' },
      head: { sha: after, ref: 'pr', repo: { full_name: 'acme/app' } },
      base: { ref: 'main', sha: await fake.repo('acme/app').git.resolveCommit('main') },
    });
    expect(payload.repository.full_name).toBe('acme/app');
    expect(JSON.stringify(payload)).not.toContain('Codertocat/Hello-World');
    expect(JSON.stringify(payload)).not.toContain('api.github.com');
  });

  test('pull_request.edited with a base change carries changes.base', async () => {
    const event = await pullRequestEvent(fake, pull, 'edited', { baseFrom: { ref: 'develop', sha: 'a'.repeat(40) } });
    expect((event.payload as any).changes).toEqual({ base: { ref: { from: 'develop' }, sha: { from: 'a'.repeat(40) } } });
  });

  test('issue_comment.created on a PR stores the comment; on a plain issue there is no pull_request key', async () => {
    const onPr = await issueCommentEvent(fake, { repo: 'acme/app', issue: pull.number, body: '/safari rerun', user: 'maple' });
    const payload = onPr.payload as any;
    expect(payload.issue.pull_request.url).toMatch(new RegExp(`/repos/acme/app/pulls/${pull.number}$`));
    expect(payload.comment).toMatchObject({ body: '/safari rerun', user: { login: 'maple', type: 'User' } });
    expect(fake.store.comments.get(payload.comment.id)?.body).toBe('/safari rerun');
    const missing = missingKeys(webhookFixture('issue_comment.created'), payload).filter((k) => k !== 'organization');
    expect(missing).toEqual([]);

    const issue = fake.addIssue({ repo: 'acme/app', title: 'A bug' });
    const onIssue = await issueCommentEvent(fake, { repo: 'acme/app', issue: issue.number, body: '/safari help' });
    expect((onIssue.payload as any).issue.pull_request).toBeUndefined();

    const bot = await issueCommentEvent(fake, { repo: 'acme/app', issue: pull.number, body: 'x', user: fake.botLogin });
    expect((bot.payload as any).comment.user).toMatchObject({ login: 'migration-safari[bot]', type: 'Bot' });
    expect((bot.payload as any).sender.type).toBe('Bot');

    const edited = await issueCommentEvent(fake, { action: 'edited', comment: fake.store.comments.get(payload.comment.id)!, body: '/safari help' });
    expect((edited.payload as any)).toMatchObject({ action: 'edited', changes: { body: { from: '/safari rerun' } }, comment: { body: '/safari help' } });
  });

  test('check_run.rerequested and check_suite.rerequested name the App\'s run, its head and its PR', async () => {
    const head = (await fake.pullShas(pull)).head;
    const octokit = (await import('./client.js')).fakeOctokit(fake);
    const created = await octokit.rest.checks.create({ owner: 'acme', repo: 'app', name: 'Migration Safari', head_sha: head, conclusion: 'success', output: { title: 'ok', summary: 'ok' } });
    const run = fake.store.checkRuns.get(created.data.id)!;
    const event = (await checkRunEvent(fake, run, 'rerequested')).payload as any;
    expect(event.check_run).toMatchObject({ id: run.id, head_sha: head, name: 'Migration Safari', app: { id: fake.app.id } });
    expect(event.check_run.pull_requests.map((p: any) => p.number)).toEqual([pull.number]);
    expect(event.check_run.check_suite).toMatchObject({ id: run.checkSuiteId, head_sha: head });
    const suite = (await checkSuiteEvent(fake, { repo: 'acme/app', headSha: head })).payload as any;
    expect(suite.check_suite).toMatchObject({ id: run.checkSuiteId, head_sha: head, head_branch: 'pr', app: { id: fake.app.id } });
    expect(suite.check_suite.pull_requests[0]).toMatchObject({ number: pull.number, head: { sha: head } });
    // The suite sums up the App's runs on that commit; the App's own permissions, not the example app's.
    expect(suite.check_suite).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(suite.check_suite.app.permissions).toEqual(fake.app.permissions);
  });

  test('push lists the commits between before and after with their added/removed/modified paths', async () => {
    const git = fake.repo('acme/app').git;
    const before = (await git.resolveCommit('main'))!;
    await fake.push('acme/app', 'main', { 'migrations/0002_main.sql': 'CREATE TABLE m (id);\n' }, { message: 'add m' });
    await fake.push('acme/app', 'main', { 'old.txt': 'x\n' });
    const before2 = (await git.resolveCommit('main'))!;
    const { after } = await fake.push('acme/app', 'main', { 'migrations/0001.sql': 'CREATE TABLE a (id, x);\n', 'old.txt': null });
    void before2;
    const payload = (await pushEvent(fake, { repo: 'acme/app', before })).payload as any;
    expect(payload).toMatchObject({ ref: 'refs/heads/main', before, after, created: false, deleted: false, forced: false });
    expect(payload.commits.map((c: any) => [c.added, c.modified, c.removed])).toEqual([
      [['migrations/0002_main.sql'], [], []],
      [['old.txt'], [], []],
      [[], ['migrations/0001.sql'], ['old.txt']],
    ]);
    expect(payload.head_commit.id).toBe(after);
    expect(payload.repository.default_branch).toBe('main');
  });
});

describe('in process', () => {
  test('probot.receive takes a built event as is: an issue_comment handler reacts 👀 through the fake', async () => {
    const { appId, privateKey } = appCredentials(fake);
    const probot = new Probot({ appId, privateKey, baseUrl: fake.url, Octokit: quietProbotOctokit(), log: pino({ level: 'silent' }) });
    await probot.load((app) => {
      app.on('issue_comment.created', async (context) => {
        if (context.isBot || !context.payload.issue.pull_request) return;
        await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: 'eyes' as const }));
      });
    });
    const human = await issueCommentEvent(fake, { repo: 'acme/app', issue: pull.number, body: '/safari help', user: 'maple' });
    const bot = await issueCommentEvent(fake, { repo: 'acme/app', issue: pull.number, body: '/safari help', user: 'other-bot[bot]' });
    await probot.receive(human);
    await probot.receive(bot);
    expect(fake.reactions(human.payload.comment.id).map((r) => [r.user, r.content])).toEqual([[fake.botLogin, 'eyes']]);
    expect(fake.reactions(bot.payload.comment.id)).toEqual([]);
  });
});

describe('signing and a real Probot app over HTTP', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  const echoes: string[] = [];

  beforeAll(async () => {
    const { appId, privateKey } = appCredentials(fake);
    const probot = new Probot({
      appId,
      privateKey,
      secret: SECRET,
      baseUrl: fake.url,
      Octokit: quietProbotOctokit(),
      log: pino({ level: 'silent' }),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on(['check_run', 'issue_comment'], async (context) => {
          const payload = context.payload as { action: string; sender: { login: string; type: string } };
          echoes.push(`${context.name}.${payload.action} by ${payload.sender.login} (${payload.sender.type})`);
        });
        app.on('pull_request.opened', async (context: Context<'pull_request.opened'>) => {
          seen.push(context.id);
          const config = await context.config<{ failOn?: string }>('safari.yml');
          const check = await context.octokit.rest.checks.create(
            context.repo({ name: 'Migration Safari', head_sha: context.payload.pull_request.head.sha, status: 'in_progress' as const }),
          );
          await context.octokit.rest.checks.update(
            context.repo({ check_run_id: check.data.id, conclusion: 'success' as const, output: { title: `failOn ${config?.failOn}`, summary: 'ok' } }),
          );
          await context.octokit.rest.issues.createComment(context.issue({ body: '<!-- safari -->\nreviewed' }));
        });
      },
      { probot, webhooksPath: '/api/github/webhooks' },
    );
    server = createServer((req, res) => middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('signWebhook is GitHub\'s sha256 HMAC of the exact bytes', () => {
    // The example from GitHub's docs ("Validating webhook deliveries").
    expect(signWebhook("It's a Secret to Everybody", 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  test('a signed pull_request.opened reaches the handler, which writes a check and a comment to the fake', async () => {
    fake.clearRequests();
    const event = await pullRequestEvent(fake, pull, 'opened');
    const response = await sendWebhook(url, event, { secret: SECRET });
    expect(response.status).toBe(200);
    expect(seen).toContain(event.id);
    const head = (await fake.pullShas(pull)).head;
    const [run] = fake.checkRuns('acme/app', head).filter((r) => r.name === 'Migration Safari' && r.history.length === 2);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'failOn warning' } });
    const comments = fake.comments('acme/app', pull.number).filter((c) => c.body.startsWith('<!-- safari -->'));
    expect(comments.map((c) => c.user)).toEqual([fake.botLogin]);
    expect(fake.unmatched()).toEqual([]);
    expect(fake.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
      'POST POST /app/installations/:installation_id/access_tokens',
      'GET GET /repos/:owner/:repo/contents/*path',
      'POST POST /repos/:owner/:repo/check-runs',
      'PATCH PATCH /repos/:owner/:repo/check-runs/:check_run_id',
      'POST POST /repos/:owner/:repo/issues/:issue_number/comments',
    ]);
  });

  test('with deliverTo, the fake sends back the webhooks GitHub sends about the App\'s own writes', async () => {
    fake.deliverTo(url, SECRET);
    try {
      echoes.length = 0;
      await sendWebhook(url, await pullRequestEvent(fake, pull, 'opened'), { secret: SECRET });
      await fake.settled();
      expect(echoes.sort()).toEqual(
        [
          'check_run.created by migration-safari[bot] (Bot)',
          'check_run.completed by migration-safari[bot] (Bot)',
          'issue_comment.created by migration-safari[bot] (Bot)',
        ].sort(),
      );
      expect(fake.deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
      const completed = fake.deliveries.find((d) => d.event.name === 'check_run' && d.event.payload.action === 'completed')!;
      expect(completed.event.payload.check_run).toMatchObject({ status: 'completed', conclusion: 'success', app: { slug: 'migration-safari' } });
    } finally {
      fake.deliverTo(undefined);
    }
  });

  test('a bad signature or none is refused and runs no handler', async () => {
    const before = seen.length;
    const event = await pullRequestEvent(fake, pull, 'opened');
    expect((await sendWebhook(url, event, { secret: SECRET, signWith: 'wrong' })).status).toBe(400);
    expect((await sendWebhook(url, event, { secret: SECRET, unsigned: true })).status).toBe(400);
    expect(seen.length).toBe(before);
    // The signature covers the exact bytes: a payload changed after signing is refused too.
    const body = JSON.stringify(event.payload);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': event.id,
        'x-hub-signature-256': signWebhook(SECRET, body),
      },
      body: body.replace('"opened"', '"closed"'),
    });
    expect(response.status).toBe(400);
    expect(readFileSync(new URL('../../fixtures/webhooks/push.json', import.meta.url), 'utf8')).toContain('"ref"');
  });
});
