/**
 * Whether main's version of a migration can have been applied anywhere. Appliers record only what succeeded: wrangler
 * records each file after it commits, Drizzle's migrator runs every pending migration in one transaction. So when
 * main's replay fails inside a file (wrangler), or inside it or an earlier file of the same folder (Drizzle), no
 * database built from these migrations recorded it as applied, and a PR that edits it is repairing it.
 */
import type { MigrationFile } from '../../discover/types.js';
import type { ReplayFailure } from '../../replay/types.js';
import type { DatabaseReview } from '../types.js';
import { fileHazards, type AddColumnHazard } from '../add-column-on-populated-table.js';
import { operationOf, splitStatements } from '../shared/sql-operations.js';

export function baseFailureBlocking(db: DatabaseReview, file: MigrationFile): ReplayFailure | undefined {
  const failures = db.base.replay.failures;
  if (failures.length === 0) return undefined;
  const own = failures.find((f) => f.file === file.path);
  if (own || file.applier !== 'drizzle') return own;
  const sameFolder = db.base.files.filter((f) => f.source === file.source);
  const upTo = new Set(sameFolder.slice(0, sameFolder.findIndex((f) => f.path === file.path) + 1).map((f) => f.path));
  return failures.find((f) => upTo.has(f.file));
}

/** Why SQLite refuses an ADD COLUMN on a table with rows, for the messages. */
const REFUSAL: Record<AddColumnHazard['hazard'], (h: AddColumnHazard) => string> = {
  nonConstantDefault: (h) => `the non-constant default \`${h.default}\``,
  notNullWithoutDefault: () => 'NOT NULL without a default',
  referencesWithDefault: (h) => `REFERENCES with the non-NULL default \`${h.default}\``,
  storedGenerated: () => 'a STORED generated column',
};

export interface Refusal {
  table: string;
  column: string;
  /** `the non-constant default \`(unixepoch())\``: what SQLite refuses. */
  reason: string;
  line: number;
}

/**
 * The file's ADD COLUMN statements that SQLite refuses once their table has rows, on tables older than the file: a
 * table the file creates itself is empty when they run. (Parsed, never a pattern built from a name in the PR's SQL.)
 */
function refusedAdds(file: MigrationFile): AddColumnHazard[] {
  const created = new Set(
    splitStatements(file.content).flatMap((statement) => {
      const op = operationOf(statement);
      return op?.kind === 'create-table' ? [op.table] : [];
    }),
  );
  // Operations name tables lower-cased; a hazard's table keeps the case of a string literal (`ALTER TABLE 'Posts'`).
  return fileHazards(file).filter((h) => !created.has(h.table.toLowerCase()));
}

/**
 * Evidence, not proof, that production refused main's version of a migration: it is the newest file of its folder on
 * main (nothing ran after it) and it adds a column to an older table in a form SQLite refuses once the table has rows
 * (add-column-on-populated-table). Every database with rows there refused it, and its applier recorded nothing; a
 * database whose table was empty (fresh, preview) did run it. The replay, on empty tables, accepts it. The table may
 * be gone from main's schema (the same file renames or drops it afterwards): the ADD COLUMN was refused before that.
 */
export function refusedWhenPopulated(db: DatabaseReview, file: MigrationFile): Refusal | undefined {
  const sameFolder = db.base.files.filter((f) => f.source === file.source);
  if (sameFolder.at(-1)?.path !== file.path) return undefined;
  const [hazard] = refusedAdds(file);
  return hazard && { table: hazard.table, column: hazard.column, reason: REFUSAL[hazard.hazard](hazard), line: hazard.line };
}

/**
 * Whether a file's new version is still refused where tables have rows: it still adds a column to an older table in a
 * form SQLite refuses there. An edit that keeps the refused statement, renames its column or moves it to another
 * table repairs nothing.
 */
export const stillRefused = (file: MigrationFile): boolean => refusedAdds(file).length > 0;
