/**
 * Every rule Safari knows, one import each, alphabetical by id. Registering an id twice is a bug caught at load
 * (Atlas panics on it; so do we) and by test/rules/parity.test.ts.
 */
import type { Rule, RuleMeta } from './types.js';
import addColumnOnPopulatedTable from './add-column-on-populated-table.js';
import cascadeOnRebuild from './cascade-on-rebuild.js';
import crossDatabaseDuplicate from './cross-database-duplicate.js';
import d1Compatibility from './d1-compatibility.js';
import deletedMigration from './deleted-migration.js';
import destructiveChange from './destructive-change.js';
import discovery from './discovery.js';
import domainViolation from './domain-violation.js';
import doublePrefix from './double-prefix.js';
import downMigrationApplied from './down-migration-applied.js';
import drizzleJournalMismatch from './drizzle-journal-mismatch.js';
import drizzleSchemaStale from './drizzle-schema-stale.js';
import drizzleSnapshotCollision from './drizzle-snapshot-collision.js';
import drizzleSnapshotDrift from './drizzle-snapshot-drift.js';
import dropReferencedTable from './drop-referenced-table.js';
import duplicateNumber from './duplicate-number.js';
import editedMigration from './edited-migration.js';
import foreignOwner from './foreign-owner.js';
import mixedNumberWidth from './mixed-number-width.js';
import outOfOrder from './out-of-order.js';
import replayError from './replay-error.js';
import reservationFile from './reservation-file.js';
import reviewIncomplete from './review-incomplete.js';
import sandbox from './sandbox.js';
import tableBudget from './table-budget.js';
import unindexedForeignKey from './unindexed-foreign-key.js';
import unknownDomain from './unknown-domain.js';

export const rules: readonly Rule[] = [
  addColumnOnPopulatedTable,
  cascadeOnRebuild,
  crossDatabaseDuplicate,
  d1Compatibility,
  deletedMigration,
  destructiveChange,
  discovery,
  domainViolation,
  doublePrefix,
  downMigrationApplied,
  drizzleJournalMismatch,
  drizzleSchemaStale,
  drizzleSnapshotCollision,
  drizzleSnapshotDrift,
  dropReferencedTable,
  duplicateNumber,
  editedMigration,
  foreignOwner,
  mixedNumberWidth,
  outOfOrder,
  replayError,
  reservationFile,
  reviewIncomplete,
  sandbox,
  tableBudget,
  unindexedForeignKey,
  unknownDomain,
];

export const ruleById: ReadonlyMap<string, Rule> = (() => {
  const map = new Map<string, Rule>();
  for (const rule of rules) {
    if (map.has(rule.meta.id)) throw new Error(`rule ${rule.meta.id} is registered twice`);
    map.set(rule.meta.id, rule);
  }
  return map;
})();

export const ruleIds = (): string[] => [...ruleById.keys()].sort();

/** The fix template for one message id: one for all of a rule's messages, or one per message id. */
export function fixTemplate(meta: RuleMeta, messageId: string): string | undefined {
  if (typeof meta.fix === 'string') return meta.fix;
  return meta.fix && Object.hasOwn(meta.fix, messageId) ? meta.fix[messageId] : undefined;
}
