/**
 * Functional domains of one database's tables (seed 000's "Curios", "Observability", "Shop"…).
 *
 * 1. Configured domains (`domains` in .github/safari.yml) come first, matched as the rules match them (a listed table
 *    wins, then the longest prefix). Inference never splits one: their tables are settled before inference runs, and
 *    an inferred group with a configured domain's name joins it.
 * 2. The other tables are grouped by the name's first `_` segment (`meadow_posts` → `meadow`); a table without `_`
 *    joins the group it names in the singular or as is (`posts` → `post`, `media` → `media`).
 * 3. An inferred group needs at least two tables; singletons go to `other`.
 */
import type { SafariConfig } from '../config/schema.js';
import { domainOf } from '../rules/shared/tables.js';

export const OTHER_DOMAIN = 'other';

export interface DomainGroup {
  name: string;
  /** true for a domain from .github/safari.yml. */
  configured: boolean;
  /** Sorted. */
  tables: string[];
}

const prefixOf = (table: string): string | undefined => {
  const cut = table.indexOf('_', 1);
  return cut > 0 ? table.slice(0, cut).toLowerCase() : undefined;
};

/** The domain of each table, and the domains sorted by name. */
export function assignDomains(tables: readonly string[], config: SafariConfig): { domainOf: Map<string, string>; domains: DomainGroup[] } {
  const assigned = new Map<string, string>();
  const configured = new Set(Object.keys(config.domains));
  const rest: string[] = [];
  for (const table of tables) {
    const match = domainOf(table, config);
    if (match) assigned.set(table, match.id);
    else rest.push(table);
  }
  const groups = new Map<string, string[]>();
  const add = (key: string, table: string) => groups.set(key, [...(groups.get(key) ?? []), table]);
  const bare: string[] = [];
  for (const table of rest) {
    const prefix = prefixOf(table);
    if (prefix) add(prefix, table);
    else bare.push(table);
  }
  for (const table of bare) {
    const lower = table.toLowerCase();
    const singular = [lower.replace(/ies$/, 'y'), lower.replace(/es$/, ''), lower.replace(/s$/, '')].find((s) => s !== lower && groups.has(s));
    add(groups.has(lower) ? lower : (singular ?? lower), table);
  }
  for (const [key, members] of groups) {
    const target = [...configured].find((id) => id.toLowerCase() === key);
    const name = target ?? (members.length >= 2 ? key : OTHER_DOMAIN);
    for (const table of members) assigned.set(table, name);
  }
  const byName = new Map<string, string[]>();
  for (const table of tables) {
    const name = assigned.get(table)!;
    byName.set(name, [...(byName.get(name) ?? []), table]);
  }
  const domains = [...byName].map(([name, members]) => ({ name, configured: configured.has(name), tables: [...members].sort() }));
  domains.sort((a, b) => a.name.localeCompare(b.name));
  return { domainOf: assigned, domains };
}
