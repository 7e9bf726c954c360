/**
 * The PR drops (or renames away) a table, or drops a column, that non-migration source files of the head tree still
 * reference — the seed's `platform_billing`, kept because of "15+ active production references". A table that still
 * exists under the same name in another database after the PR (a move between databases) is not reported: the code
 * is expected to follow it there.
 */
import type { Report } from '../findings.js';
import { at, dropOf, locateColumnChange, prOperations, prRemovesColumn, schemasComparable } from './shared/pr-operations.js';
import { findTable, isInternalTable } from './shared/tables.js';
import type { CodeReference, DatabaseReview, Rule, RuleContext, RuleInput, RuleMeta, RuleNeeds } from './types.js';

export const meta: RuleMeta = {
  id: 'drop-referenced-table',
  identity: { column: ['database', 'table', 'data.column'], '*': ['database', 'table'] },
  defaultSeverity: 'error',
  description: 'A dropped table or column is still referenced by source files of the head branch.',
  messages: {
    table: 'This PR drops `{table}` from {database}, but source files still reference it: {references}.',
    renamed: 'This PR renames `{table}` to `{to}` in {database}, but source files still use the old name: {references}.',
    column: 'This PR drops `{table}.{column}` from {database}, but source files still reference it: {references}.',
  },
  fix: {
    table: 'Remove or migrate the code that uses `{table}` in this PR (or an earlier one), then drop the table.',
    renamed: 'Update the code to use `{to}` in the same PR, or keep the old name.',
    column: 'Stop reading and writing `{column}` first (deploy that), then drop it.',
  },
};

const LIMIT = 5;
const formatRefs = (refs: CodeReference[]) => refs.map((r) => `${r.file}:${r.line}`);
/** Code references first; test files after them, listed but never the reason the rule fires. */
const detailsOf = (refs: CodeReference[], tests: CodeReference[]) => [
  ...refs.map((r) => `${r.file}:${r.line}: ${r.text}`),
  ...(tests.length ? [`also mentioned in tests: ${formatRefs(tests).join(', ')}`] : []),
];
const split = (found: CodeReference[]) => ({ code: found.filter((r) => !r.test), tests: found.filter((r) => r.test) });

interface Target {
  db: DatabaseReview;
  table: string;
  to?: string;
}

/** The tables and columns the PR drops (or renames away) that no database still has: what the code is searched for. */
function targets(input: RuleContext): { tables: Target[]; columns: (Target & { column: string })[] } {
  const stillExists = (name: string) => input.databases.some((d) => findTable(d.head.replay.schema, name));
  const tables: Target[] = [];
  const columns: (Target & { column: string })[] = [];
  for (const db of input.databases) {
    // When a replay failure the PR introduced (or fixed) leaves a side partial, trust only drops the PR spells out.
    const complete = schemasComparable(db);
    const ops = prOperations(input, db);
    const droppedByPr = (table: string) => dropOf(ops, table) !== undefined;
    const columnDroppedByPr = (table: string, column: string) =>
      ops.some((o) => o.op.kind === 'drop-column' && o.op.table === table.toLowerCase() && o.op.column === column.toLowerCase());
    // Only drops the PR spells out: a table that went with a deleted or edited migration is still in every database.
    for (const table of db.delta.tablesDropped) {
      if (!isInternalTable(table) && !stillExists(table) && droppedByPr(table)) tables.push({ db, table });
    }
    for (const r of db.delta.tablesRenamed) if (!stillExists(r.from)) tables.push({ db, table: r.from, to: r.to });
    for (const change of db.delta.tablesChanged) {
      const baseName = db.delta.tablesRenamed.find((r) => r.to === change.table)?.from ?? change.table;
      for (const column of change.columnsDropped) {
        if (complete ? prRemovesColumn(ops, change.table, baseName, column) : columnDroppedByPr(baseName, column)) {
          columns.push({ db, table: baseName, column });
        }
      }
    }
  }
  return { tables, columns };
}

export function needs(input: RuleContext): RuleNeeds {
  const { tables, columns } = targets(input);
  return { references: { tables: tables.map((t) => t.table), columns: columns.map((c) => `${c.table}.${c.column}`), limit: LIMIT } };
}

export function check(input: RuleInput): Report[] {
  const { tables, columns } = targets(input);
  const reports: Report[] = [];
  for (const { db, table, to } of tables) {
    const { code, tests } = split(input.references.tables.get(table) ?? []);
    if (!code.length) continue;
    const ops = prOperations(input, db);
    const where = to
      ? ops.find((o) => o.op.kind === 'rename-table' && o.op.table === table.toLowerCase())
      : ([...ops].reverse().find((o) => o.op.kind === 'drop-table' && o.op.table === table.toLowerCase()) ?? dropOf(ops, table));
    reports.push({
      messageId: to ? 'renamed' : 'table',
      data: { table, database: db.spec.name, references: formatRefs(code), ...(to ? { to } : {}) },
      database: db.spec.name,
      table,
      ...at(where),
      details: detailsOf(code, tests),
    });
  }
  for (const { db, table, column } of columns) {
    const { code, tests } = split(input.references.columns.get(`${table}.${column}`) ?? []);
    if (!code.length) continue;
    // A DROP COLUMN, or the rebuild that left the column out (Drizzle's `__new_x`): every drop has a file and line.
    const headName = db.delta.tablesRenamed.find((r) => r.from === table)?.to ?? table;
    const where = locateColumnChange(prOperations(input, db), headName, table, column);
    reports.push({
      messageId: 'column',
      data: { table, column, database: db.spec.name, references: formatRefs(code) },
      database: db.spec.name,
      table,
      ...at(where),
      details: detailsOf(code, tests),
    });
  }
  return reports;
}

export default { meta, needs, check } satisfies Rule;
