// Mutation testing (issue 11 §4): `npm run mutation` (all four folders) or `npm run mutation -- --mutate 'src/rules/**/*.ts'`.
// Not part of `npm test`: it runs the related tests once per mutant and takes a long time on a small machine.
// The global setup builds dist/ from the instrumented sources, but the replay child that runs it gets an empty
// environment, so Stryker can't switch a mutant on there: src/replay/child.ts's mutants are judged in
// docs/mutation-survivors.md. Sandbox tests are opt-in (MUTATION_SANDBOX_TESTS=1, see vitest.mutation.config.ts).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/rules/**/*.ts', 'src/replay/**/*.ts', 'src/schema/**/*.ts', 'src/discover/**/*.ts', '!src/**/types.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['fixtures/.built', 'reports', '.vitest', 'coverage', 'dist'],
  tempDirName: '.stryker-tmp',
  // A node_modules symlink inside the sandbox puts better-sqlite3 outside the replay child's --allow-fs-read paths
  // (dist/ and node_modules' real path), so every child failed to start; without it Node finds ../../node_modules.
  symlinkNodeModules: false,
  // By default Stryker prepends `// @ts-nocheck` to every .ts file, fixtures too, which moves the lines tests expect
  // in fixture files; vitest does not type-check, so nothing needs it.
  disableTypeChecks: false,
  cleanTempDir: 'always',
};
