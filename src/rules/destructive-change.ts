/**
 * Changes that can lose data: DROP TABLE, DROP COLUMN, a type change whose affinity rewrites stored values, a column
 * made NOT NULL without a default, and a table dropped and re-created without copying its rows. Derived from the
 * base → head schema diff, so objects created and dropped within the same PR never appear; located at the PR's
 * statement when one of its migration files holds it.
 */
import type { Report } from '../findings.js';
import type { Column } from '../schema/model.js';
import { narrows, affinityOf } from './shared/affinity.js';
import { at, dropOf, locateColumnChange, prOperations, prRemovesColumn, schemasComparable, type LocatedOperation } from './shared/pr-operations.js';
import { splitStatements } from './shared/sql-operations.js';
import { findTable, isInternalTable } from './shared/tables.js';
import { baseFailureBlocking } from './history/never-applied.js';
import type { DatabaseReview, Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'destructive-change',
  identity: { dropTables: ['database', 'data.tables'], dropColumn: ['database', 'table', 'data.column'], narrowType: ['database', 'table', 'data.column'], notNull: ['database', 'table', 'data.column'], '*': ['database', 'table'] },
  defaultSeverity: 'warning',
  description: 'A change that can lose data: dropped table or column, narrowed type, NOT NULL without default.',
  messages: {
    dropTable: 'This PR drops table `{table}` from {database}; its rows are gone for good.',
    dropTables: 'This PR drops {count} tables from {database}: {tables}; their rows are gone for good.',
    dropColumn: 'This PR drops column `{table}.{column}` from {database}; its values are gone for good.',
    narrowType:
      'This PR changes `{table}.{column}` from {from} to {to}: copying rows converts numeric-looking values (affinity {fromAffinity} → {toAffinity}).',
    notNull:
      'This PR makes `{table}.{column}` NOT NULL without a default: existing NULLs make the copy fail (or vanish with INSERT OR IGNORE).',
    recreate: 'This PR drops and re-creates `{table}` in {database} without copying its rows: its data is lost.',
  },
  fix: {
    dropTable: 'Make sure nothing reads `{table}` and its data is backed up or no longer needed; acknowledge with `-- safari-ignore: destructive-change <reason>`.',
    dropTables: 'Make sure nothing reads these tables and their data is backed up or no longer needed; acknowledge with `-- safari-ignore: destructive-change <reason>`.',
    dropColumn: 'Stop reading and writing the column first (deploy that), then drop it; acknowledge with `-- safari-ignore: destructive-change <reason>`.',
    narrowType: 'Add a new column of the new type and backfill it explicitly, or keep the old type.',
    notNull: 'Give the column a DEFAULT, or backfill NULLs (`UPDATE … SET {column} = … WHERE {column} IS NULL`) before the copy.',
    recreate: 'Copy the rows into the new table (`INSERT INTO … SELECT … FROM {table}`) before dropping the old one.',
  },
};

/** Tables of base that the PR drops and re-creates without an INSERT … SELECT from them (or a rename away) first. */
function recreatedWithoutCopy(db: DatabaseReview, ops: LocatedOperation[]): LocatedOperation[] {
  const out: LocatedOperation[] = [];
  const copied = new Set<string>();
  for (const o of ops) {
    if (o.op.kind === 'insert') o.op.sources.forEach((s) => copied.add(s));
    if (o.op.kind === 'rename-table') copied.add(o.op.table);
    if (o.op.kind !== 'drop-table') continue;
    const name = o.op.table;
    if (copied.has(name)) continue;
    const base = findTable(db.base.replay.schema, name);
    const head = findTable(db.head.replay.schema, name);
    if (base && head && !isInternalTable(name) && !db.delta.tablesRenamed.some((r) => r.from.toLowerCase() === name)) out.push(o);
  }
  return out;
}

/**
 * True when the PR copies `table`'s rows (INSERT … SELECT … FROM table) into a table that exists after the PR, under
 * its own name or the name a later RENAME gives it: a rebuild under a new name moves the rows, it does not lose them.
 */
function rowsKept(db: DatabaseReview, ops: LocatedOperation[], table: string): boolean {
  const name = table.toLowerCase();
  return ops.some((o, i) => {
    if (o.op.kind !== 'insert' || !o.op.sources.includes(name)) return false;
    let target = o.op.table;
    for (const later of ops.slice(i + 1)) if (later.op.kind === 'rename-table' && later.op.table === target) target = later.op.to;
    // A copy back into `table` itself is no copy: `table` is dropped, so head does not have it.
    return findTable(db.head.replay.schema, target) !== undefined;
  });
}

const describe = (c: Column) => c.type || 'no type';

/** A base table the PR drops, at its DROP TABLE. */
interface TableDrop {
  table: string;
  where: LocatedOperation;
}

/**
 * One finding per file for a file that drops several tables (the "drop the shop" migration drops nine): the same
 * warning nine times over is how a reviewer gets muted. Each drop's line stays in the details.
 */
function groupTableDrops(database: string, drops: TableDrop[]): Report[] {
  const byFile = new Map<string, TableDrop[]>();
  for (const d of drops) byFile.set(d.where.file, [...(byFile.get(d.where.file) ?? []), d]);
  return [...byFile.values()].map((group): Report => {
    const [first] = group;
    if (group.length === 1) return { messageId: 'dropTable', data: { table: first.table, database }, database, table: first.table, ...at(first.where) };
    return {
      messageId: 'dropTables',
      data: { count: group.length, database, tables: group.map((d) => d.table) },
      database,
      file: first.where.file,
      line: first.where.line,
      endLine: group[group.length - 1].where.line,
      details: group.map((d) => `line ${d.where.line}: DROP TABLE ${d.table}`),
    };
  });
}

/** The PR changed this column with libSQL's `ALTER TABLE t ALTER COLUMN c TO …` (Turso), not with a rebuild. */
function alteredInPlace(db: DatabaseReview, ops: LocatedOperation[], table: string, column: string): boolean {
  // Token values: keywords and names lower-cased, names unquoted, comments gone (so one may sit anywhere in it).
  const statement = ['alter', 'table', table.toLowerCase(), 'alter', 'column', column.toLowerCase(), 'to'];
  const files = new Set(ops.map((o) => o.file));
  return db.head.files.some(
    (f) =>
      files.has(f.path) &&
      splitStatements(f.content).some((s) => {
        const values = s.tokens.map((t) => t.value);
        return statement.every((value, i) => values[i] === value);
      }),
  );
}

/**
 * A PR that repairs a migration main's replay fails in (no database recorded it as applied) makes it run for the
 * first time: its drops are new on every database, which the finding says rather than calling the file applied history.
 * A report's file is one the PR adds or edits, so one that main has is a migration the PR edits.
 */
function noteRepairs(db: DatabaseReview, reports: Report[]): Report[] {
  return reports.map((r) => {
    const file = db.base.files.find((f) => f.path === r.file);
    const failure = file && baseFailureBlocking(db, file);
    if (!failure) return r;
    const note = `${r.file} fails on main (${failure.message}), so no database ran it yet: this PR's repair makes the change run for the first time.`;
    return { ...r, details: [...(r.details ?? []), note] };
  });
}

export function check(input: RuleInput): Report[] {
  const all: Report[] = [];
  for (const db of input.databases) {
    const reports: Report[] = [];
    const database = db.spec.name;
    const ops = prOperations(input, db);
    // When a replay failure the PR introduced (or fixed) leaves a side partial, trust only drops the PR spells out.
    const complete = schemasComparable(db);
    const drops: TableDrop[] = [];
    for (const table of db.delta.tablesDropped) {
      if (isInternalTable(table)) continue;
      const where = ops.findLast((o) => o.op.kind === 'drop-table' && o.op.table === table.toLowerCase()) ?? dropOf(ops, table);
      // No DROP of the PR's: the table went with a deleted or edited migration, and databases that ran it keep it.
      if (!where) continue;
      if (rowsKept(db, ops, table)) continue;
      drops.push({ table, where });
    }
    drops.sort((a, b) => a.where.file.localeCompare(b.where.file) || a.where.line - b.where.line);
    reports.push(...groupTableDrops(database, drops));
    // A migration already on main has run; an edit to it re-creates nothing (edited-migration reports the edit).
    const onMain = new Set(db.base.files.map((f) => f.path));
    for (const o of recreatedWithoutCopy(db, ops.filter((op) => !onMain.has(op.file)))) {
      reports.push({ messageId: 'recreate', data: { table: o.op.table, database }, database, table: o.op.table, ...at(o) });
    }
    for (const change of db.delta.tablesChanged) {
      const table = change.table;
      const baseName = db.delta.tablesRenamed.find((r) => r.to === table)?.from ?? table;
      const before = findTable(db.base.replay.schema, baseName);
      const after = findTable(db.head.replay.schema, table);
      for (const column of change.columnsDropped) {
        const where = locateColumnChange(ops, table, baseName, column);
        if (complete ? !prRemovesColumn(ops, table, baseName, column) : !(where && where.op.kind === 'drop-column')) continue;
        reports.push({ messageId: 'dropColumn', data: { table, column, database }, database, table, ...at(where || undefined) });
      }
      if (!before || !after || !complete) continue;
      const renamedFrom = new Map(change.columnsRenamed.map((r) => [r.to, r.from]));
      for (const col of after.columns) {
        const old = before.columns.find((c) => c.name === (renamedFrom.get(col.name) ?? col.name));
        if (!old || col.generated || old.generated) continue;
        const data = { table, column: col.name, database };
        // libSQL's `ALTER TABLE … ALTER COLUMN … TO …` rewrites only the declaration: no row is copied or converted.
        if (narrows(old.type, col.type) && !alteredInPlace(db, ops, table, col.name)) {
          reports.push({
            messageId: 'narrowType',
            data: { ...data, from: describe(old), to: describe(col), fromAffinity: affinityOf(old.type), toAffinity: affinityOf(col.type) },
            database,
            table,
            ...at(locateColumnChange(ops, table, baseName) || undefined),
          });
        }
        if (!old.notNull && col.notNull && col.default === null && col.pk === 0) {
          reports.push({ messageId: 'notNull', data, database, table, ...at(locateColumnChange(ops, table, baseName) || undefined) });
        }
      }
    }
    all.push(...noteRepairs(db, reports));
  }
  return all;
}

export default { meta, check } satisfies Rule;
