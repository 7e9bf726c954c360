// The tests `npm run mutation` runs for each mutant: the unit tests of the mutated folders. Excluded: the end-to-end
// and, by default, the sandbox tests (below).
// (Not mergeConfig: it would concatenate `include` with the base config's `test/**`.)
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  test: {
    ...base.test,
    globalSetup: [...(base.test?.globalSetup as string[]), 'test/mutation-setup.ts'],
    // test/drizzle's fixture tests judge the Drizzle rules on whole fixture repositories; its sandbox tests (schema
    // evaluation, src/drizzle) are not about the mutated folders.
    // MUTATION_TESTS (comma-separated globs) narrows the set for one batch: replay code also runs under every rule
    // test that builds its input through the pipeline, so a replay mutant would otherwise rerun the rule suite.
    include: process.env.MUTATION_TESTS?.split(',') ?? [
      'test/rules/**/*.test.ts',
      'test/schema/**/*.test.ts',
      'test/discover/**/*.test.ts',
      'test/replay/**/*.test.ts',
      'test/drizzle/{fixtures,read-and-normalize,rule-helpers}.test.ts',
    ],
    // Tests that drive the replay sandbox (pool, cache, replay semantics, hostile SQL) take about a minute per run,
    // too slow per mutant for a routine run: left out unless MUTATION_SANDBOX_TESTS=1. They pass in Stryker's pool
    // (threads, one worker) and can kill mutants in the parent-side code (sandbox.ts, sandbox-child.ts). Code in
    // child.ts runs in the child, which gets an empty environment, so Stryker can't switch its mutants on.
    exclude: [
      '**/*.e2e.test.ts',
      ...(process.env.MUTATION_SANDBOX_TESTS === '1'
        ? []
        : ['test/replay/{replay-cache,replay-fork,replay-pair,replay-semantics}.test.ts', 'test/replay/sandbox{-*,.mutants}.test.ts']),
      'node_modules/**',
    ],
    reporters: ['default'],
    outputFile: undefined,
  },
});
