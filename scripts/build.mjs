// Transpiles src/**/*.ts to dist/ file by file (no bundling, no type-check: `npm run typecheck` does that).
// esbuild rather than tsc so a build never waits on the type-checker and the sandbox children always exist.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const entries = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) entries.push(p);
  }
};
walk(join(root, 'src'));
// No wipe first: a build while tests or a review run (sandbox children load dist/ lazily) must never leave a moment
// with the modules missing. Outputs of deleted sources are removed after the build instead.
await build({
  entryPoints: entries,
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  format: 'esm',
  platform: 'node',
  target: 'node20',
  bundle: false,
  sourcemap: false,
  logLevel: 'warning',
});
const expected = new Set(entries.map((e) => join(root, 'dist', e.slice(join(root, 'src').length).replace(/\.ts$/, '.js'))));
const prune = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) prune(p);
    else if (p.endsWith('.js') && !expected.has(p)) rmSync(p, { force: true });
  }
};
prune(join(root, 'dist'));
