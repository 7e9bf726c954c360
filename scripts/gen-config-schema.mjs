// Writes docs/safari.schema.json from the zod schema in src/config/schema.ts (`--check`: exit 1 when it is stale).
// Bundles the sources with esbuild into a temp file so it never depends on a dist/ that another build may be rewriting.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'docs', 'safari.schema.json');
const dir = mkdtempSync(join(tmpdir(), 'safari-schema-'));
try {
  const bundle = join(dir, 'json-schema.mjs');
  await build({
    entryPoints: [join(root, 'src', 'config', 'json-schema.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const { configJsonSchema } = await import(pathToFileURL(bundle).href);
  const text = JSON.stringify(configJsonSchema(), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('docs/safari.schema.json is out of date: run `node scripts/gen-config-schema.mjs`');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
