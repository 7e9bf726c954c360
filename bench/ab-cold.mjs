// A/B of the uncached seed-scale review between this tree's dist and another build (argv[2], e.g. /tmp/old),
// interleaved in one process so both see the same machine load. Median replay+diff and end to end, ms.
import { buildFixture } from '../fixtures/generate/index.mjs';
const other = process.argv[2];
const cacheBytes = process.argv[3] === 'cached' ? undefined : 0;
const load = async (root) => ({
  ReplaySandbox: (await import(`${root}/dist/replay/sandbox.js`)).ReplaySandbox,
  review: (await import(`${root}/dist/review.js`)).review,
  openGitSource: (await import(`${root}/dist/source/git.js`)).openGitSource,
});
const sides = { new: await load(new URL('..', import.meta.url).pathname), old: await load(other) };
const repo = await buildFixture(process.argv[4] ?? 'grove');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const state = {};
for (const [name, m] of Object.entries(sides)) {
  state[name] = { m, sandbox: new m.ReplaySandbox({ cacheBytes, log: () => {} }), stage: [], e2e: [] };
}
async function once(s) {
  const source = await s.m.openGitSource(repo, 'main', 'pr');
  const timings = {};
  const t = performance.now();
  await s.m.review(source, { sandbox: s.sandbox, evaluateSchema: false, timings });
  const ms = performance.now() - t;
  await source.close();
  return { ms, stage: (timings.replay ?? 0) + (timings.diff ?? 0) };
}
for (const s of Object.values(state)) await once(s);
for (let i = 0; i < Number(process.argv[5] ?? 15); i++) {
  for (const s of Object.values(state)) {
    const r = await once(s);
    s.stage.push(r.stage);
    s.e2e.push(r.ms);
  }
}
for (const [name, s] of Object.entries(state)) {
  console.log(name, 'replay+diff', median(s.stage).toFixed(1), 'e2e', median(s.e2e).toFixed(1));
  await s.sandbox.close();
}
