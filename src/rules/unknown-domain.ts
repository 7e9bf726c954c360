/**
 * With domains configured and `naming.requirePrefix` on, every table the PR creates must belong to a domain (seed
 * 004: "All new tables must follow conventions"). Existing tables are not checked.
 */
import type { Report } from '../findings.js';
import { at, locateIntroduced, prOperations } from './shared/pr-operations.js';
import { domainOf, introducedTables } from './shared/tables.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'unknown-domain',
  identity: ['database', 'table'],
  defaultSeverity: 'warning',
  description: 'A new table matches no configured domain while `naming.requirePrefix` is on.',
  messages: {
    unknown: 'This PR creates `{table}` in {database}, which matches no domain (known prefixes: {prefixes}).',
  },
  fix: "Name the table with a domain's prefix (`prefix_entity_name`), or list it in a domain's `tables` in `.github/safari.yml`.",
};

export function check(input: RuleInput): Report[] {
  const { domains, naming } = input.config;
  if (!naming.requirePrefix || Object.keys(domains).length === 0) return [];
  const prefixes = [...new Set(Object.values(domains).flatMap((d) => d.prefixes))].sort();
  const reports: Report[] = [];
  for (const db of input.databases) {
    const ops = prOperations(input, db);
    for (const { table } of introducedTables(db)) {
      if (domainOf(table, input.config)) continue;
      const located = locateIntroduced(ops, table);
      reports.push({
        messageId: 'unknown',
        data: { table, database: db.spec.name, prefixes },
        database: db.spec.name,
        table,
        ...at(located),
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
