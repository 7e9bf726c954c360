// CPU profile of one replay child running the grove engine database's head (50 times), outside the sandbox.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildFixture } from '../fixtures/generate/index.mjs';
import { openGitSource } from '../dist/source/git.js';
import { discover } from '../dist/discover/discover.js';
import { loadMigrations } from '../dist/discover/load-migrations.js';
const repo = await buildFixture('grove');
const src = await openGitSource(repo, 'main', 'pr');
const spec = (await discover(src.head)).databases.find((d) => d.name === 'grove-engine-db');
const head = (await loadMigrations(src.head, spec)).map((f) => ({ path: f.path, applier: f.applier, content: f.content }));
await src.close();
const dir = mkdtempSync(join(tmpdir(), 'prof-child-'));
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, new URL('../dist/replay/child.js', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
let done = 0;
const runs = 50;
const t = { start: 0 };
await new Promise((resolve) => {
  lines.on('line', (line) => {
    if (line.startsWith('p ')) return;
    const m = JSON.parse(line);
    if (m.type === 'ready') {
      t.start = performance.now();
      for (let i = 1; i <= runs; i++) child.stdin.write(JSON.stringify({ id: i, dialect: 'd1', segments: [head] }) + '\n');
    }
    if (m.type === 'done' && ++done === runs) resolve();
  });
});
console.log('per job', ((performance.now() - t.start) / runs).toFixed(1), 'ms');
child.stdin.end();
await new Promise((r) => child.on('close', r));
const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
const self = new Map();
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
for (let i = 0; i < profile.samples.length; i++) { const x = byId.get(profile.samples[i]); const k = `${x.callFrame.functionName} ${x.callFrame.url.split('/').slice(-2).join('/')}:${x.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + profile.timeDeltas[i] / 1000); }
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / runs).toFixed(2)}ms ${k}`).join('\n'));
