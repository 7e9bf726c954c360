/** Table-name helpers shared by the domain, budget and duplicate rules. */
import type { DomainConfig, SafariConfig } from '../../config/schema.js';
import type { Schema } from '../../schema/model.js';
import type { DatabaseReview } from '../types.js';

/** Tables the tools create for themselves (D1's `_cf_*` and `d1_migrations`, Drizzle's journal table, SQLite's own). */
export const isInternalTable = (name: string): boolean =>
  /^(sqlite_|_cf_)/i.test(name) || /^(d1_migrations|__drizzle_migrations)$/i.test(name);

export interface IntroducedTable {
  table: string;
  /** Set when the PR renamed an existing table to this name. */
  from?: string;
}

/** Tables that exist on head because of the PR: created, or renamed to a new name. */
export function introducedTables(db: DatabaseReview): IntroducedTable[] {
  const out: IntroducedTable[] = db.delta.tablesAdded.map((table) => ({ table }));
  for (const r of db.delta.tablesRenamed) out.push({ table: r.to, from: r.from });
  return out.filter((t) => !isInternalTable(t.table));
}

export interface DomainMatch {
  id: string;
  domain: DomainConfig;
  /** The prefix that matched, or undefined when the table is listed by name. */
  prefix?: string;
}

/** The domain a table belongs to: an explicit `tables` entry wins, then the longest matching prefix. */
export function domainOf(table: string, config: SafariConfig): DomainMatch | undefined {
  const name = table.toLowerCase();
  let best: DomainMatch | undefined;
  for (const [id, domain] of Object.entries(config.domains)) {
    if (domain.tables.some((t) => t.toLowerCase() === name)) return { id, domain };
    for (const prefix of domain.prefixes) {
      if (name.startsWith(prefix.toLowerCase()) && (!best?.prefix || prefix.length > best.prefix.length)) {
        best = { id, domain, prefix };
      }
    }
  }
  return best;
}

/** Tables that count towards a budget: ordinary and virtual tables (the schema's only kinds), not the tools' own. */
export const countTables = (schema: Schema): number => Object.values(schema.tables).filter((t) => !isInternalTable(t.name)).length;

/** Case-insensitive lookup of a table in a schema. */
export function findTable(schema: Schema, name: string) {
  // own keys only: a table named `constructor` must not find Object's constructor
  if (Object.hasOwn(schema.tables, name)) return schema.tables[name];
  const lower = name.toLowerCase();
  return Object.values(schema.tables).find((t) => t.name.toLowerCase() === lower);
}

export const listNames = (names: string[], max = 6): string => {
  const shown = names.slice(0, max).map((n) => `\`${n}\``);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
};
