// Mutation testing (issue 11 §4): `npm run mutation` (all four folders), `npm run mutation -- --mutate 'src/rules/**/*.ts'`,
// or file by file with scripts/mutation-by-file.sh (one report per file, so a stopped run keeps what finished).
// Not part of `npm test`: it runs the related tests once per mutant and takes a long time on a small machine.
// The global setup builds dist/ from the instrumented sources, but the replay child that runs it gets an empty
// environment, so Stryker can't switch a mutant on there: src/replay/child.ts's mutants are judged in
// docs/mutation-survivors.md. Sandbox tests are opt-in (MUTATION_SANDBOX_TESTS=1, see vitest.mutation.config.ts).
// STRYKER_NAME (set by the script) names the JSON report and the incremental file of one file's run.
const name = process.env.STRYKER_NAME ?? 'mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/rules/**/*.ts', 'src/replay/**/*.ts', 'src/schema/**/*.ts', 'src/discover/**/*.ts', '!src/**/types.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Added to 1.5 × the covering tests' own time: a mutant that loops costs a worker this long.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/files/${name}.json` },
  // Reruns test only mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: `reports/mutation/incremental/${name}.json`,
  // Mutants that run only while a module loads (rule meta: message and fix wording) would each rerun every test;
  // wording is checked by the rules' message tests, not mutant by mutant. Stryker counts them as "ignored".
  ignoreStatic: true,
  ignorePatterns: ['fixtures/.built', 'reports', '.vitest', 'coverage', 'dist'],
  tempDirName: '.stryker-tmp',
  // Node finds ../../node_modules without a symlink. (A symlink once made every replay child fail to start: its
  // --allow-fs-read paths held node_modules' real path only. They hold the linked path too now; unneeded here.)
  symlinkNodeModules: false,
  // By default Stryker prepends `// @ts-nocheck` to every .ts file, fixtures too, which moves the lines tests expect
  // in fixture files; vitest does not type-check, so nothing needs it.
  disableTypeChecks: false,
  cleanTempDir: 'always',
};
