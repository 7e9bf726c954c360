// Builds a RuleInput by hand: files become MigrationFiles, schemas come from real SQLite, the delta is what the test
// says. Rule tests build inputs through the real prepare step instead (test/helpers/prepared-input.ts: prInput,
// migrationsInput, drizzleMigrationsInput, preparedInput). What still uses this, and why no repository can give it:
// - deleted-migration.test.ts: exact change shapes (rename vs delete + add, a move out of the folders) of files with
//   identical contents, where git's rename detection would pick its own pairing; a Drizzle rename.
// - destructive-change.test.ts: an injected replay failure beside a drop the diff reports but the PR doesn't spell out,
//   and a diff that reports a rename the PR's own operations don't show.
// - duplicate-number.test.ts: a Drizzle folder and a wrangler folder in one database (hand-set appliers).
// - duplicate-number.mutants.test.ts: Drizzle tags without a number that share a journal idx (a hand-merged journal).
// - out-of-order.mutants.test.ts: a Drizzle folder mixing journaled and unjournaled files (discovery drops a file an
//   existing journal doesn't list).
// - replay-error.test.ts: injected sandbox failures of each kind (refusals, timeouts, size caps) on either side.
// - history/never-applied.mutants, history/regenerated.mutants, engine/run-rules.mutants: unit tests of helpers that
//   need a DatabaseReview with hand-set failures or journal indexes, or any input at all.
// - test/drizzle/drizzle-input.ts: the Drizzle analysis tests' input (analyzeDrizzle runs on it; not migrated yet).
// - migrationFile: MigrationFiles for replay and down-migration unit tests.
import { defaultConfig, type SafariConfig } from '../../src/config/schema.js';
import { leadingNumber } from '../../src/discover/order.js';
import type { DatabaseSpec, MigrationFile } from '../../src/discover/types.js';
import type { ReplayResult } from '../../src/replay/types.js';
import { emptyDelta, type SchemaDelta } from '../../src/schema/delta.js';
import type { DatabaseReview, RuleInput } from '../../src/rules/types.js';
import type { FileChange } from '../../src/source/types.js';
import { schemaFromSql } from './schema-from-sql.js';

export function migrationFile(path: string, content: string, applier: 'wrangler' | 'drizzle' = 'wrangler'): MigrationFile {
  // The discovery's own number reading, so a test can't disagree with a review about what a file's number is.
  const n = leadingNumber(path.split('/').pop() ?? path);
  return {
    path,
    source: path.split('/').slice(0, -1).join('/'),
    applier,
    content,
    number: n?.number ?? null,
    numberText: n?.text ?? null,
  };
}

function replayOf(files: MigrationFile[]): ReplayResult {
  return {
    schema: schemaFromSql(files.map((f) => f.content).join('\n;\n')),
    ok: true,
    failures: [],
    compatibility: [],
    renames: [],
    migrations: files.length,
    statements: 0,
  };
}

export interface DatabaseInput {
  name: string;
  dialect?: 'd1' | 'sqlite';
  /** path → SQL, in apply order. */
  base: Record<string, string>;
  head: Record<string, string>;
  delta?: Partial<SchemaDelta>;
  spec?: Partial<DatabaseSpec>;
  applier?: 'wrangler' | 'drizzle';
}

export function makeRuleInput(opts: {
  databases: DatabaseInput[];
  changes?: FileChange[];
  config?: Partial<SafariConfig>;
  headFiles?: Record<string, string>;
  baseFiles?: Record<string, string>;
  origin?: RuleInput['origin'];
}): RuleInput {
  const databases: DatabaseReview[] = opts.databases.map((d) => {
    // Files stay in the order the test writes them (several folders of one database replay in that order).
    const base = Object.entries(d.base).map(([p, c]) => migrationFile(p, c, d.applier));
    const head = Object.entries(d.head).map(([p, c]) => migrationFile(p, c, d.applier));
    const folders = [...new Set([...base, ...head].map((f) => f.source))];
    return {
      spec: {
        name: d.name,
        dialect: d.dialect ?? 'd1',
        sources: folders.map((path) => ({
          kind: 'wrangler' as const,
          applier: d.applier ?? 'wrangler',
          path,
          attributions: [{ guessed: false, reason: 'test' }],
        })),
        ...d.spec,
      },
      base: { files: base, replay: replayOf(base) },
      head: { files: head, replay: replayOf(head) },
      delta: { ...emptyDelta(), ...d.delta },
    };
  });
  const changes = opts.changes ?? [];
  const headTree: Record<string, string> = { ...opts.headFiles };
  const baseTree: Record<string, string> = { ...opts.baseFiles };
  for (const d of opts.databases) {
    Object.assign(headTree, d.head);
    Object.assign(baseTree, d.base);
  }
  return {
    databases,
    changes,
    touched: new Set(changes.filter((c) => c.status !== 'deleted').map((c) => c.path)),
    conflicts: [],
    config: { ...defaultConfig(), ...opts.config },
    discovery: { databases: databases.map((d) => d.spec), unattributed: [], notices: [] },
    // Every file the test names, as if a rule had declared it (see preparedInput for the real prepare step).
    headTexts: new Map(Object.entries(headTree)),
    baseTexts: new Map(Object.entries(baseTree)),
    references: { tables: new Map(), columns: new Map() },
    headFiles: Object.keys(headTree).sort(),
    baseFiles: Object.keys(baseTree).sort(),
    origin: opts.origin ?? 'local',
  };
}
