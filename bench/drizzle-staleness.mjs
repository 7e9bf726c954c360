#!/usr/bin/env node
// Benchmark: the schema-staleness check on a 30-table Drizzle schema, end to end as a review runs it — bundle
// schema.ts from an in-memory tree with esbuild, evaluate it in the sandboxed child (permission model, no network,
// limits), compare drizzle-kit's snapshot with the latest committed one. Prints the median of several runs in ms.
// Needs `npm run build` first (the child runs from dist/). Usage: [TABLES=30] node bench/drizzle-staleness.mjs [runs]
import { execFileSync } from 'node:child_process';
import { analyzeDrizzle } from '../dist/drizzle/analyze.js';
import { defaultConfig } from '../dist/config/schema.js';

const TABLES = Number(process.env.TABLES ?? 30);
const runs = Number(process.argv[2] ?? 7);

function schemaSource(tables, extraColumn) {
  const lines = ["import { sql } from 'drizzle-orm';", "import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';", ''];
  for (let i = 0; i < tables; i++) {
    const parent = i > 0 ? `\n  parentId: integer('parent_id').references(() => t${i - 1}.id, { onDelete: 'cascade' }),` : '';
    lines.push(`export const t${i} = sqliteTable('table_${i}', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  score: real('score').default(0),
  status: text('status').notNull().default('draft'),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),${parent}${i === 0 && extraColumn ? "\n  extra: text('extra')," : ''}
}, (t) => [index('table_${i}_status_idx').on(t.status)]);
`);
  }
  return lines.join('\n');
}

// The committed snapshot comes from the same sandboxed evaluation of the unchanged schema (what generate would write).
async function committedSnapshot() {
  const { bundleSchema } = await import('../dist/drizzle/bundle-schema.js');
  const { evaluateSchema } = await import('../dist/drizzle/evaluate-schema.js');
  const tree = { 'src/schema.ts': schemaSource(TABLES, false) };
  const b = await bundleSchema({ entries: ['src/schema.ts'], files: Object.keys(tree), read: async (p) => tree[p] });
  if (!b.ok) throw new Error(b.message);
  const r = await evaluateSchema(b.code, null);
  if (!r.ok) throw new Error(r.message);
  return { ...r.snapshot, id: '6b8d2b3e-1111-4222-8333-944444444444', prevId: '00000000-0000-0000-0000-000000000000' };
}

const snapshot = JSON.stringify(await committedSnapshot(), null, 2);
const journal = JSON.stringify({ version: '7', dialect: 'sqlite', entries: [{ idx: 0, version: '6', when: 1, tag: '0000_init', breakpoints: true }] });
const base = { 'drizzle/0000_init.sql': '-- generated\n', 'drizzle/meta/_journal.json': journal, 'drizzle/meta/0000_snapshot.json': snapshot, 'src/schema.ts': schemaSource(TABLES, false) };
const head = { ...base, 'src/schema.ts': schemaSource(TABLES, true) };
const spec = {
  name: 'app',
  dialect: 'sqlite',
  sources: [{ kind: 'drizzle', applier: 'drizzle', path: 'drizzle', drizzle: { configFile: 'drizzle.config.ts', schema: ['src/schema.ts'], dialect: 'sqlite' }, attributions: [] }],
};
const emptyReplay = { schema: { tables: {}, views: {}, triggers: {} }, ok: true, failures: [], compatibility: [], renames: [], migrations: 0, statements: 0 };
const args = {
  databases: [{ spec, base: { files: [], replay: emptyReplay }, head: { files: [], replay: emptyReplay }, delta: {} }],
  readHead: async (p) => head[p],
  readBase: async (p) => base[p],
  headFiles: Object.keys(head).sort(),
  baseFiles: Object.keys(base).sort(),
  touched: new Set(['src/schema.ts']),
  config: defaultConfig(),
  origin: 'same-repo',
};

async function measure(label, headTree, expectStatus) {
  const run = { ...args, readHead: async (p) => headTree[p], headFiles: Object.keys(headTree).sort() };
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const analysis = await analyzeDrizzle(run);
    times.push(performance.now() - t);
    const e = analysis.folders[0].evaluation;
    if (e.status !== expectStatus) throw new Error(`unexpected evaluation: ${JSON.stringify(e).slice(0, 300)}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`drizzle-staleness ${label}: ${TABLES} tables, ${runs} runs, median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}); ${(median / floor).toFixed(2)}× the floor`);
}

// Floor: a bare Node process that only loads drizzle-kit's API — what any out-of-process evaluation pays.
const floorTimes = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  execFileSync(process.execPath, ['--input-type=module', '-e', "await import('drizzle-kit/api')"], { cwd: new URL('..', import.meta.url).pathname });
  floorTimes.push(performance.now() - t);
}
floorTimes.sort((a, b) => a - b);
const floor = floorTimes[Math.floor(floorTimes.length / 2)];
console.log(`drizzle-staleness floor (node + import drizzle-kit/api): median ${floor.toFixed(0)} ms`);

// Up to date: one sandboxed evaluation of the head schema.
await measure('fresh', { ...base, 'src/schema.ts': `// touched\n${base['src/schema.ts']}` }, 'fresh');
// Stale: the head evaluation, plus the base evaluation that decides whether main was already stale.
await measure('stale', head, 'stale');
