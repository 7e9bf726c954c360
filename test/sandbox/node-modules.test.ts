// Which folders a sandbox child may read: Safari's dependencies however they are installed (a symlinked node_modules,
// pnpm's layout), each passed once and outermost, as Node 20's permission model needs.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outermostPaths, packageReadPaths } from '../../src/sandbox/node-modules.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'safari-node-modules-')));
chmodSync(root, 0o755); // the sandbox's user reads Safari's files from here
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('outermostPaths', () => {
  it('passes each folder once, and none inside another', () => {
    expect(outermostPaths(['/a/node_modules', '/a/dist', '/a/node_modules', '/a/node_modules/.pnpm/x/node_modules', '/b'])).toEqual([
      '/b',
      '/a/dist',
      '/a/node_modules',
    ]);
    expect(outermostPaths(['/a/node', '/a/node_modules'])).toEqual(['/a/node', '/a/node_modules']); // a prefix is not a parent
  });
});

describe('packageReadPaths', () => {
  it("names the node_modules Node's lookup walks into (a symlink by its own path) and the package's real folder", () => {
    const app = join(root, 'lookup');
    const store = join(root, 'store', 'node_modules');
    mkdirSync(join(store, 'pkg'), { recursive: true });
    mkdirSync(join(app, 'dist', 'replay'), { recursive: true });
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(join(store, 'pkg'), join(app, 'node_modules', 'pkg')); // pnpm: a link into its store
    const script = join(app, 'dist', 'replay', 'child.js');
    expect(packageReadPaths(script, ['pkg', 'not-installed'])).toEqual([join(app, 'node_modules'), store]);
  });
});

describe('a Safari whose node_modules is a symlink', () => {
  const app = join(root, 'linked');
  mkdirSync(app);
  cpSync(new URL('../../dist', import.meta.url).pathname, join(app, 'dist'), { recursive: true });
  cpSync(new URL('../../package.json', import.meta.url).pathname, join(app, 'package.json'));
  symlinkSync(new URL('../../node_modules', import.meta.url).pathname, join(app, 'node_modules'));

  it('evaluates a schema.ts (its child loads drizzle-kit by the real path)', () => {
    writeFileSync(
      join(app, 'evaluate.mjs'),
      `import { bundleSchema } from './dist/drizzle/bundle-schema.js';
import { evaluateSchema } from './dist/drizzle/evaluate-schema.js';
const tree = { 's.ts': "import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';\\nexport const t = sqliteTable('t', { id: integer('id') });" };
const bundle = await bundleSchema({ entries: ['s.ts'], files: Object.keys(tree), read: async (p) => tree[p] });
const r = await evaluateSchema(bundle.code, null, {});
console.log(JSON.stringify({ ok: r.ok, tables: r.ok ? Object.keys(r.snapshot.tables) : r.message }));
process.exit(0); // esbuild's service would keep the process alive
`,
    );
    const out = execFileSync(process.execPath, ['evaluate.mjs'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out)).toEqual({ ok: true, tables: ['t'] });
  }, 60_000);

  it('replays: its children may read the dependencies by the linked path (they could not start before)', () => {
    writeFileSync(
      join(app, 'replay.mjs'),
      `import { ReplaySandbox } from './dist/replay/sandbox.js';
const s = new ReplaySandbox({ size: 1, log: (line) => process.stderr.write(line + '\\n') });
const r = await s.replay({ database: 'd', dialect: 'sqlite', files: [{ path: 'm/0001.sql', applier: 'wrangler', content: 'CREATE TABLE a (x);' }] });
await s.close();
console.log(JSON.stringify({ failures: r.failures.map((f) => f.message), tables: Object.keys(r.schema.tables) }));
`,
    );
    const out = execFileSync(process.execPath, ['replay.mjs'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out)).toEqual({ failures: [], tables: ['a'] });
  }, 60_000);
});
