// Per-database replayPair times of the grove fixture, run concurrently as a review does (no cache).
import { buildFixture } from '../fixtures/generate/index.mjs';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { openGitSource } from '../dist/source/git.js';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
const repo = await buildFixture('grove');
const src = await openGitSource(repo, 'main', 'pr');
const dbs = [];
for (const spec of (await discover(src.head)).databases) dbs.push({ spec, base: await loadMigrations(src.base, spec), head: await loadMigrations(src.head, spec) });
const sb = new ReplaySandbox({ cacheBytes: 0, log: () => {} });
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  const times = await Promise.all(dbs.map(async ({ spec, base, head }) => {
    await sb.replayPair({ database: spec.name, dialect: spec.dialect, base, head });
    return `${spec.name}:${(performance.now() - t).toFixed(0)}`;
  }));
  console.log((performance.now() - t).toFixed(1), times.join(' '));
}
await sb.close(); await src.close();
