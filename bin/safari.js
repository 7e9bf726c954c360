#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install`'s prepare step, or `npm run build`).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('safari: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
