// Builds a RuleInput by hand: files become MigrationFiles, schemas come from real SQLite. New rule tests use
// test/helpers/prepared-input.ts (the real pipeline) instead; this stays for inputs a repository can't easily give:
// Drizzle appliers without a project, exact git change shapes (deleted-migration), injected replay facts.
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
