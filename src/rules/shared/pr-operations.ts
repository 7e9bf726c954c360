/**
 * What the PR did, for the rules: the migration files it adds or changes, their table operations with file and line
 * (so a finding derived from the schema diff can point at the statement that caused it), and the names a rebuild
 * gives a table.
 */
import type { MigrationFile } from '../../discover/types.js';
import type { ReplayFailure } from '../../replay/types.js';
import type { DatabaseReview, RuleContext } from '../types.js';
import { operationOf, splitStatements, type TableOperation } from './sql-operations.js';

export interface LocatedOperation {
  op: TableOperation;
  file: string;
  line: number;
}

const cache = new WeakMap<MigrationFile, LocatedOperation[]>();

export function fileOperations(file: MigrationFile): LocatedOperation[] {
  let ops = cache.get(file);
  if (!ops) {
    ops = [];
    for (const statement of splitStatements(file.content)) {
      const op = operationOf(statement);
      if (op) ops.push({ op, file: file.path, line: statement.line });
    }
    cache.set(file, ops);
  }
  return ops;
}

/** The migration files of this database that the PR added or modified, in apply order. */
export const prFiles = (input: RuleContext, db: DatabaseReview): MigrationFile[] =>
  db.head.files.filter((f) => input.touched.has(f.path));

/** Operations of the PR's migration files of this database, in apply order. */
export const prOperations = (input: RuleContext, db: DatabaseReview): LocatedOperation[] =>
  prFiles(input, db).flatMap(fileOperations);

/** The PR adds, modifies, deletes or renames a migration file of this database. */
export function prChangesMigrationFile(input: RuleContext, db: DatabaseReview): boolean {
  if (prFiles(input, db).length > 0) return true;
  // string | undefined: a change without an old path looks up undefined and finds nothing
  const basePaths = new Set<string | undefined>(db.base.files.map((f) => f.path));
  return input.changes.some((c) => basePaths.has(c.path) || basePaths.has(c.oldPath));
}

/**
 * The PR changes a file in one of this database's folders: a migration (on either side), or anything else there (a
 * snapshot, a reservation file). Problems already on main are only shown (as notices) on PRs that work on that
 * database, so an unrelated PR's comment is not filled with old news.
 */
export function prChangesDatabaseFolder(input: RuleContext, db: DatabaseReview): boolean {
  const paths = new Set<string | undefined>([...db.base.files, ...db.head.files].map((f) => f.path));
  const folders = new Set([...db.base.files, ...db.head.files].map((f) => f.source));
  for (const s of db.spec.sources) folders.add(s.path);
  const inFolder = (p: string) => [...folders].some((dir) => dir === '' || p.startsWith(`${dir}/`));
  return input.changes.some((c) => paths.has(c.path) || paths.has(c.oldPath) || inFolder(c.path));
}

/**
 * Migrations the PR adds: in head, not on main, and added (or renamed into place) by the PR's own changes; a file main
 * gained after the PR branched is in both base and head and is never the PR's.
 */
export interface AddedMigration {
  file: MigrationFile;
  /** For a rename: the path the file had on main. */
  renamedFrom?: string;
}

export function addedMigrations(input: RuleContext, db: DatabaseReview): AddedMigration[] {
  const onBase = new Set(db.base.files.map((f) => f.path));
  const added = new Map<string, string | undefined>();
  for (const change of input.changes) {
    if (change.status === 'added') added.set(change.path, undefined);
    else if (change.status === 'renamed') added.set(change.path, change.oldPath);
  }
  const result: AddedMigration[] = [];
  for (const file of db.head.files) {
    if (!added.has(file.path) || onBase.has(file.path)) continue;
    const renamedFrom = added.get(file.path);
    result.push(renamedFrom === undefined ? { file } : { file, renamedFrom });
  }
  return result;
}

/** How a rebuild names the replacement of `x` (prefix, suffix): Drizzle's `__new_x`, and hand-written variants. */
const REBUILD_NAMES: readonly (readonly [string, string])[] = [['__new_', ''], ['new_', ''], ['', '_new'], ['_', '_new'], ['', '_tmp']];

/** Names a rebuild commonly gives the replacement of `table` (created, filled, then renamed to `table`). */
export const rebuildNames = (table: string): string[] => REBUILD_NAMES.map(([prefix, suffix]) => `${prefix}${table}${suffix}`);

/** The tables `name` can be a rebuild's replacement of (`__new_x`, `x_new` → `x`); [] for a name no rebuild gives. */
export const rebuiltTables = (name: string): string[] =>
  REBUILD_NAMES.flatMap(([prefix, suffix]) =>
    name.length > prefix.length + suffix.length && name.startsWith(prefix) && name.endsWith(suffix) ? [name.slice(prefix.length, name.length - suffix.length)] : [],
  );

/** The PR's DROP TABLE of base table `table`, following the PR's renames of it (`RENAME TO x_old` … `DROP TABLE x_old`). */
export function dropOf(ops: LocatedOperation[], table: string): LocatedOperation | undefined {
  let name = table.toLowerCase();
  for (const o of ops) {
    if (o.op.kind === 'rename-table' && o.op.table === name) name = o.op.to;
    else if (o.op.kind === 'drop-table' && o.op.table === name) return o;
  }
  return undefined;
}

/**
 * True when a statement of the PR can have removed `column` from `table` (under its base name `baseName`): a DROP
 * COLUMN, or a rebuild (a CREATE TABLE of the table or of a rebuild name for it). A column that vanishes from the
 * diff without one went with a deleted or edited migration: databases that ran it still have it.
 */
export function prRemovesColumn(ops: LocatedOperation[], table: string, baseName: string, column: string): boolean {
  const names = new Set([table.toLowerCase(), baseName.toLowerCase()]);
  const rebuilt = new Set([...names].flatMap((n) => [n, ...rebuildNames(n)]));
  const col = column.toLowerCase();
  return ops.some(
    (o) => (o.op.kind === 'drop-column' && names.has(o.op.table) && o.op.column === col) || (o.op.kind === 'create-table' && rebuilt.has(o.op.table)),
  );
}

/**
 * Where a column change of `table` (base name `baseName`) happened: its DROP COLUMN, else the rebuild's CREATE TABLE
 * (Drizzle's `__new_x`, hand-written `x_new`), else the table's CREATE, else any statement naming it.
 */
export function locateColumnChange(ops: LocatedOperation[], table: string, baseName: string, column?: string): LocatedOperation | undefined {
  const names = new Set([table.toLowerCase(), baseName.toLowerCase()]);
  const col = column?.toLowerCase();
  const rebuilt = new Set([...names].flatMap(rebuildNames));
  return (
    (col ? ops.find((o) => o.op.kind === 'drop-column' && names.has(o.op.table) && o.op.column === col) : undefined) ??
    ops.find((o) => o.op.kind === 'create-table' && rebuilt.has(o.op.table)) ??
    ops.find((o) => o.op.kind === 'create-table' && names.has(o.op.table)) ??
    ops.find((o) => names.has(o.op.table) && o.op.kind !== 'insert')
  );
}

/** Where the PR introduces `table`: the CREATE TABLE that makes it, else the RENAME TABLE onto it. */
export function locateIntroduced(ops: LocatedOperation[], table: string): LocatedOperation | undefined {
  const name = table.toLowerCase();
  return ops.find((o) => o.op.kind === 'create-table' && o.op.table === name) ?? ops.find((o) => o.op.kind === 'rename-table' && o.op.to === name);
}

export const at = (located: LocatedOperation | undefined): { file?: string; line?: number } =>
  located ? { file: located.file, line: located.line } : {};

const failureKey = (f: ReplayFailure) => `${f.file}\n${f.kind}\n${f.statement}\n${f.message}`;

/**
 * True when base and head replays failed in exactly the same places (usually: nowhere). Then both schemas are equally
 * complete and their difference is the PR's doing. Otherwise a failure the PR introduced (or fixed) leaves one side
 * partial, and tables missing from it say nothing about what the PR drops or adds.
 */
export function schemasComparable(db: DatabaseReview): boolean {
  const base = db.base.replay.failures.map(failureKey).sort();
  const head = db.head.replay.failures.map(failureKey).sort();
  return base.length === head.length && base.every((k, i) => k === head[i]);
}
