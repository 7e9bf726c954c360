// `npm run bench`: Safari's review cost as ratios against a floor measured in the same run.
//
// Floor = the least work any replay must do: the same migration SQL executed in-process by better-sqlite3 with one
// `exec` per file, each file once, in apply order (no splitting, no sandbox, no schema extraction, no diff).
// Figures are medians; ratios compare medians of the same run, so a slower or busier machine moves both sides.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildFixture } from '../fixtures/generate/index.mjs';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
import { loadConfig } from '../dist/config/load-config.js';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { review } from '../dist/review.js';
import { openGitSource } from '../dist/source/git.js';

const quick = process.argv.includes('--quick');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** Head files of every database, in apply order, exactly as a review loads them. */
async function headFiles(repo, head) {
  const source = await openGitSource(repo, head, head);
  try {
    const { config } = await loadConfig(source.head);
    const discovery = await discover(source.head, config);
    const out = [];
    for (const db of discovery.databases) {
      if (db.notReplayed) continue;
      const files = await loadMigrations(source.head, db);
      if (files.length) out.push(files.map((f) => f.content));
    }
    return out;
  } finally {
    await source.close();
  }
}

/** Both sides' files as a review replays them: base (main) and head (main + the PR), every database. */
async function bothSidesFiles(repo, base, head) {
  const source = await openGitSource(repo, base, head);
  try {
    const out = [];
    for (const tree of [source.base, source.head]) {
      const { config } = await loadConfig(tree);
      for (const db of (await discover(tree, config)).databases) {
        if (db.notReplayed) continue;
        const files = await loadMigrations(tree, db);
        if (files.length) out.push(files.map((f) => f.content));
      }
    }
    return out;
  } finally {
    await source.close();
  }
}

function floorOnce(databases) {
  const t = performance.now();
  for (const files of databases) {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const sql of files) {
      try {
        db.exec(sql);
      } catch {
        // the floor runs what runs; failures cost what they cost
      }
    }
    db.close();
  }
  return performance.now() - t;
}

function floor(databases, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(floorOnce(databases));
  return median(times);
}

/** Peak resident memory of this process and every descendant (the sandbox children), sampled from /proc. */
function rssSampler() {
  const read = (pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const children = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const total = (pid) => read(pid) + children(pid).reduce((n, c) => n + total(c), 0);
  let peak = 0;
  let peakChild = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, total(process.pid));
    peakChild = Math.max(peakChild, ...children(process.pid).map(total), 0);
  }, 10);
  return { stop: () => (clearInterval(timer), { peak, peakChild }) };
}

/** The head tree plus `added` files: a push that appends migrations to the PR, without touching the fixture. */
function pushedTree(tree, added) {
  const extra = new Map(added);
  return {
    id: `${tree.id}+${added.length}`,
    list: async () => [...new Set([...(await tree.list()), ...extra.keys()])].sort(),
    read: async (paths) => {
      const out = await tree.read(paths.filter((p) => !extra.has(p)));
      for (const p of paths) if (extra.has(p)) out.set(p, extra.get(p));
      return out;
    },
    sizes: async (paths) => {
      const out = await tree.sizes(paths.filter((p) => !extra.has(p)));
      for (const p of paths) if (extra.has(p)) out.set(p, Buffer.byteLength(extra.get(p)));
      return out;
    },
  };
}

/** `push` > 0: the PR's head with that many more migrations appended to `folder` (each push adds one). */
async function timedReview(repo, base, head, sandbox, push = 0, folder = 'migrations') {
  const git = await openGitSource(repo, base, head);
  const added = Array.from({ length: push }, (_, k) => [`${folder}/${9000 + k}_push.sql`, `CREATE TABLE push_${k} (id INTEGER PRIMARY KEY, note TEXT);\n`]);
  const source = push
    ? { ...git, head: pushedTree(git.head, added), changes: [...git.changes, ...added.map(([path]) => ({ path, status: 'added' }))] }
    : git;
  const timings = {};
  const t = performance.now();
  try {
    const result = await review(source, { sandbox, evaluateSchema: false, timings });
    return { ms: performance.now() - t, timings, result };
  } finally {
    await git.close();
  }
}

const lines = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

// ---------------------------------------------------------------- seed scale
const grove = await buildFixture('grove');
const groveDbs = await headFiles(grove, 'pr');
const seedRuns = quick ? 5 : 15;
const seedFloor = floor(groveDbs, seedRuns);
// The issue's own floor: the same SQL the review executes (base and head), one exec per file.
const seedFloorBoth = floor(await bothSidesFiles(grove, 'main', 'pr'), seedRuns);
// Re-reviews: each run is the next push, which appends one more migration to the engine database (the largest).
// Main is unchanged, so the base comes from the cache, and the head from the previous push's.
const warm = new ReplaySandbox({ log: () => {} });
await timedReview(grove, 'main', 'pr', warm); // start the children and fill the cache
const cachedRuns = [];
for (let i = 1; i <= seedRuns; i++) cachedRuns.push(await timedReview(grove, 'main', 'pr', warm, i, 'libs/engine/migrations'));
const unchangedRuns = [];
for (let i = 0; i < seedRuns; i++) unchangedRuns.push(await timedReview(grove, 'main', 'pr', warm, seedRuns, 'libs/engine/migrations'));
await warm.close();

const coldCache = new ReplaySandbox({ cacheBytes: 0, log: () => {} });
await timedReview(grove, 'main', 'pr', coldCache); // start the children only
const coldRuns = [];
for (let i = 0; i < seedRuns; i++) coldRuns.push(await timedReview(grove, 'main', 'pr', coldCache));
await coldCache.close();

const seedFiles = groveDbs.reduce((n, d) => n + d.length, 0);
const r0 = coldRuns[0].result;
const seedTables = r0.databases.reduce((n, d) => n + d.head.tables, 0);
const stage = (runs) => median(runs.map((r) => (r.timings.replay ?? 0) + (r.timings.diff ?? 0)));
const coldE2e = median(coldRuns.map((r) => r.ms));
const cachedE2e = median(cachedRuns.map((r) => r.ms));
say(`## Seed scale: ${r0.databases.length} databases, ${seedFiles} migration files, ${seedTables} tables (grove fixture, main...pr)`);
say();
say(`| measure | median | ratio |`);
say(`| --- | ---: | ---: |`);
say(`| floor: in-process exec per file, each file once | ${fmt(seedFloor)} | 1.00× |`);
say(`| floor B: in-process exec per file, base and head (the same SQL the review runs) | ${fmt(seedFloorBoth)} | ${ratio(seedFloorBoth, seedFloor)} |`);
say(`| replay + extract + diff, warm sandbox, no cache | ${fmt(stage(coldRuns))} | ${ratio(stage(coldRuns), seedFloor)} of floor (${ratio(stage(coldRuns), seedFloorBoth)} of floor B) |`);
say(`| whole review end to end, warm sandbox, no cache | ${fmt(coldE2e)} | ${ratio(coldE2e, seedFloor)} of floor |`);
say(`| re-review after a push appending a migration, from cache | ${fmt(cachedE2e)} | ${((cachedE2e / coldE2e) * 100).toFixed(0)} % of the uncached review |`);
say();
const unchangedE2e = median(unchangedRuns.map((r) => r.ms));
say(`A re-run with no migration changed (every side from the cache): ${fmt(unchangedE2e)} (${((unchangedE2e / coldE2e) * 100).toFixed(0)} %).`);
say();
const steps = ['config', 'discover', 'load', 'replay', 'diff', 'prepare', 'rules'];
say(`Steps of the uncached review (median ms): ${steps.map((s) => `${s} ${median(coldRuns.map((r) => r.timings[s] ?? 0)).toFixed(1)}`).join(' · ')}`);
say();

// ---------------------------------------------------------------- 2,000 migrations
const scaleRuns = quick ? 1 : 3;
say(`## Large history: cold reviews (fresh sandbox processes, empty cache), median of ${scaleRuns}`);
say();
say(`| files | floor | replay + extract + diff | ratio | whole review | per file | peak RSS (all processes) | peak RSS (one sandbox child) |`);
say(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
let repo2000;
for (const size of quick ? [2000] : [500, 1000, 2000]) {
  const repo = await buildFixture(`scale-${size}`);
  if (size === 2000) repo2000 = repo;
  const dbs = await headFiles(repo, 'pr');
  const runs = [];
  let memory = { peak: 0, peakChild: 0 };
  for (let i = 0; i < scaleRuns; i++) {
    globalThis.gc?.();
    const sampler = rssSampler();
    // A fresh sandbox: its cache is empty, and it keeps what it replays, as a first review in production does.
    const sandbox = new ReplaySandbox({ log: () => {} });
    runs.push(await timedReview(repo, 'main', 'pr', sandbox));
    await sandbox.close();
    const m = sampler.stop();
    memory = { peak: Math.max(memory.peak, m.peak), peakChild: Math.max(memory.peakChild, m.peakChild) };
  }
  // The floor after the reviews: its in-process SQLite memory would otherwise stay in this process's peak RSS.
  const f = floor(dbs, scaleRuns);
  const st = stage(runs);
  const e2e = median(runs.map((r) => r.ms));
  const n = dbs.reduce((k, d) => k + d.length, 0);
  say(`| ${n} | ${fmt(f)} | ${fmt(st)} | ${ratio(st, f)} | ${fmt(e2e)} | ${(e2e / n).toFixed(2)} ms | ${(memory.peak / 2 ** 20).toFixed(0)} MB | ${(memory.peakChild / 2 ** 20).toFixed(0)} MB |`);
}
say();

// ---------------------------------------------------------------- re-review at 2,000
{
  const sandbox = new ReplaySandbox({ log: () => {} });
  await timedReview(repo2000, 'main', 'pr', sandbox); // the push before: fills the cache
  const runs = [];
  // Each run is the next push: one more migration appended.
  for (let i = 1; i <= (quick ? 3 : 7); i++) runs.push(await timedReview(repo2000, 'main', 'pr', sandbox, i));
  await sandbox.close();
  say(`## Re-review at 2,000 migrations (main unchanged, the PR appends): ${fmt(median(runs.map((r) => r.ms)))} median end to end`);
  say(`(replay step ${fmt(median(runs.map((r) => r.timings.replay ?? 0)))}; diff step ${fmt(median(runs.map((r) => r.timings.diff ?? 0)))}; each push appends one migration)`);
}
