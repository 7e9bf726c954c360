/**
 * The schema the replayed SQL produces must equal the latest Drizzle snapshot (tables, columns with type, NOT NULL,
 * default and primary key, indexes, foreign keys). When they differ someone hand-edited a migration or a snapshot,
 * and the next `drizzle-kit generate` will diff against a schema the database doesn't have.
 * Skipped when the folder is inconsistent (journal problems, several snapshot tips): those rules speak first.
 */
import type { Report } from '../findings.js';
import { compareSchemas } from '../drizzle/compare-schemas.js';
import { normalizeReplayed } from '../drizzle/normalize.js';
import { capLines, drizzleFolders, generateCommand } from '../drizzle/rule-helpers.js';
import type { DrizzleFolderSide } from '../drizzle/types.js';
import { rebuiltTables } from './shared/pr-operations.js';
import { operationOf, splitStatements } from './shared/sql-operations.js';
import type { ReplaySide, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'drizzle-snapshot-drift',
  identity: ['database', 'data.folder'],
  defaultSeverity: 'error',
  description: 'The schema built by replaying the Drizzle migrations differs from the latest snapshot: a migration or snapshot was edited by hand.',
  messages: {
    drift: 'Replaying the migrations in `{folder}/`{ofDatabase} gives a schema that differs from {snapshot} in {count} place(s): a migration or the snapshot was edited by hand.',
  },
  fix: 'Make the SQL and the snapshot agree. If the hand edit was deliberate (something drizzle-kit can\'t express, or a fix), keep it and make the same change in schema.ts, so the next `{command}` starts from the schema the databases really have. Otherwise undo it and generate the change from schema.ts with `{command}`.',
};

const labels = { left: 'the migrations', right: 'the snapshot' };

function differences(side: DrizzleFolderSide | undefined, replay: ReplaySide['replay'] | undefined, sole: boolean): string[] | undefined {
  if (!side?.latest || !replay?.ok || side.problems.length > 0) return undefined;
  return compareSchemas(normalizeReplayed(replay.schema), side.latest.schema, labels, { ignoreLeftOnlyTables: !sole });
}

/** The line of the first statement naming a table the differences are about (else 1): where to look in the SQL. */
function statementLine(content: string, differences: string[]): number {
  // The group is set whenever the pattern matches; a line it misses adds `undefined`, which no name matches.
  const tables = new Set(differences.map((d) => /^(?:table |view )?([^.:\s]+)/.exec(d)?.[1].toLowerCase()));
  for (const statement of splitStatements(content)) {
    const op = operationOf(statement);
    const name = op?.kind === 'rename-table' ? op.to : op?.table;
    if (name && (tables.has(name) || rebuiltTables(name).some((t) => tables.has(t)))) return statement.line;
  }
  return 1;
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const folder of drizzleFolders(input)) {
    const db = input.databases.find((d) => d.spec.name === folder.database);
    const head = differences(folder.head, db?.head.replay, folder.soleSource);
    if (!head || head.length === 0 || !folder.head.latest) continue;
    const base = differences(folder.base, db?.base.replay, folder.soleSource);
    const preexisting = base !== undefined && head.every((d) => base.includes(d));
    // Point at the SQL the PR touched (the likely hand edit), else at the snapshot.
    const touchedSql = folder.head.sqlFiles.filter((f) => input.touched.has(f)).at(-1);
    const content = touchedSql ? db?.head.files.find((f) => f.path === touchedSql)?.content : undefined;
    reports.push({
      messageId: 'drift',
      data: {
        database: folder.database,
        // A database named after its folder (no wrangler binding names it) is not named twice.
        ofDatabase: folder.database === folder.folder ? '' : ` (${folder.database})`,
        folder: folder.folder, snapshot: folder.head.latest.path, count: head.length, command: generateCommand(folder) },
      database: folder.database,
      file: touchedSql ?? folder.head.latest.path,
      line: content ? statementLine(content, head) : 1,
      preexisting,
      details: capLines(head, 40),
    });
  }
  return reports;
}

export default { meta, check } satisfies Rule;
