/**
 * Drizzle migrations the PR regenerated under a new name: main's journal entry `idx` now names another tag (drizzle-kit
 * picks a new random name each time), the old file is gone and the new one is the PR's. That is an edit of the applied
 * migration (edited-migration judges it with the journal `when`), not a deletion plus an unrelated addition.
 */
import type { MigrationFile } from '../../discover/types.js';
import type { DatabaseReview, RuleContext } from '../types.js';

export interface Regeneration {
  before: MigrationFile;
  after: MigrationFile;
}

export function regenerations(input: RuleContext, db: DatabaseReview): Regeneration[] {
  const added = new Set(input.changes.filter((c) => c.status === 'added' || c.status === 'renamed').map((c) => c.path));
  const headPaths = new Set(db.head.files.map((f) => f.path));
  const basePaths = new Set(db.base.files.map((f) => f.path));
  const out: Regeneration[] = [];
  for (const before of db.base.files) {
    if (before.applier !== 'drizzle' || !before.journal || headPaths.has(before.path)) continue;
    const after = db.head.files.find(
      (f) => f.applier === 'drizzle' && f.source === before.source && f.journal?.idx === before.journal!.idx && added.has(f.path) && !basePaths.has(f.path),
    );
    if (after) out.push({ before, after });
  }
  return out;
}
