// `npm run bench` (App part): webhook received → check run completed, for the bundled grove PR, against the loopback
// fake GitHub (test/fake-github) with Octokit's throttling off; next to the core review of the same PR in the same run.
// Both sides are warm (review worker / sandbox started, base cache and blob cache filled by a first review), so the
// difference is the App's own work: reading through the API, IPC to the worker, rendering, writing check + comment.
// Also: GitHub requests per review, and for a push that appends one migration.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot, Server } from 'probot';
import { buildFixture } from '../fixtures/generate/index.mjs';
import { createSafariApp } from '../dist/github/app.js';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { ReviewWorkers } from '../dist/github/review-workers.js';
import { review } from '../dist/review.js';
import { openGitSource } from '../dist/source/git.js';

const RUNS = process.argv.includes('--quick') ? 5 : 9;
const root = new URL('..', import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(0)} ms`;

// The fake is TypeScript (it lives with the tests): bundle it for plain node, two levels below the root like
// its source (it finds fixtures/ relative to itself) and inside the project (its packages resolve).
const scratch = mkdtempSync(join(tmpdir(), 'safari-bench-app-'));
const fakeBundle = join(root, 'bench/.built/fake-github.mjs');
await build({ entryPoints: [join(root, 'test/fake-github/index.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: fakeBundle, logLevel: 'error' });
const { startFakeGitHub, seedGrove, appCredentials, testKeys, quietProbotOctokit, sendWebhook, checkRunEvent, pullRequestEvent, removeClones } = await import(fakeBundle);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// --- the core review of the same PR, warm sandbox (base cache on, as in the App's worker) ---
const grovePath = await buildFixture('grove');
const sandbox = new ReplaySandbox({ log: () => {} });
const coreTimes = [];
async function coreReview() {
  const t = performance.now();
  const source = await openGitSource(grovePath, 'main', 'pr');
  try {
    await review(source, { sandbox, evaluateSchema: false });
  } finally {
    await source.close();
  }
  return performance.now() - t;
}
await coreReview(); // warm: sandbox children started, base cache filled

// --- the App: a real Probot server on loopback, throttling off ---
const fake = await startFakeGitHub({ appPublicKey: testKeys().publicKey });
const grove = await seedGrove(fake);
const { appId, privateKey } = appCredentials(fake);
const secret = 'bench-secret';
const port = await freePort();
let handle;
// The App's one log line per review carries its steps' wall times.
const reviews = [];
// When the review ran in its worker (IPC both ways included): the App's own module, so the spans are exact even when
// the App writes the check run while the worker reviews.
const workerSpans = [];
const workerReview = ReviewWorkers.prototype.review;
ReviewWorkers.prototype.review = function (...args) {
  const span = { startedMs: performance.now(), durationMs: Infinity };
  workerSpans.push(span);
  const done = () => (span.durationMs = performance.now() - span.startedMs);
  return workerReview.apply(this, args).finally(done);
};
const appLog = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const entry = JSON.parse(line);
        if (entry.msg === 'review') reviews.push(entry);
      }
      cb();
    },
  }),
);
const server = new Server({
  host: '127.0.0.1',
  port,
  log: appLog,
  Probot: Probot.defaults({ appId, privateKey, secret, baseUrl: fake.url, log: appLog, Octokit: quietProbotOctokit({ retry: true }) }),
});
await server.load(
  createSafariApp(
    { concurrency: 1, reviewTimeoutMs: 120_000, isolation: 'best-effort', docsBaseUrl: 'https://example.test/docs/rules/', blobCacheBytes: 64 << 20, shutdownGraceMs: 1000, basePushLimit: 30 },
    { onLoad: (h) => (handle = h) },
  ),
);
await server.start();
const hooks = `http://127.0.0.1:${port}/api/github/webhooks`;
const repo = 'acme/grove';
const pull = grove.pulls.pr;

/** Sends the webhook, waits for one more completed check run; returns ms and the requests the App made. */
async function timed(event) {
  const before = fake.requests.length;
  const done = fake.checkRuns(repo).filter((c) => c.status === 'completed').length;
  const t = performance.now();
  const res = await sendWebhook(hooks, event, { secret });
  if (res.status >= 300) throw new Error(`webhook answered ${res.status}: ${res.body}`);
  while (fake.checkRuns(repo).filter((c) => c.status === 'completed').length <= done) await new Promise((r) => setTimeout(r, 2));
  const ms = performance.now() - t;
  await handle.idle(); // the comment is written after the check completes
  const requests = fake.requests.slice(before).filter((r) => r.kind !== 'auth');
  // Time someone else was working for the App — the fake answering, the worker reviewing — counted once where they
  // overlap (requests run side by side, and the check run is written while the worker reviews).
  const worker = workerSpans.filter((s) => s.startedMs >= t);
  const waited = busy(requests, t, ms);
  const inWorker = busy(worker, t, ms);
  const external = busy([...requests, ...worker], t, ms);
  if (process.env.BENCH_TIMELINE) {
    console.error(`--- ${ms.toFixed(0)} ms, steps ${JSON.stringify(reviews.at(-1)?.steps)}`);
    for (const r of requests) console.error(`  ${(r.startedMs - t).toFixed(1).padStart(7)} +${r.durationMs.toFixed(1).padStart(5)} ${r.method} ${r.route ?? r.path}`);
    for (const w of worker) console.error(`  ${(w.startedMs - t).toFixed(1).padStart(7)} +${w.durationMs.toFixed(1).padStart(5)} review in the worker`);
  }
  return { ms, waited, inWorker, own: ms - external, reads: requests.filter((r) => r.kind === 'read').length, writes: requests.filter((r) => r.kind === 'write').length, requests };
}

/** Time within [start, start + ms] (performance.now(): the fake runs in this process) covered by at least one span. */
function busy(spans_, start, ms) {
  const spans = spans_.map((r) => [Math.max(r.startedMs, start), Math.min(r.startedMs + r.durationMs, start + ms)]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [cur, end] = [-Infinity, -Infinity];
  for (const [a, b] of spans) {
    if (a > end) {
      if (end > cur) total += end - cur;
      [cur, end] = [a, b];
    } else end = Math.max(end, b);
  }
  if (end > cur) total += end - cur;
  return total;
}

const first = await timed(await pullRequestEvent(fake, pull, 'opened'));
const appRuns = [];
if (process.env.BENCH_WINDOW) console.error(`WINDOW-START ${process.hrtime.bigint() / 1000n}`);
// Core and App runs alternate, so a machine whose load changes during the bench weighs on both alike.
for (let i = 0; i < RUNS; i++) {
  coreTimes.push(await coreReview());
  const run = fake.checkRuns(repo).at(-1);
  appRuns.push(await timed(await checkRunEvent(fake, run, 'rerequested')));
}
await sandbox.close();
if (process.env.BENCH_WINDOW) console.error(`WINDOW-END ${process.hrtime.bigint() / 1000n}`);
const appMedian = median(appRuns.map((r) => r.ms));
const waitedMedian = median(appRuns.map((r) => r.waited));
const workerMedian = median(appRuns.map((r) => r.inWorker));
const ownMedian = median(appRuns.map((r) => r.own));
const coreMedian = median(coreTimes);

// --- a push that appends one migration to the PR ---
const work = join(scratch, 'work');
const git = (...args) => execFileSync('git', args, { cwd: work, env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' } });
execFileSync('git', ['clone', '--quiet', '--branch', 'pr', grove.dir, work]);
const shasBefore = await fake.pullShas(pull);
writeFileSync(join(work, 'libs/engine/migrations/0999_bench_append.sql'), 'CREATE TABLE bench_append (id INTEGER PRIMARY KEY);\n');
git('add', '-A');
git('commit', '--quiet', '-m', 'append one migration');
git('push', '--quiet', 'origin', 'pr');
const push = await timed(await pullRequestEvent(fake, pull, 'synchronize', { before: shasBefore.head }));
const blobQueries = push.requests.filter((r) => r.path === '/graphql' && /object\(oid/.test(r.body?.query ?? ''));
const blobsFetched = blobQueries.reduce((n, r) => n + (r.body.query.match(/object\(oid/g) ?? []).length, 0);

await server.stop();
await handle.close();
await fake.close();
await removeClones();
rmSync(scratch, { recursive: true, force: true });

const overhead = ownMedian / coreMedian;
const typical = appRuns[Math.floor(appRuns.length / 2)];
console.log(`\nGitHub App (grove PR, ${RUNS} runs, medians; loopback fake GitHub, throttling off)`);
console.log(`| measure | time | requests |`);
console.log(`| --- | ---: | --- |`);
console.log(`| core review of the same PR, in-process, warm sandbox | ${fmt(coreMedian)} | — |`);
console.log(`| App: webhook → check completed (re-run, warm) | ${fmt(appMedian)} | ${typical.reads} reads, ${typical.writes} writes |`);
console.log(`| App: first review of the PR (opened; blob cache empty) | ${fmt(first.ms)} | ${first.reads} reads, ${first.writes} writes |`);
console.log(`| App: push appending one migration (synchronize) | ${fmt(push.ms)} | ${push.reads} reads (${blobsFetched} blob fetched), ${push.writes} writes |`);
console.log(`| … of which the fake GitHub was answering | ${fmt(waitedMedian)} | |`);
console.log(`| … of which the review ran in its worker (the core, IPC included) | ${fmt(workerMedian)} | |`);
console.log(`| … the App's own work (when neither was busy: webhook, rendering, request handling) | ${fmt(ownMedian)} | |`);
console.log(`App's own work vs the core review: ${(overhead * 100).toFixed(0)} % (target < 30 %)`);
console.log(`Webhook → check completed vs the core review, fake's answering time included: ${((appMedian / coreMedian) * 100).toFixed(0)} % (the fake runs git for every request)`);
const stepNames = [...new Set(reviews.slice(-RUNS - 1, -1).flatMap((r) => Object.keys(r.steps ?? {})))];
console.log(`steps of a re-run (medians, ms): ${stepNames.map((n) => `${n} ${median(reviews.slice(-RUNS - 1, -1).map((r) => r.steps?.[n] ?? 0))}`).join(' · ')}`);
console.log(`requests of a re-run: ${typical.requests.map((r) => `${r.method} ${r.route ?? r.path}`).join(' · ')}`);
