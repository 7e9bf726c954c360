/**
 * "120 tables in one database IS a problem." A database's table budget is `databases.<name>.maxTables`, else the
 * top-level `maxTables` (default 100). The PR is blamed only when it takes the database over its budget or grows it
 * while it is already over; a database already over budget that the PR touches without growing is a notice.
 */
import type { Report } from '../findings.js';
import { at, prOperations, schemasComparable, prChangesMigrationFile } from './shared/pr-operations.js';
import { countTables, introducedTables, listNames } from './shared/tables.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'table-budget',
  identity: ['database'],
  defaultSeverity: 'warning',
  description: 'A database goes over its table budget (`maxTables`, default 100), or grows while over it.',
  messages: {
    crosses: 'This PR takes {database} over its table budget: {count} tables (was {baseCount}), budget {budget}.',
    grows: '{database} is already over its budget of {budget} tables, and this PR grows it from {baseCount} to {count}.',
    already: '{database} has {count} tables, over its budget of {budget}.',
  },
  fix: {
    crosses:
      'Put the new tables in a database of their own, drop unused ones, or raise `databases.{database}.maxTables` in `.github/safari.yml` deliberately.',
    grows:
      'Put the new tables in a database of their own, drop unused ones, or raise `databases.{database}.maxTables` in `.github/safari.yml` deliberately.',
    already: 'Plan to move whole domains out of {database} (see the consolidation plan) or drop unused tables.',
  },
};

// Discovery copies `databases.<name>.maxTables` into the spec (a configured database exists only as its entry).
export const budgetOf = (input: RuleInput, db: DatabaseReview): number => db.spec.maxTables ?? input.config.maxTables;

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const budget = budgetOf(input, db);
    const baseCount = countTables(db.base.replay.schema);
    const count = countTables(db.head.replay.schema);
    const database = db.spec.name;
    // A replay failure on one side only leaves a partial schema whose count means nothing.
    if (count <= budget || !schemasComparable(db)) continue;
    const data = { database, budget, baseCount, count };
    if (count > baseCount) {
      const added = introducedTables(db).map((t) => t.table);
      const first = prOperations(input, db).find((o) => o.op.kind === 'create-table' && added.map((a) => a.toLowerCase()).includes(o.op.table));
      reports.push({
        messageId: baseCount > budget ? 'grows' : 'crosses',
        data,
        database,
        ...at(first),
        details: added.length ? [`New tables: ${listNames(added, 20)}`] : undefined,
      });
    } else if (prChangesMigrationFile(input, db)) {
      reports.push({ messageId: 'already', data, database, preexisting: true });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
