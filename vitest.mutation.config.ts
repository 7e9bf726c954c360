// The tests `npm run mutation` runs for each mutant: the unit tests of the mutated folders. Excluded: the end-to-end
// and sandbox-process tests (minutes per run, and their children load dist/ built before the mutant is switched on)
// (Not mergeConfig: it would concatenate `include` with the base config's `test/**`.)
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  test: {
    ...base.test,
    globalSetup: [...(base.test?.globalSetup as string[]), 'test/mutation-setup.ts'],
    include: ['test/rules/**/*.test.ts', 'test/schema/**/*.test.ts', 'test/discover/**/*.test.ts', 'test/replay/**/*.test.ts'],
    // Tests that start replay children: timing-sensitive on a loaded machine (they flaked in Stryker's dry run) and
    // their children run dist/, so they could not see a mutant anyway.
    exclude: [
      '**/*.e2e.test.ts',
      'test/replay/{gate,launch,replay-cache,replay-fork,replay-pair,replay-semantics,base-cache}.test.ts',
      'test/replay/sandbox-*.test.ts',
      'node_modules/**',
    ],
    reporters: ['default'],
    outputFile: undefined,
  },
});
