import { buildFixture } from '../fixtures/generate/index.mjs';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { review } from '../dist/review.js';
import { openGitSource } from '../dist/source/git.js';
const name = process.argv[2] ?? 'scale-2000';
const repo = await buildFixture(name);
const sb = new ReplaySandbox({ log: () => {} });
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const src = await openGitSource(repo, 'main', 'pr');
  const t1 = performance.now();
  const timings = {};
  await review(src, { sandbox: sb, evaluateSchema: false, timings });
  await src.close();
  console.log('open', (t1 - t).toFixed(1), 'total', (performance.now() - t).toFixed(1), JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, +v.toFixed(1)]))));
}
await sb.close();
