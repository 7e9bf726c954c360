/**
 * The PR deletes or renames a migration that is on main. A deleted file leaves every database ahead of the repository
 * (its tables stay; fresh databases never get them); a renamed one is applied again by wrangler, which decides what to
 * run by file name. Removing a whole folder is reported once, not once per file.
 *
 * Because wrangler keys applied migrations by file name alone (d1_migrations stores the name), a wrangler file that
 * leaves its path but whose name still appears among the database's new head files was moved (e.g. the folder moved
 * along with `migrations_dir`): nothing re-runs and nothing is lost. Only a changed content is reported then, as an
 * edit. Drizzle folders keep the path-based view (their journal names the file).
 */
import { regenerations } from './history/regenerated.js';
import type { MigrationFile } from '../discover/types.js';
import type { Report } from '../findings.js';
import { lineDiff } from './history/line-diff.js';
import { oncePerFile } from './history/once-per-file.js';
import { byFolder, fileName } from './history/migration-numbers.js';
import { baseFailureBlocking, refusedWhenPopulated } from './history/never-applied.js';
import { sqlMeaning, withoutAcknowledgements } from './history/sql-meaning.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'deleted-migration',
  identity: { folderDeleted: ['database', 'data.folder'], renamed: ['database', 'data.from', 'file'], renamedDrizzle: ['database', 'data.from', 'file'], renamedIntoDrizzle: ['database', 'data.from', 'file'], '*': ['database', 'file'] },
  defaultSeverity: 'error',
  description: 'The PR deletes or renames a migration that is already on main.',
  messages: {
    deleted:
      '`{name}` is already on main and this PR deletes it: databases that ran it keep what it did, fresh databases never get it.',
    deletedNeverApplied:
      '`{name}` is on main but fails there ({failure} at {failedAt}), so no database recorded it as applied: deleting it changes no database.',
    deletedRefused:
      '`{name}` is main\'s newest migration, and SQLite refuses its `ADD COLUMN {column}` to `{table}` ({reason}) once `{table}` has rows: databases with rows in `{table}` refused it and recorded nothing, so deleting it changes none of them. A database whose `{table}` was empty (fresh or preview) did run it and keeps `{column}`; Safari cannot know which databases did.',
    movedOut:
      '`{name}` is already on main and this PR moves it out of the migration folders (to `{to}`): databases that ran it keep what it did, fresh databases never get it.',
    renamed:
      '`{from}` is already on main and this PR renames it to `{name}`: wrangler decides what to run by file name, so every database that ran `{from}` runs it again as `{name}`.',
    renamedDrizzle:
      '`{from}` is already on main and this PR renames it to `{name}`: Drizzle tracks applied entries by journal date, so it is not re-run, but the journal tag must still name the file.',
    renamedIntoDrizzle:
      '`{from}` is already on main, applied by wrangler, and this PR moves it to `{name}`, where Drizzle\'s migrator applies it: the migrator has no record of it, so every database that ran `{from}` runs it again.',
    movedAndEdited:
      '`{name}` is already on main and this PR moves it to `{to}` and changes it ({changed} changed line{s}): wrangler tracks it by name, so databases that already ran it will never run the new version, and they and fresh databases drift apart.',
    folderDeleted:
      'This PR removes all {count} migrations of `{folder}` ({database}), which are on main: the databases keep what they did, and the repository no longer describes them.',
  },
  fix: {
    deleted: 'Restore the file. To undo what it did, add a new migration with the next number.',
    deletedNeverApplied: 'No database ran it. If one ran a hand-fixed version outside these migrations, add a migration that gives fresh databases the same schema.',
    deletedRefused:
      'Nothing to do where the deploy failed. If a database with an empty `{table}` ran it, bring that one in line with a migration that works on both (add `{column}` in a form SQLite accepts on rows only where it is missing, or rebuild `{table}`).',
    movedOut: 'Move the file back. To undo what it did, add a new migration with the next number.',
    renamed: 'Keep the old name. If its number collides, leave it: applied migrations are never renumbered.',
    renamedDrizzle: 'Keep the old name, or make sure the journal entry names the new file.',
    renamedIntoDrizzle: 'Leave the file where wrangler applies it; put new changes in new Drizzle migrations.',
    movedAndEdited: 'Move `{name}` unchanged (as it is on main) and put the change in a new migration with the next number.',
    folderDeleted: 'Restore the folder. If the database is really retired, lower the rule on main first (`rules: { deleted-migration: warning }` in .github/safari.yml).',
  },
  wording: ['s'],
};

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const base = new Map(db.base.files.map((f) => [f.path, f]));
    const head = new Map(db.head.files.map((f) => [f.path, f]));
    const moves = wranglerMoves(db.base.files, db.head.files, base);
    // A Drizzle migration regenerated under a new name is an edit (edited-migration), not a deletion.
    const regenerated = new Set(regenerations(input, db).map((r) => r.before.path));
    const gone: Array<{ file: MigrationFile; report: Report }> = [];
    for (const change of input.changes) {
      // Only renames carry oldPath.
      const oldPath = change.status === 'deleted' ? change.path : change.oldPath;
      if (oldPath === undefined) continue;
      const file = base.get(oldPath);
      // Still in head means main re-added it meanwhile: nothing is gone.
      if (!file || head.has(file.path) || regenerated.has(file.path)) continue;
      const target = moves.get(file.path);
      const failure = change.status === 'deleted' ? baseFailureBlocking(db, file) : undefined;
      const refusal = change.status === 'deleted' && !failure ? refusedWhenPopulated(db, file) : undefined;
      if (target) {
        const edit = movedEdit(file, target, db.spec.name);
        if (edit) reports.push(edit);
      } else if (failure) {
        // Main's version fails in replay, so no applier recorded it (see never-applied.ts): its deletion is a repair.
        const failedAt = failure.file === file.path ? `line ${failure.line}` : `${failure.file}:${failure.line}`;
        reports.push({
          messageId: 'deletedNeverApplied',
          severity: 'warning',
          data: { name: fileName(file.path), failure: failure.message, failedAt },
          database: db.spec.name,
          file: file.path,
          line: failure.file === file.path ? failure.line : 1,
        });
      } else if (refusal) {
        // A revert of main's newest migration, which every database with rows refused: a warning, not an error.
        reports.push({
          messageId: 'deletedRefused',
          severity: 'warning',
          data: { name: fileName(file.path), table: refusal.table, column: refusal.column, reason: refusal.reason },
          database: db.spec.name,
          file: file.path,
          line: refusal.line,
        });
      } else if (change.status === 'deleted') {
        gone.push({ file, report: { messageId: 'deleted', data: { name: fileName(file.path) }, database: db.spec.name, file: file.path, line: 1 } });
      } else {
        const moved = head.get(change.path);
        // The folder moved with its config into a database new on this side (a drizzle config moved from the root to
        // `config/drizzle/` names its database anew): the same migrations, moved, not lost.
        const carried = moved || file.applier !== 'drizzle' ? undefined : movedDatabaseFile(input, db, change.path);
        if (carried) {
          const edit = movedEdit(file, carried, db.spec.name);
          if (edit) reports.push(edit);
        } else if (!moved) {
          gone.push({ file, report: { messageId: 'movedOut', data: { name: fileName(file.path), to: change.path }, database: db.spec.name, file: change.path, line: 1 } });
        } else if (moved.applier === 'drizzle' && file.applier === 'drizzle' && fileName(moved.path) === fileName(file.path) && file.journal !== undefined && moved.journal?.tag === file.journal.tag) {
          // The whole Drizzle folder moved (`out: './drizzle'` → `'./migrations'`) with its journal: the entry still
          // names the file and the migrator, tracking entries by journal, runs nothing again. Only an edit is news.
          const edit = movedEdit(file, moved, db.spec.name);
          if (edit) reports.push(edit);
        } else {
          // Only a file Drizzle's migrator already ran is tracked by its journal; one wrangler ran is news to it.
          const drizzle = moved.applier === 'drizzle' && file.applier === 'drizzle';
          reports.push({
            messageId: drizzle ? 'renamedDrizzle' : moved.applier === 'drizzle' ? 'renamedIntoDrizzle' : 'renamed',
            ...(drizzle ? { severity: 'warning' as const } : {}),
            data: { from: file.path, name: fileName(moved.path) },
            database: db.spec.name,
            file: moved.path,
            line: 1,
          });
        }
      }
    }
    const baseFolders = byFolder(db.base.files);
    for (const [folder, goneFiles] of byFolder(gone.map((g) => g.file))) {
      const all = baseFolders.get(folder) ?? [];
      if (goneFiles.length > 1 && goneFiles.length === all.length) {
        reports.push({ messageId: 'folderDeleted', data: { count: all.length, folder, database: db.spec.name }, database: db.spec.name, file: folder });
      } else {
        for (const g of gone) if (g.file.source === folder) reports.push(g.report);
      }
    }
  }
  return oncePerFile(reports);
}

/**
 * `path` as a Drizzle file of another database that had no migrations on main (a database whose config moved). Drizzle's
 * migrator tracks entries by journal, not path, so the move itself changes nothing; a folder merely guessed (a
 * `migrations` folder no config names) doesn't count.
 */
function movedDatabaseFile(input: RuleInput, db: RuleInput['databases'][number], path: string): MigrationFile | undefined {
  for (const other of input.databases) {
    // `db` itself is skipped too: it had the moved file on main.
    if (other.base.files.length > 0) continue;
    const file = other.head.files.find((f) => f.path === path && f.applier === 'drizzle');
    if (file) return file;
  }
  return undefined;
}

/**
 * Base wrangler files that left their path, paired with a new head file of the same database and the same name.
 * Only files new in head qualify, so a same-named file that was already on main never hides a deletion; an exact
 * copy is preferred, and each new file pairs with one old file.
 */
function wranglerMoves(baseFiles: readonly MigrationFile[], headFiles: readonly MigrationFile[], base: ReadonlyMap<string, MigrationFile>): Map<string, MigrationFile> {
  const headPaths = new Set(headFiles.map((f) => f.path));
  const candidates = new Map<string, MigrationFile[]>();
  for (const f of headFiles) {
    if (f.applier !== 'wrangler' || base.has(f.path)) continue;
    const name = fileName(f.path);
    candidates.set(name, [...(candidates.get(name) ?? []), f]);
  }
  const left = baseFiles.filter((f) => f.applier === 'wrangler' && !headPaths.has(f.path));
  const moves = new Map<string, MigrationFile>();
  const claimed = new Set<string>();
  const pair = (exact: boolean) => {
    for (const f of left) {
      if (moves.has(f.path)) continue;
      const to = (candidates.get(fileName(f.path)) ?? []).find((c) => !claimed.has(c.path) && (!exact || c.content === f.content));
      if (!to) continue;
      moves.set(f.path, to);
      claimed.add(to.path);
    }
  };
  pair(true);
  pair(false);
  return moves;
}

/** A moved file whose content changed is an edit of applied history; adding only acknowledgements is not. */
function movedEdit(before: MigrationFile, after: MigrationFile, database: string): Report | undefined {
  const oldText = withoutAcknowledgements(before.content);
  const newText = withoutAcknowledgements(after.content);
  if (oldText === newText) return undefined;
  // undefined when only line endings changed (the diff reads CRLF as LF).
  const diff = lineDiff(before.content, after.content) ?? { changed: 1, firstLine: 1, lines: ['(only line endings changed)'] };
  const cosmetic = sqlMeaning(oldText) === sqlMeaning(newText);
  return {
    messageId: 'movedAndEdited',
    ...(cosmetic ? { severity: 'warning' as const } : {}),
    data: { name: fileName(before.path), to: after.path, changed: diff.changed, s: diff.changed === 1 ? '' : 's' },
    database,
    file: after.path,
    line: diff.firstLine,
    details: diff.lines,
  };
}

export default { meta, check } satisfies Rule;
