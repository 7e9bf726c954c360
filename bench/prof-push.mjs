// Profile of replayPair + diffSchemas for successive pushes (one more appended migration each) at 2,000 migrations.
import { buildFixture } from '../fixtures/generate/index.mjs';
import { ReplaySandbox } from '../dist/replay/sandbox.js';
import { openGitSource } from '../dist/source/git.js';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
import { diffSchemas } from '../dist/schema/diff.js';
const repo = await buildFixture(process.argv[2] ?? 'scale-2000');
const src = await openGitSource(repo, 'main', 'pr');
const d = await discover(src.head);
const base = await loadMigrations(src.base, d.databases[0]);
const head = await loadMigrations(src.head, d.databases[0]);
const push = (i) => [...head, ...Array.from({ length: i }, (_, k) => ({ ...head[head.length - 1], path: `migrations/${9000 + k}_push.sql`, content: `CREATE TABLE push_${k} (id INTEGER PRIMARY KEY);` }))];
const sb = new ReplaySandbox({ log: () => {} });
await sb.replayPair({ database: 'x', dialect: 'd1', base, head });
let n = 1;
for (; n <= 5; n++) {
  const t = performance.now();
  const r = await sb.replayPair({ database: 'x', dialect: 'd1', base, head: push(n) });
  const t1 = performance.now();
  diffSchemas(r.base.schema, r.head.schema, []);
  console.log('push', n, 'replayPair', (t1 - t).toFixed(1), 'diff', (performance.now() - t1).toFixed(1), r.cached);
}
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.start');
for (let i = 0; i < 5; i++, n++) { const r = await sb.replayPair({ database: 'x', dialect: 'd1', base, head: push(n) }); diffSchemas(r.base.schema, r.head.schema, []); }
const { profile } = await s.post('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
for (let i = 0; i < profile.samples.length; i++) { const x = byId.get(profile.samples[i]); const k = `${x.callFrame.functionName} ${x.callFrame.url.split('/').slice(-2).join('/')}:${x.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + profile.timeDeltas[i] / 1000); }
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(1)}ms ${k}`).join('\n'));
await sb.close(); await src.close();
