import { describe, expect, it } from 'vitest';
import { bundleSchema, schemaEntries } from '../../src/drizzle/bundle-schema.js';

const bundle = (tree: Record<string, string>, entries: string[]) =>
  bundleSchema({ entries, files: Object.keys(tree), read: async (p) => tree[p] });

describe('bundleSchema', () => {
  it('survives a schema that crashes esbuild: the next bundle works (the service is restarted)', async () => {
    // The 6 MB nested array of the issue, scaled: 300,000 levels already overflow esbuild's Go stack.
    const depth = 300_000;
    const crash = await bundle({ 's.ts': `export const x = ${'['.repeat(depth)}${']'.repeat(depth)};` }, ['s.ts']);
    expect(crash).toMatchObject({ ok: false, reason: 'bundle', message: expect.stringMatching(/esbuild crashed .*restarted/) });
    const next = await bundle({ 's.ts': 'export const y = 1;' }, ['s.ts']);
    expect(next.ok).toBe(true);
  }, 60_000);

  it('refuses a schema file over the size cap before esbuild reads it', async () => {
    const big = await bundle({ 'db/s.ts': `export const x = "${'a'.repeat(1024 * 1024)}";` }, ['db/s.ts']);
    expect(big).toMatchObject({ ok: false, reason: 'bundle', message: expect.stringMatching(/^db\/s\.ts is 1025 KiB; Safari bundles schema files of at most 1024 KiB/) });
  });

  it('follows relative imports in the in-memory tree and leaves drizzle-orm to Safari\'s own copy', async () => {
    const r = await bundle(
      {
        'db/schema.ts': "import { sqliteTable } from 'drizzle-orm/sqlite-core';\nimport { cols } from './cols.js';\nexport const t = sqliteTable('t', cols);",
        'db/cols.ts': "import { integer } from 'drizzle-orm/sqlite-core';\nexport const cols = { id: integer('id') };",
      },
      ['db/schema.ts'],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.inputs).toEqual(['db/cols.ts', 'db/schema.ts']);
    expect(r.code).toMatch(/from "file:\/\/\/.*\/node_modules\/drizzle-orm\/sqlite-core\/index\.js"/);
  });

  it('replaces another package by an inert stub, and refuses a relative import outside the tree, naming the file and line', async () => {
    const unknown = await bundle({ 's.ts': "export const a = 1;\nimport { x } from 'left-pad';\nexport const b = x;" }, ['s.ts']);
    expect(unknown).toMatchObject({ ok: true, inputs: ['s.ts'] });
    expect(unknown.ok && unknown.code).toContain('replaced by an inert stub');
    const missing = await bundle({ 'a/s.ts': "import { x } from './nope';\nexport const b = x;" }, ['a/s.ts']);
    expect(missing).toMatchObject({ ok: false, reason: 'bundle', file: 'a/s.ts', line: 1 });
    expect(missing.ok === false && missing.message).toMatch(/not in the pull request's tree/);
  });

  it('resolves the repository\'s own packages to their source, and only those', async () => {
    const tree = {
      'packages/db/src/schema.ts': "import { ROLES } from '@acme/shared';\nimport { slug } from '@acme/shared/strings';\nexport const r = [ROLES, slug];",
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', exports: { '.': { types: './src/index.ts', default: './dist/index.js' }, './strings': './dist/strings.js' } }),
      'packages/shared/src/index.ts': "export const ROLES = ['a'];",
      'packages/shared/src/strings.ts': 'export const slug = 1;',
      'node_modules/evil/package.json': JSON.stringify({ name: 'evil', main: 'index.js' }),
      'node_modules/evil/index.js': 'export default 1;',
    };
    const r = await bundle(tree, ['packages/db/src/schema.ts']);
    expect(r).toMatchObject({ ok: true, inputs: ['packages/db/src/schema.ts', 'packages/shared/src/index.ts', 'packages/shared/src/strings.ts'] });
    // A package under node_modules is never read from the tree: it is a stub like any other package.
    const evil = await bundle({ ...tree, 'node_modules/evil/index.js': 'export default "EVIL CODE";', 'packages/db/src/schema.ts': "import x from 'evil';\nexport const y = x;" }, ['packages/db/src/schema.ts']);
    expect(evil).toMatchObject({ ok: true, inputs: ['packages/db/src/schema.ts'] });
    expect(evil.ok && evil.code).not.toContain('EVIL CODE');
  });

  it('never reads the host\'s disk: absolute paths and file: URLs are refused', async () => {
    for (const spec of ['/etc/passwd', 'file:///etc/passwd', '\\\\server\\share']) {
      const r = await bundle({ 's.ts': `import x from ${JSON.stringify(spec)};\nexport const y = x;` }, ['s.ts']);
      expect(r).toMatchObject({ ok: false, reason: 'import', file: 's.ts', line: 1 });
      expect(r.ok === false && r.message).not.toMatch(/root:/);
    }
  });

  it('expands schema entries given as files, folders and globs', () => {
    const files = ['src/db/a.ts', 'src/db/b.ts', 'src/db/a.test.ts', 'src/db/types.d.ts', 'src/other.ts'];
    expect(schemaEntries(['./src/db/a.ts'], files)).toEqual(['src/db/a.ts']);
    expect(schemaEntries(['src/db/'], files)).toEqual(['src/db/a.ts', 'src/db/b.ts']);
    expect(schemaEntries(['src/**/*.ts'], files)).toEqual(['src/db/a.ts', 'src/db/b.ts', 'src/other.ts']);
  });
});
