/**
 * `auth_auth_tokens`: a new table whose name repeats its prefix (seed 004: "Avoid double prefixes"). A repeat is the
 * first two underscore-separated words being equal, or a configured domain prefix written twice
 * (`link_garden_link_garden_items`). Singular/plural pairs (`user_users`) are not flagged: they are often deliberate.
 */
import type { Report } from '../findings.js';
import { at, locateIntroduced, prOperations } from './shared/pr-operations.js';
import { introducedTables } from './shared/tables.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'double-prefix',
  identity: ['database', 'table'],
  defaultSeverity: 'warning',
  description: 'A new table name repeats its prefix, like `auth_auth_tokens`.',
  messages: {
    double: 'This PR creates `{table}` in {database}: the prefix `{prefix}` is written twice.',
  },
  fix: 'Name it `{suggestion}` (one prefix: `prefix_entity_name`).',
};

/** The repeated prefix (with its trailing underscore), or undefined. */
export function repeatedPrefix(table: string, configuredPrefixes: string[]): string | undefined {
  const name = table.toLowerCase();
  for (const raw of [...configuredPrefixes].sort((a, b) => b.length - a.length)) {
    const prefix = raw.toLowerCase();
    if (prefix.length > 1 && name.startsWith(prefix + prefix) && name.length > prefix.length * 2) return prefix;
  }
  const words = name.split('_');
  if (words[0] !== '' && words[0] === words[1] && words.slice(2).join('') !== '') return `${words[0]}_`;
  return undefined;
}

export function check(input: RuleInput): Report[] {
  const prefixes = Object.values(input.config.domains).flatMap((d) => d.prefixes);
  const reports: Report[] = [];
  for (const db of input.databases) {
    const ops = prOperations(input, db);
    for (const { table } of introducedTables(db)) {
      const prefix = repeatedPrefix(table, prefixes);
      if (!prefix) continue;
      const located = locateIntroduced(ops, table);
      reports.push({
        messageId: 'double',
        data: { table, database: db.spec.name, prefix, suggestion: table.slice(prefix.length) },
        database: db.spec.name,
        table,
        ...at(located),
      });
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
