/**
 * A migration file owned by one team creates or alters tables of a domain owned by another (seed: landing and
 * clearing push migrations into grove-engine-db). Only files the PR adds or modifies are checked, and only domains
 * with an explicit `owner`.
 */
import type { Report } from '../findings.js';
import { baseCodeowners, CODEOWNERS_PATHS, ownerOfFile, sameOwner } from './shared/code-owners.js';
import { fileOperations, prFiles, rebuildNames } from './shared/pr-operations.js';
import { domainOf } from './shared/tables.js';
import type { Rule, RuleContext, RuleInput, RuleMeta, RuleNeeds } from './types.js';

export const meta: RuleMeta = {
  id: 'foreign-owner',
  identity: ['file', 'data.domain'],
  defaultSeverity: 'warning',
  description: 'A migration folder owned by one team changes tables of a domain owned by another.',
  messages: {
    foreign: '{file} is owned by {fileOwner} ({ownerSource}) but changes {tables} of domain {domain}, owned by {domainOwner}.',
  },
  fix: 'Ask {domainOwner} to review or make this change in a folder they own; acknowledge with `-- safari-ignore: foreign-owner <reason>` when agreed.',
};

const ownedDomains = (input: RuleContext) => Object.values(input.config.domains).some((d) => d.owner);

/** CODEOWNERS only matters when some domain has an owner to compare with and the PR changes a migration. */
export const needs = (input: RuleContext): RuleNeeds => ({
  base: ownedDomains(input) && input.databases.some((db) => prFiles(input, db).length > 0) ? CODEOWNERS_PATHS : [],
});

export function check(input: RuleInput): Report[] {
  if (!ownedDomains(input)) return [];
  const codeowners = baseCodeowners(input);
  const reports: Report[] = [];
  for (const db of input.databases) {
    for (const file of prFiles(input, db)) {
      const ownership = ownerOfFile(input, db, file.path, codeowners);
      if (!ownership) continue;
      const byDomain = new Map<string, { owner: string; tables: Set<string>; line: number }>();
      const ops = fileOperations(file);
      // A rebuild's replacement table, renamed to the real one in this file: the real name counts, not the scratch one.
      const scratch = new Set(ops.flatMap(({ op }) => (op.kind === 'rename-table' && rebuildNames(op.to).includes(op.table) ? [op.table] : [])));
      for (const { op, line } of ops) {
        if (op.kind === 'insert') continue;
        const names = op.kind === 'rename-table' ? [op.table, op.to] : [op.table];
        for (const name of names) {
          if (scratch.has(name)) continue;
          const match = domainOf(name, input.config);
          const owner = match?.domain.owner;
          if (!match || !owner || ownership.owners.some((o) => sameOwner(o, owner))) continue;
          const entry = byDomain.get(match.id) ?? { owner, tables: new Set<string>(), line };
          entry.tables.add(name);
          byDomain.set(match.id, entry);
        }
      }
      for (const [domain, { owner, tables, line }] of byDomain) {
        reports.push({
          messageId: 'foreign',
          data: {
            file: file.path,
            fileOwner: ownership.owners.join(' '),
            ownerSource: ownership.source,
            tables: [...tables],
            domain,
            domainOwner: owner,
          },
          database: db.spec.name,
          file: file.path,
          line,
          table: [...tables][0],
        });
      }
    }
  }
  return reports;
}

export default { meta, needs, check } satisfies Rule;
