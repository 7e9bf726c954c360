// What the Docker image runs, checked on this machine (no Docker engine here): the runtime stage's files exist, the
// server only needs production dependencies, the user is not root, and the entry point is `npm start`. The
// HEALTHCHECK script itself runs against the real server in test/e2e/app-server.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

describe('Dockerfile', () => {
  it('is multi-stage and runs `npm start`’s command as a non-root user with a HEALTHCHECK', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toMatch(/^USER node$/m);
    // `npm start`'s own command, run by node (npm would exit on SIGTERM before the server stopped; see docker-image.test.ts).
    expect(runtime).toMatch(/^CMD \["node", "node_modules\/probot\/bin\/probot.js", "run", "\.\/dist\/index.js"\]$/m);
    expect(pkg.scripts.start).toBe('probot run ./dist/index.js');
    const health = /^HEALTHCHECK .*CMD \["node", "([^"]+)"\]$/m.exec(runtime);
    expect(health?.[1]).toBe('scripts/healthcheck.mjs');
    expect(runtime).toContain('COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs');
  });

  it("copies only files that exist, and the build stage prunes dev dependencies", () => {
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const path of from.split(' ')) expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
  });

  it('the server and the review worker import production dependencies only', () => {
    const dependencies = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const imported = new Set<string>();
    for (const file of jsFiles(join(ROOT, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
        if (!spec || spec.startsWith('.') || builtins.has(spec) || spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    expect(imported.has('p-queue')).toBe(true);
    // `npm start` runs probot's own binary.
    expect(dependencies.has('probot')).toBe(true);
    for (const name of imported) expect(dependencies.has(name), `${name} is imported by dist/ but is not a production dependency`).toBe(true);
  });
});
