/**
 * The PR creates a table whose name already exists in another database (the seed's three auth systems: `users`,
 * `sessions`, `magic_codes` in engine, landing and heartwood). Duplicates already on main are not reported.
 */
import type { Report } from '../findings.js';
import { at, locateIntroduced, prOperations } from './shared/pr-operations.js';
import { findTable, introducedTables } from './shared/tables.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'cross-database-duplicate',
  identity: ['database', 'table'],
  defaultSeverity: 'warning',
  description: 'A new table has the same name as a table in another database.',
  messages: {
    duplicate: 'This PR creates `{table}` in {database}, but {others} already has a table named `{table}`.',
  },
  fix: 'Use the existing table in {others} instead of a second copy, or give this one a domain-prefixed name.',
};

/** Databases fed by the same migration folder (a preview copy, say) hold the same tables by construction. */
const sharesFolder = (a: DatabaseReview, b: DatabaseReview) => a.spec.sources.some((s) => b.spec.sources.some((t) => t.path === s.path));

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const ops = prOperations(input, db);
    for (const { table } of introducedTables(db)) {
      // Not `db` itself either: a database shares its folders with itself (one without folders creates no tables).
      const others = input.databases
        .filter((other) => !sharesFolder(db, other) && findTable(other.head.replay.schema, table))
        .map((other) => other.spec.name);
      if (others.length === 0) continue;
      const located = locateIntroduced(ops, table);
      reports.push({
        messageId: 'duplicate',
        data: { table, database: db.spec.name, others }, // in the input's order: by name
        database: db.spec.name,
        table,
        ...at(located),
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
