/**
 * The PR deletes or renames a migration that is on main. A deleted file leaves every database ahead of the repository
 * (its tables stay; fresh databases never get them); a renamed one is applied again by wrangler, which decides what to
 * run by file name. Removing a whole folder is reported once, not once per file.
 */
import type { MigrationFile } from '../discover/types.js';
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { byFolder, fileName } from './history/pr-migrations.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'deleted-migration',
  defaultSeverity: 'error',
  description: 'The PR deletes or renames a migration that is already on main.',
  messages: {
    deleted:
      '`{name}` is already on main and this PR deletes it: databases that ran it keep what it did, fresh databases never get it.',
    movedOut:
      '`{name}` is already on main and this PR moves it out of the migration folders (to `{to}`): databases that ran it keep what it did, fresh databases never get it.',
    renamed:
      '`{from}` is already on main and this PR renames it to `{name}`: wrangler decides what to run by file name, so every database that ran `{from}` runs it again as `{name}`.',
    renamedDrizzle:
      '`{from}` is already on main and this PR renames it to `{name}`: Drizzle tracks applied entries by journal date, so it is not re-run, but the journal tag must still name the file.',
    folderDeleted:
      'This PR removes all {count} migrations of `{folder}` ({database}), which are on main: the databases keep what they did, and the repository no longer describes them.',
  },
  fix: {
    deleted: 'Restore the file. To undo what it did, add a new migration with the next number.',
    movedOut: 'Move the file back. To undo what it did, add a new migration with the next number.',
    renamed: 'Keep the old name. If its number collides, leave it: applied migrations are never renumbered.',
    renamedDrizzle: 'Keep the old name, or make sure the journal entry names the new file.',
    folderDeleted: 'Restore the folder. If the database is really retired, lower the rule on main first (`rules: { deleted-migration: warning }` in .github/safari.yml).',
  },
};

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const base = new Map(db.base.files.map((f) => [f.path, f]));
    const head = new Map(db.head.files.map((f) => [f.path, f]));
    const gone: Array<{ file: MigrationFile; report: Report }> = [];
    for (const change of input.changes) {
      if (change.status === 'deleted') {
        const file = base.get(change.path);
        // Still in head means main re-added it meanwhile: nothing is gone.
        if (!file || head.has(file.path)) continue;
        gone.push({ file, report: { messageId: 'deleted', data: { name: fileName(file.path) }, database: db.spec.name, file: file.path } });
      } else if (change.status === 'renamed' && change.oldPath !== undefined) {
        const file = base.get(change.oldPath);
        if (!file || head.has(file.path)) continue;
        const moved = head.get(change.path);
        if (!moved) {
          gone.push({ file, report: { messageId: 'movedOut', data: { name: fileName(file.path), to: change.path }, database: db.spec.name, file: change.path } });
        } else {
          const drizzle = moved.applier === 'drizzle';
          reports.push({
            messageId: drizzle ? 'renamedDrizzle' : 'renamed',
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

export default { meta, check } satisfies Rule;
