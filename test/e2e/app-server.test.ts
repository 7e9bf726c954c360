// The App as users run it: `npm start` (probot run) as a real process on 127.0.0.1, GitHub played by the loopback
// fake over the real grove repository (test/fake-github), webhooks signed and sent over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import mermaid from 'mermaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appCredentials,
  pullRequestEvent,
  removeClones,
  seedGrove,
  sendWebhook,
  startFakeGitHub,
  testKeys,
  type FakeGitHub,
  type SeededGrove,
} from '../fake-github/index.js';

const SECRET = 'e2e-webhook-secret';
let fake: FakeGitHub;
let grove: SeededGrove;
let server: ChildProcess;
let base: string;
let output = '';
let port = 0;
const ROOT = new URL('../..', import.meta.url).pathname;

/** The Dockerfile's HEALTHCHECK command, run as the container would. */
const healthcheck = () => spawnSync(process.execPath, ['scripts/healthcheck.mjs'], { cwd: ROOT, env: { ...process.env, PORT: String(port) } }).status;

/** The node process `npm start` ended up running (the server itself), among the started process's descendants. */
function serverNodePid(): number {
  const queue = [server.pid!];
  while (queue.length) {
    const pid = queue.shift()!;
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('probot')) {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node') return pid;
    }
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      queue.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  }
  throw new Error('no server process found');
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 150_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  fake = await startFakeGitHub({ appPublicKey: testKeys().publicKey, validateGraphqlAgainstGitHub: true });
  grove = await seedGrove(fake);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const { appId, privateKey } = appCredentials(fake);
  // Exactly what `npm start` runs, configured the way a deployment is: the environment (GHE_HOST for a non-github.com API).
  server = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      APP_ID: String(appId),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SAFARI_CONCURRENCY: '1',
      // SIGTERM (last test) gives running reviews no time at all: their checks must still be completed.
      SAFARI_SHUTDOWN_GRACE_MS: '1',
    },
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  await until('the server to listen', async () => ((await fetch(`${base}/ping`).catch(() => undefined))?.ok ? true : undefined), 60_000);
}, 120_000);

afterAll(async () => {
  if (server?.exitCode === null && server.pid) process.kill(-server.pid, 'SIGKILL');
  await fake?.close();
  await removeClones();
});

describe('npm start against a fake GitHub', () => {
  it('rejects a webhook with a bad signature', async () => {
    const event = await pullRequestEvent(fake, grove.pulls.pr, 'opened');
    const res = await sendWebhook(`${base}/api/github/webhooks`, event, { secret: SECRET, signWith: 'not-the-secret' });
    expect(res.status).toBe(400);
    expect(fake.checkRuns('acme/grove')).toEqual([]);
  });

  it('reviews the grove PR: the fake receives a completed check run with annotations and the sticky comment; /health answers meanwhile', async () => {
    const event = await pullRequestEvent(fake, grove.pulls.pr, 'opened');
    const res = await sendWebhook(`${base}/api/github/webhooks`, event, { secret: SECRET });
    expect(res.status).toBe(200);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(healthcheck()).toBe(0);

    const check = await until('the check run to complete', () => fake.checkRuns('acme/grove').find((c) => c.status === 'completed'));
    expect(check.name).toBe('Migration Safari');
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toMatch(/error/);
    expect(check.annotations.length).toBeGreaterThan(0);
    const comments = await until('the sticky comment', () => {
      const c = fake.comments('acme/grove', grove.pulls.pr.number);
      return c.length ? c : undefined;
    });
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith('<!-- migration-safari -->')).toBe(true);
    expect(comments[0].user).toBe(fake.botLogin);
    // Every erDiagram in it parses with mermaid (GitHub would show "Unable to render" otherwise).
    const diagrams = [...comments[0].body.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
    expect(diagrams.length).toBeGreaterThan(0);
    for (const diagram of diagrams) await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'er' });
    // The structured line for the review: repo, PR, head, duration, requests, conclusion — and no token.
    const line = await until('the review log line', () => output.split('\n').find((l) => l.includes('"msg":"review"')));
    const logged = JSON.parse(line);
    expect(logged).toMatchObject({ repo: 'acme/grove', pr: grove.pulls.pr.number, conclusion: 'failure' });
    // 5 to load the review + 1 batch for the code search that only a PR dropping tables needs (this one does).
    expect(logged.requests.sourceReads).toBe(6);
    expect(output).not.toMatch(/ghs_|BEGIN (RSA )?PRIVATE KEY/);
  }, 200_000);

  it('a burst of 200 webhooks: each acknowledged at once, /health answers all along, the server stays small', async () => {
    // Redeliveries and pushes of the reviewed PR: the server must take them all without a second check or comment.
    const checksBefore = fake.checkRuns('acme/grove').length;
    const events = await Promise.all(Array.from({ length: 200 }, (_, i) => pullRequestEvent(fake, grove.pulls.pr, i % 2 ? 'synchronize' : 'opened')));
    const health: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        // Within the Dockerfile HEALTHCHECK's own timeout (5 s): what an orchestrator would accept.
        health.push((await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.status ?? 0);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const answers = await Promise.all(events.map((event) => sendWebhook(`${base}/api/github/webhooks`, event, { secret: SECRET })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    await until('the queue to empty', async () => (((await (await fetch(`${base}/health`)).json()) as { queued: number }).queued === 0 ? true : undefined), 120_000);
    polling = false;
    await poller;
    expect(health.length).toBeGreaterThan(2);
    expect(health.filter((status) => status !== 200)).toEqual([]);
    expect(fake.checkRuns('acme/grove')).toHaveLength(checksBefore);
    expect(fake.comments('acme/grove', grove.pulls.pr.number)).toHaveLength(1);
    // The server's peak resident memory (npm → sh → node: the process that listens), reviews run in its workers.
    const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${serverNodePid()}/status`, 'utf8'))![1]) * 1024;
    expect(peak).toBeLessThan(400 * 1024 * 1024);
  }, 200_000);

  it('stops on SIGTERM: the running and the waiting reviews get their checks completed as interrupted, then it exits', async () => {
    const before = fake.checkRuns('acme/grove').length;
    for (const pull of [grove.pulls.prClean, grove.pulls.prDropBilling]) {
      const res = await sendWebhook(`${base}/api/github/webhooks`, await pullRequestEvent(fake, pull, 'opened'), { secret: SECRET });
      expect(res.status).toBe(200);
    }
    // The first is under review (one at a time), the second waits.
    await until('a review in progress', () => fake.checkRuns('acme/grove').slice(before).find((c) => c.status === 'in_progress'), 60_000);
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    process.kill(-server.pid!, 'SIGTERM');
    await exited;
    await until('the stopped line', () => (output.includes('"msg":"stopped"') ? true : undefined), 30_000);
    expect(output).toContain('"msg":"stopping: finishing running reviews"');
    expect(healthcheck()).toBe(1);
    const runs = fake.checkRuns('acme/grove').slice(before);
    expect(runs.map((c) => c.status)).toEqual(['completed', 'completed']);
    // The waiting one never ran; the running one had no grace time left (unless it finished in the meantime).
    expect([runs[1].conclusion, runs[1].output.title]).toEqual(['cancelled', 'Interrupted: the server was stopping']);
    expect(runs[1].output.summary).toContain('/safari rerun');
    if (runs[0].conclusion === 'cancelled') expect(runs[0].output.title).toBe('Interrupted: the server was stopping');
    else expect(runs[0].conclusion).toBe('success');
  }, 60_000);
});
