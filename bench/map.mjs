// Benchmark: `safari map` of the grove fixture against the review's replay of the same revision, in the same run.
//
// The review (main...pr) replays main as its base. The map of main, in the same sandbox afterwards, takes main's
// databases from the replay cache, so its cost is discovery, loading, the code scan and assembly. The bar (issue 8):
// the map ≤ 2× the review's replay step. Also shown: the map when nothing is cached (every database replayed).
// Usage: npm run build && node bench/map.mjs [--quick]
import { performance } from 'node:perf_hooks';
import { buildFixture } from '../fixtures/generate/index.mjs';
import { inventoryRepository } from '../dist/map/map.js';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { review } from '../dist/review.js';
import { openGitSource } from '../dist/source/git.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 15;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

const repo = await buildFixture('grove');

async function timedReview(sandbox) {
  const source = await openGitSource(repo, 'main', 'pr');
  const timings = {};
  try {
    await review(source, { sandbox, evaluateSchema: false, timings });
    return timings;
  } finally {
    await source.close();
  }
}

async function timedMap(sandbox) {
  const source = await openGitSource(repo, 'main', 'main');
  const timings = {};
  const t = performance.now();
  try {
    await inventoryRepository(source.head, sandbox, { rev: source.headSha, timings });
    return { ms: performance.now() - t, timings };
  } finally {
    await source.close();
  }
}

// The review's replay, uncached (warm children, no cache), as `npm run bench` measures it.
const cold = new ReplaySandbox({ cacheBytes: 0, log: () => {} });
await timedReview(cold); // start the children
const reviewReplay = [];
for (let i = 0; i < RUNS; i++) reviewReplay.push((await timedReview(cold)).replay ?? 0);
const mapUncached = [];
for (let i = 0; i < RUNS; i++) mapUncached.push(await timedMap(cold));
await cold.close();

// The map after a review of main...pr in the same sandbox: main's databases come from the replay cache.
const warm = new ReplaySandbox({ log: () => {} });
await timedReview(warm);
const mapCached = [];
for (let i = 0; i < RUNS; i++) mapCached.push(await timedMap(warm));
await warm.close();

const replay = median(reviewReplay);
const cached = median(mapCached.map((r) => r.ms));
const uncached = median(mapUncached.map((r) => r.ms));
const steps = ['config', 'discover', 'load', 'replay', 'code', 'assemble'];
console.log(`## safari map of grove main (median of ${RUNS})`);
console.log();
console.log('| measure | median | ratio to the review’s replay |');
console.log('| --- | ---: | ---: |');
console.log(`| review main...pr: replay step (warm sandbox, no cache) | ${fmt(replay)} | 1.00× |`);
console.log(`| map of main after that review (replay from cache) | ${fmt(cached)} | ${(cached / replay).toFixed(2)}× |`);
console.log(`| map of main, nothing cached | ${fmt(uncached)} | ${(uncached / replay).toFixed(2)}× |`);
console.log();
console.log(`Map steps from cache (median ms): ${steps.map((s) => `${s} ${median(mapCached.map((r) => r.timings[s] ?? 0)).toFixed(1)}`).join(' · ')}`);
console.log(`Map steps, nothing cached (median ms): ${steps.map((s) => `${s} ${median(mapUncached.map((r) => r.timings[s] ?? 0)).toFixed(1)}`).join(' · ')}`);
