/**
 * Two migrations of one folder with the same number. wrangler applies them by name order within the number, but a
 * database that already ran main's file applies the PR's one after it, while a fresh database runs them the other way
 * round: the two orders can give two schemas. Numbers are compared per folder (each folder is its own sequence,
 * applied by its own wrangler config: landing's 0001 and engine's 001 never meet); across the folders of one database
 * only an identical file name is a conflict, because wrangler's migrations table records files by name.
 */
import type { MigrationFile } from '../discover/types.js';
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { byFolder, fileName, formatNumber, highestNumber, numberConvention, numberOf } from './history/migration-numbers.js';
import { addedMigrations, prChangesDatabaseFolder } from './shared/pr-operations.js';
import type { DatabaseReview, Rule, RuleContext, RuleInput, RuleMeta, RuleNeeds } from './types.js';

export const meta: RuleMeta = {
  id: 'duplicate-number',
  identity: { duplicateOnMain: ['database', 'data.folder', 'data.number'], '*': ['database', 'file'] },
  defaultSeverity: 'error',
  description: 'A migration the PR adds shares its number with another migration of the same folder.',
  messages: {
    taken: '`{name}` uses number {number}, which `{other}` already holds. The next free number in `{folder}` is {next}.',
    takenMeanwhile:
      'Number {number} was taken meanwhile: `{other}` reached main after this branch started, and `{name}` uses the same number. The next free number in `{folder}` is {next}.',
    takenInPr: '`{name}` and `{other}`, both added by this PR, share number {number}. The next free number in `{folder}` is {next}.',
    takenDrizzle:
      '`{name}` shares number {number} with `{other}`: two branches generated Drizzle migrations from the same starting point.',
    sameName:
      '`{name}` also exists as `{other}`, in another folder of {database}: wrangler records applied migrations by file name, so whichever folder is applied second skips this file.',
    duplicateOnMain: '`{folder}` already holds {count} migrations numbered {number}: {files}.',
  },
  fix: {
    taken: 'Rename the file to `{suggested}` (and bump the reservation file, if the folder has one).',
    takenMeanwhile: 'Merge the base branch and rename the file to `{suggested}` (and bump the reservation file, if the folder has one).',
    takenInPr: 'Rename `{name}` to `{suggested}`.',
    takenDrizzle: 'Delete this migration and its snapshot, merge the base branch, and run `drizzle-kit generate` again.',
    sameName: 'Rename the file the PR adds, e.g. to the next free number of its folder, so no two folders of one database share a file name.',
    duplicateOnMain: 'Nothing to do in this PR: applied migrations must not be renumbered. A reservation file keeps new pairs from appearing.',
  },
};

const top = (files: readonly MigrationFile[]) => {
  const f = highestNumber(files);
  return f ? numberOf(f) : null;
};

/** `other` is on main and was not at the merge-base: it reached main after the PR branched. */
type ReachedMainMeanwhile = (other: MigrationFile) => boolean;

function numberTaken(db: DatabaseReview, file: MigrationFile, other: MigrationFile, addedPaths: Set<string>, meanwhile: ReachedMainMeanwhile): Report {
  const folderFiles = db.head.files.filter((f) => f.source === file.source);
  const baseFolder = db.base.files.filter((f) => f.source === file.source);
  const convention = numberConvention(baseFolder.length > 0 ? baseFolder : folderFiles);
  const next = formatNumber((top(folderFiles) ?? 0) + 1, convention);
  const name = fileName(file.path);
  const rest = name.slice(file.numberText?.length ?? 0);
  const otherOnMain = !addedPaths.has(other.path);
  let messageId: string;
  if (file.applier === 'drizzle') messageId = 'takenDrizzle';
  else if (!otherOnMain) messageId = 'takenInPr';
  else if (meanwhile(other)) messageId = 'takenMeanwhile';
  else messageId = 'taken';
  return {
    messageId,
    // Files the same PR adds run in the same order on every database: untidy, not dangerous.
    ...(messageId === 'takenInPr' ? { severity: 'warning' as const } : {}),
    data: { name, number: file.numberText ?? String(file.number), other: other.path, folder: file.source, next, suggested: `${next}${rest}` },
    database: db.spec.name,
    file: file.path,
    line: 1,
  };
}

function checkDatabase(input: RuleContext, db: DatabaseReview, meanwhile: ReachedMainMeanwhile): Report[] {
  const reports: Report[] = [];
  const basePaths = new Map(db.base.files.map((f) => [f.path, f]));
  const added = addedMigrations(input, db);
  const addedPaths = new Set(added.map((a) => a.file.path));
  // A rename that keeps its number in its folder brings no new number (deleted-migration reports the rename).
  const introduced = new Set(
    added
      .filter(({ file, renamedFrom }) => {
        const old = renamedFrom === undefined ? undefined : basePaths.get(renamedFrom);
        return !old || old.source !== file.source || numberOf(old) !== numberOf(file);
      })
      .map((a) => a.file.path),
  );
  const order = new Map(db.head.files.map((f, i) => [f.path, i]));
  const folders = byFolder(db.head.files);

  for (const file of db.head.files) {
    if (!introduced.has(file.path)) continue;
    const number = numberOf(file);
    if (number !== null) {
      const same = (folders.get(file.source) ?? []).filter((f) => f !== file && numberOf(f) === number);
      // Two files the PR adds report once, on the later one; a file on main is named first.
      const earlierOrMain = same.filter((f) => !introduced.has(f.path) || (order.get(f.path) ?? 0) < (order.get(file.path) ?? 0));
      const other = earlierOrMain.find((f) => !addedPaths.has(f.path)) ?? earlierOrMain[0];
      if (other) reports.push(numberTaken(db, file, other, addedPaths, meanwhile));
    }
    if (file.applier === 'wrangler') {
      const name = fileName(file.path);
      const twin = db.head.files.find((f) => f.source !== file.source && f.applier === 'wrangler' && fileName(f.path) === name);
      if (twin) reports.push({ messageId: 'sameName', data: { name, other: twin.path, database: db.spec.name }, database: db.spec.name, file: file.path, line: 1 });
    }
  }

  if (prChangesDatabaseFolder(input, db)) {
    for (const [folder, files] of folders) {
      const groups = new Map<number, MigrationFile[]>();
      for (const f of files) {
        const n = numberOf(f);
        if (n === null || introduced.has(f.path)) continue;
        groups.set(n, [...(groups.get(n) ?? []), f]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const last = group[group.length - 1];
        reports.push({
          messageId: 'duplicateOnMain',
          data: { folder, count: group.length, number: last.numberText ?? String(last.number), files: group.map((f) => fileName(f.path)) },
          database: db.spec.name,
          file: last.path,
          preexisting: true,
        });
      }
    }
  }
  return reports;
}

const run = (input: RuleContext, meanwhile: ReachedMainMeanwhile) => oncePerFile(input.databases.flatMap((db) => checkDatabase(input, db, meanwhile)));

/** The files on main a PR file's number collides with: whether the merge-base had them decides "meanwhile". */
export function needs(input: RuleContext): RuleNeeds {
  return { mergeBase: run(input, () => false).flatMap((r) => (r.messageId === 'taken' ? [String(r.data?.other)] : [])) };
}

export function check(input: RuleInput): Report[] {
  // "Meanwhile" only when the merge-base really lacked the other file (unknown without the merge-base).
  return run(input, (other) => input.atMergeBase?.get(other.path) === false);
}

export default { meta, needs, check } satisfies Rule;
