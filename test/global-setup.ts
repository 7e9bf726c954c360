// The sandbox children run compiled JavaScript from dist/; build it once before any test (fast: esbuild, no type-check).
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
