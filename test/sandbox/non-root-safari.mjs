// Run by non-root.test.ts as an unprivileged user: Safari's sandboxes (replay and schema evaluation) as that user would
// run them, from the compiled dist/. Prints one JSON line.
const dist = new URL('../../dist/', import.meta.url);
const { ReplaySandbox } = await import(new URL('replay/sandbox.js', dist).href);
const { evaluateSchema, schemaLaunchPlan } = await import(new URL('drizzle/evaluate-schema.js', dist).href);
const { bundleSchema } = await import(new URL('drizzle/bundle-schema.js', dist).href);

const sandbox = new ReplaySandbox({ size: 1, isolation: 'strict', log: () => {} });
const plan = await sandbox.launchPlan;
const replay = await sandbox.replay({
  database: 'x',
  dialect: 'sqlite',
  files: [{ path: 'm/0001.sql', applier: 'wrangler', content: 'CREATE TABLE t (id INTEGER PRIMARY KEY);' }],
});
await sandbox.close();

const tree = { 's.ts': "import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';\nexport const t = sqliteTable('t', { id: integer('id') });\nif (process.getuid() !== 65534 || process.pid !== 1) throw new Error('not sandboxed');" };
const bundle = await bundleSchema({ entries: ['s.ts'], files: Object.keys(tree), read: async (p) => tree[p] });
const evaluation = await evaluateSchema(bundle.code, null, { isolation: 'strict' });
// A schema that signals its process group and every process it can: Safari (same uid outside the namespaces when it
// is not root) must survive to print the line below.
const killer = { 's.ts': "process.kill(0, 'SIGKILL');" };
const killerBundle = await bundleSchema({ entries: ['s.ts'], files: ['s.ts'], read: async (p) => killer[p] });
const killed = await evaluateSchema(killerBundle.code, null, { isolation: 'strict' });
const killerAll = { 's.ts': "process.kill(-1, 'SIGKILL');" };
const killerAllBundle = await bundleSchema({ entries: ['s.ts'], files: ['s.ts'], read: async (p) => killerAll[p] });
const killedAll = await evaluateSchema(killerAllBundle.code, null, { isolation: 'strict' });

process.stdout.write(
  `${JSON.stringify({
    uid: process.getuid(),
    replayPlan: plan.name,
    schemaPlan: schemaLaunchPlan().name,
    replayOk: replay.ok,
    tables: Object.keys(replay.schema.tables),
    evaluation: evaluation.ok ? 'ok' : `${evaluation.reason}: ${evaluation.message}`,
    killers: [killed.ok ? 'ok' : killed.reason, killedAll.ok ? 'ok' : killedAll.reason],
  })}\n`,
);
