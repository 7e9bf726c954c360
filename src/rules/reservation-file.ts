/**
 * A folder that keeps a reservation file (the seed's "migration number reservation system (a simple text file?)")
 * only prevents duplicate numbers if every PR that adds a migration bumps it: two PRs that both change it to the same
 * value then conflict in git instead of colliding in production. Checked only for folders the PR adds migrations to.
 */
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { fileName, formatNumber, highestNumber, numberConvention, numberOf } from './history/migration-numbers.js';
import { addedMigrations } from './shared/pr-operations.js';
import type { DatabaseReview, Rule, RuleContext, RuleInput, RuleMeta, RuleNeeds } from './types.js';

export const meta: RuleMeta = {
  id: 'reservation-file',
  identity: ['database', 'file'],
  defaultSeverity: 'warning',
  description: 'A PR that adds migrations must leave the folder\'s reservation file at the highest number + 1.',
  messages: {
    stale: '`{file}` says the next migration number is {value}, but after this PR the highest in `{folder}` is {highest} (`{latest}`): it should say {expected}.',
    removed: 'This PR deletes `{file}`, the reservation file of `{folder}`; it should say {expected}.',
    unreadable: '`{file}` holds no number; after this PR it should say {expected}.',
  },
  fix: {
    stale: 'Set `{file}` to {expected} in this PR.',
    removed: 'Restore `{file}` with {expected}.',
    unreadable: 'Write {expected} in `{file}`.',
  },
};

/** The reservation file of each folder the PR adds numbered migrations to. */
function reservations(input: RuleContext): { db: DatabaseReview; folder: string; path: string }[] {
  const name = input.config.reservationFile;
  return input.databases.flatMap((db) => {
    const folders = new Set(addedMigrations(input, db).filter((a) => numberOf(a.file) !== null).map((a) => a.file.source));
    return [...folders].map((folder) => ({ db, folder, path: folder === '' || name.includes('/') ? name : `${folder}/${name}` }));
  });
}

export function needs(input: RuleContext): RuleNeeds {
  const paths = reservations(input).map((r) => r.path);
  return { head: paths, base: paths };
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const { db, folder, path } of reservations(input)) {
    const head = input.headTexts.get(path);
    const base = input.baseTexts.get(path);
    if (head === undefined && base === undefined) continue;
    const folderFiles = db.head.files.filter((f) => f.source === folder);
    // The folder holds the PR's added numbered migration (reservations), so it has a highest number.
    const top = highestNumber(folderFiles)!;
    const topNumber = numberOf(top)!;
    const convention = numberConvention(db.base.files.filter((f) => f.source === folder)) ?? numberConvention(folderFiles);
    const expected = formatNumber(topNumber + 1, convention);
    const data = { file: path, folder, expected, highest: top.numberText ?? String(topNumber), latest: fileName(top.path) };
    if (head === undefined) {
      reports.push({ messageId: 'removed', data, database: db.spec.name, file: path, line: 1 });
      continue;
    }
    const match = /\d+/.exec(head);
    if (!match) {
      reports.push({ messageId: 'unreadable', data, database: db.spec.name, file: path, line: 1 });
      continue;
    }
    if (Number(match[0]) === topNumber + 1) continue;
    const line = head.slice(0, match.index).split('\n').length;
    reports.push({ messageId: 'stale', data: { ...data, value: match[0] }, database: db.spec.name, file: path, line });
  }
  return oncePerFile(reports);
}

export default { meta, needs, check } satisfies Rule;
