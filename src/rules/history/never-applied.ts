/**
 * Whether main's version of a migration can have been applied anywhere. Appliers record only what succeeded: wrangler
 * records each file after it commits, Drizzle's migrator runs every pending migration in one transaction. So when
 * main's replay fails inside a file (wrangler), or inside it or an earlier file of the same folder (Drizzle), no
 * database built from these migrations recorded it as applied, and a PR that edits it is repairing it.
 */
import type { MigrationFile } from '../../discover/types.js';
import type { ReplayFailure } from '../../replay/types.js';
import type { DatabaseReview } from '../types.js';

export function baseFailureBlocking(db: DatabaseReview, file: MigrationFile): ReplayFailure | undefined {
  const failures = db.base.replay.failures;
  if (failures.length === 0) return undefined;
  const own = failures.find((f) => f.file === file.path);
  if (own || file.applier !== 'drizzle') return own;
  const sameFolder = db.base.files.filter((f) => f.source === file.source);
  const upTo = new Set(sameFolder.slice(0, sameFolder.findIndex((f) => f.path === file.path) + 1).map((f) => f.path));
  return failures.find((f) => upTo.has(f.file));
}
