// The tests `npm run mutation` runs for each mutant: the unit tests of the mutated folders. Excluded: the end-to-end
// and sandbox-process tests (minutes per run, and their children load dist/ built before the mutant is switched on)
// and replay-fork, whose cache test fails inside Stryker's copied sandbox (not under a plain `vitest run`).
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/rules/**/*.test.ts', 'test/schema/**/*.test.ts', 'test/discover/**/*.test.ts', 'test/replay/**/*.test.ts'],
      exclude: ['**/*.e2e.test.ts', 'test/replay/replay-fork.test.ts', 'test/replay/sandbox-*.test.ts', 'node_modules/**'],
      reporters: ['default'],
    },
  }),
);
