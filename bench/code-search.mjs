// Benchmark: code search over a generated 10,000-file repository held in memory.
// Usage: npm run build && node bench/code-search.mjs   → prints the median of 7 cold searches (load + search).
import { performance } from 'node:perf_hooks';
import { createCodeSearch } from '../dist/code/code-search.js';

const FILES = 10_000;
const RUNS = 7;

function generate() {
  const files = {};
  const words = ['tenants', 'posts', 'pages', 'media', 'meadow_posts', 'comments', 'gallery_images', 'pulse_events'];
  for (let i = 0; i < FILES; i++) {
    const table = words[i % words.length];
    const lines = [];
    lines.push(`import { db } from '../db/client.js';`);
    lines.push(`// module ${i}: reads ${table}`);
    for (let k = 0; k < 40; k++) {
      lines.push(`export async function f${k}(id: string) {`);
      lines.push(`  const row = await db.prepare('SELECT id, title, posts_count FROM ${table} WHERE tenant_id = ? AND id = ?').bind(id, ${k}).first();`);
      lines.push(`  return row ? { ...row, label: "item ${k}" } : null;`);
      lines.push('}');
    }
    if (i % 997 === 0) lines.push(`const billing = await db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?').bind(t).first();`);
    const dir = i % 10 === 0 ? 'libs/engine/migrations' : `apps/app${i % 50}/src/lib`;
    files[`${dir}/file-${i}.${i % 10 === 0 ? 'sql' : 'ts'}`] = lines.join('\n');
  }
  return files;
}

const files = generate();
const bytes = Object.values(files).reduce((n, s) => n + s.length, 0);
const tree = {
  id: 'bench',
  list: async () => Object.keys(files).sort(),
  read: async (paths) => new Map(paths.map((p) => [p, files[p]])),
  sizes: async (paths) => new Map(paths.map((p) => [p, files[p] === undefined ? undefined : Buffer.byteLength(files[p])])),
};
const names = ['platform_billing', 'products', 'orders', 'refunds', 'posts', 'observability_metrics'];
const times = [];
let found;
for (let run = 0; run < RUNS; run++) {
  const search = createCodeSearch(tree, { exclude: (p) => p.startsWith('libs/engine/migrations/') });
  const start = performance.now();
  found = await search.references(names, { limit: 5 });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);

// Floor: one pass of one combined pattern over every non-migration file (no identifier rules, no SQL parsing, no
// line numbers): the least any search that must look at every file can do.
const floorTimes = [];
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const paths = (await tree.list()).filter((p) => !p.startsWith('libs/engine/migrations/'));
  const texts = await tree.read(paths);
  const pattern = new RegExp(names.join('|'), 'g');
  let hits = 0;
  for (const text of texts.values()) hits += text.match(pattern)?.length ?? 0;
  floorTimes.push(performance.now() - start + hits * 0);
}
floorTimes.sort((a, b) => a - b);
const median = times[RUNS >> 1];
const floor = floorTimes[RUNS >> 1];
console.log(`code-search: ${FILES} files, ${(bytes / 1e6).toFixed(1)} MB, ${names.length} names`);
console.log(`references: ${[...found].map(([n, r]) => `${n}=${r.length}`).join(' ')}`);
console.log(`median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[RUNS - 1].toFixed(1)}); floor (one combined-pattern pass) ${floor.toFixed(1)} ms; ratio ${(median / floor).toFixed(2)}×`);

// Worst case: a name on every line of every file that never counts (a column in parsed SQL), so each file is lexed.
const worst = [];
for (let run = 0; run < 3; run++) {
  const search = createCodeSearch(tree, { exclude: (p) => p.startsWith('libs/engine/migrations/') });
  const start = performance.now();
  await search.references(['tenant_id']);
  worst.push(performance.now() - start);
}
worst.sort((a, b) => a - b);
console.log(`worst case (name in every file, never a table): median ${worst[1].toFixed(1)} ms`);
