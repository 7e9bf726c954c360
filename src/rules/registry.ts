/**
 * Every rule Safari knows, one import each, alphabetical by id. Registering an id twice is a bug caught at load
 * (Atlas panics on it; so do we) and by test/rules/parity.test.ts.
 */
import type { Rule } from './types.js';
import d1Compatibility from './d1-compatibility.js';
import deletedMigration from './deleted-migration.js';
import discovery from './discovery.js';
import downMigrationApplied from './down-migration-applied.js';
import duplicateNumber from './duplicate-number.js';
import editedMigration from './edited-migration.js';
import mixedNumberWidth from './mixed-number-width.js';
import outOfOrder from './out-of-order.js';
import replayError from './replay-error.js';
import reservationFile from './reservation-file.js';

export const rules: readonly Rule[] = [
  d1Compatibility,
  deletedMigration,
  discovery,
  downMigrationApplied,
  duplicateNumber,
  editedMigration,
  mixedNumberWidth,
  outOfOrder,
  replayError,
  reservationFile,
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
