/**
 * A table of a configured domain (by prefix or by name) that the PR creates in, or renames into, a database other
 * than the domain's. Tables already misplaced on main are listed once per domain under "already on main".
 */
import type { Report } from '../findings.js';
import { at, prOperations, prChangesMigrationFile } from './shared/pr-operations.js';
import { domainOf, findTable, introducedTables, isInternalTable } from './shared/tables.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'domain-violation',
  identity: { already: ['database', 'data.domain'], '*': ['database', 'table'] },
  defaultSeverity: 'error',
  description: "A table of a configured domain is created in (or moved to) a database other than the domain's.",
  messages: {
    created: 'This PR creates `{table}` in {database}, but it belongs to domain {domain}, whose tables live in {owner}.',
    renamed:
      'This PR renames `{from}` to `{table}` in {database}, which puts it in domain {domain}, whose tables live in {owner}.',
    already: '{count} table(s) of domain {domain} already live in {database} instead of {owner}: {tables}.',
  },
  fix: {
    created: 'Create `{table}` in a migration of {owner}, or change the domain mapping in `.github/safari.yml`.',
    renamed: 'Keep the old name, create the table in {owner}, or change the domain mapping in `.github/safari.yml`.',
    already: 'Move these tables to {owner} when you can (create them there, copy the rows, drop them here).',
  },
};

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const database = db.spec.name;
    const ops = prOperations(input, db);
    for (const { table, from } of introducedTables(db)) {
      const match = domainOf(table, input.config);
      if (!match || match.domain.database === database) continue;
      // A rename inside the same domain does not move anything: the table was already here.
      if (from && domainOf(from, input.config)?.id === match.id) continue;
      const data = { table, database, domain: match.id, owner: match.domain.database, ...(from ? { from } : {}) };
      const located = from
        ? ops.find((o) => o.op.kind === 'rename-table' && o.op.to === table.toLowerCase())
        : ops.find((o) => o.op.kind === 'create-table' && o.op.table === table.toLowerCase());
      reports.push({ messageId: from ? 'renamed' : 'created', data, database, table, ...at(located) });
    }
    if (!prChangesMigrationFile(input, db)) continue;
    const misplaced = new Map<string, { owner: string; tables: string[] }>();
    for (const name of Object.keys(db.base.replay.schema.tables)) {
      if (isInternalTable(name) || !findTable(db.head.replay.schema, name)) continue;
      const match = domainOf(name, input.config);
      if (!match || match.domain.database === database) continue;
      const entry = misplaced.get(match.id) ?? { owner: match.domain.database, tables: [] };
      entry.tables.push(name);
      misplaced.set(match.id, entry);
    }
    for (const [domain, { owner, tables }] of misplaced) {
      reports.push({
        messageId: 'already',
        data: { domain, database, owner, count: tables.length, tables: tables.sort() },
        database,
        preexisting: true,
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
