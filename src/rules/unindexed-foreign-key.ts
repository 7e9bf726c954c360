/**
 * A foreign key the PR adds whose child columns no index leads with (seed 004's "Missing Indexes"). Without one,
 * every delete or key update on the parent scans the child table, and joins from parent to child are full scans.
 * Foreign keys that already exist on main are not reported.
 */
import type { Report } from '../findings.js';
import type { ForeignKey, Table } from '../schema/model.js';
import { at, prOperations, rebuildNames } from './shared/pr-operations.js';
import { findTable } from './shared/tables.js';
import { uniqueKeys } from './shared/unique-constraints.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'unindexed-foreign-key',
  identity: ['database', 'table', 'data.columns'],
  defaultSeverity: 'notice',
  description: 'A new foreign key column has no index leading with it.',
  messages: {
    unindexed:
      '`{table}`({columns}) references `{parent}` but no index starts with {columnWord}: deletes on `{parent}` and joins scan all of `{table}`.',
  },
  fix: 'CREATE INDEX {indexName} ON {sqlTable}({sqlColumns});',
  wording: ['columnWord'],
};

// JSON keeps names apart that a separator would not (a column named `a,b` against columns a and b).
const key = (fk: ForeignKey) => JSON.stringify([fk.from, fk.table, fk.to]).toLowerCase();

/** True when some index (or a UNIQUE constraint, or the primary key) has exactly these columns, in any order, as its first columns. */
export function covered(table: Table, columns: string[]): boolean {
  const want = new Set(columns.map((c) => c.toLowerCase()));
  const leads = (cols: string[]) =>
    cols.length >= want.size && cols.slice(0, want.size).every((c) => want.has(c.toLowerCase()));
  if (table.indexes.some((ix) => ix.where === null && leads(ix.columns))) return true;
  if (uniqueKeys(table.sql).some(leads)) return true;
  // No primary key gives [], which leads with no foreign key's columns.
  return leads(table.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name));
}

/** An identifier as SQL accepts it: quoted unless it is a plain word. */
const sqlName = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** A base foreign key as it reads after the PR's table and column renames. */
function renamedKey(db: DatabaseReview, fk: ForeignKey, child: string): ForeignKey {
  const renamesOf = (name: string) => db.delta.tablesChanged.find((c) => c.table.toLowerCase() === name.toLowerCase())?.columnsRenamed ?? [];
  const rename = (columns: string[], renames: { from: string; to: string }[]) =>
    columns.map((c) => renames.find((r) => r.from.toLowerCase() === c.toLowerCase())?.to ?? c);
  const parent = fk.table.toLowerCase();
  const table = db.delta.tablesRenamed.find((r) => r.from.toLowerCase() === parent)?.to ?? fk.table;
  return { ...fk, table, from: rename(fk.from, renamesOf(child)), to: rename(fk.to, renamesOf(table)) };
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const ops = prOperations(input, db);
    for (const table of Object.values(db.head.replay.schema.tables)) {
      const baseName = db.delta.tablesRenamed.find((r) => r.to === table.name)?.from ?? table.name;
      const before = findTable(db.base.replay.schema, baseName);
      // SQLite rewrites a child's REFERENCES when the PR renames the parent or its columns: still the same key.
      const existing = new Set(before?.foreignKeys.map((fk) => key(renamedKey(db, fk, table.name))));
      for (const fk of table.foreignKeys) {
        if (existing.has(key(fk)) || covered(table, fk.from)) continue;
        const childColumns = new Set(fk.from.map((c) => c.toLowerCase()));
        const where =
          ops.find(({ op }) => op.kind === 'add-column' && op.table === table.name.toLowerCase() && childColumns.has(op.column)) ??
          ops.find((o) => o.op.kind === 'create-table' && [table.name.toLowerCase(), ...rebuildNames(table.name.toLowerCase())].includes(o.op.table));
        reports.push({
          messageId: 'unindexed',
          data: {
            table: table.name,
            columns: fk.from.join(', '),
            columnWord: fk.from.length > 1 ? 'them' : 'it',
            indexSuffix: fk.from.join('_'),
            indexName: sqlName(`idx_${table.name}_${fk.from.join('_')}`),
            sqlTable: sqlName(table.name),
            sqlColumns: fk.from.map(sqlName).join(', '),
            parent: fk.table,
          },
          database: db.spec.name,
          table: table.name,
          ...at(where),
        });
      }
    }
  }
  return reports;
}

export default { meta, check } satisfies Rule;
