/**
 * A rollback script inside a folder that is applied. wrangler has no notion of "down": it applies every file of the
 * folder in order, so `0006_x_rollback.sql` runs right after `0006_x.sql` and undoes it on every database.
 */
import type { MigrationFile } from '../discover/types.js';
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { fileName } from './history/migration-numbers.js';
import { addedMigrations, prChangesDatabaseFolder } from './shared/pr-operations.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'down-migration-applied',
  identity: ['database', 'file'],
  defaultSeverity: 'error',
  description: 'A rollback (down) migration sits in a folder that is applied, so it runs like any other migration.',
  messages: {
    twin: '`{name}` is a rollback script, but `{folder}` is applied by {applier}: it runs like any other migration, right after `{twin}`, and undoes it on every database.',
    alone: '`{name}` is a rollback script, but `{folder}` is applied by {applier}: it runs like any other migration and undoes what it reverts on every database.',
    onMain: '`{name}` is a rollback script in `{folder}`, which {applier} applies like any other migration.',
  },
  fix: 'Move rollback scripts out of the applied folder (e.g. to a sibling `rollbacks/` folder no config names). If the file is a forward migration, rename it so its name does not end in down/rollback.',
};

const DOWN_SUFFIX = /[._-](down|rollback)(\.sql)$/i;
const DOWN_FOLDER = /^(down|downs|rollback|rollbacks|undo)$/i;
/** Folder-per-migration layouts: `0006_x/up.sql` + `0006_x/down.sql`. */
const DOWN_FILE = /^(down|rollback)\.sql$/i;

/** Where the forward twin would be when the file is a rollback script; undefined when the file is not one. */
export function rollbackTwin(file: MigrationFile): string | undefined {
  const below = file.source === '' ? file.path : file.path.slice(file.source.length + 1);
  const segments = below.split('/');
  const name = segments.pop() ?? '';
  const downSegment = segments.findIndex((s) => DOWN_FOLDER.test(s));
  if (downSegment >= 0) {
    const rest = [...segments.slice(0, downSegment), ...segments.slice(downSegment + 1), name].join('/');
    return file.source === '' ? rest : `${file.source}/${rest}`;
  }
  const dir = file.path.slice(0, file.path.length - name.length);
  if (DOWN_FILE.test(name)) return `${dir}up.sql`;
  if (!DOWN_SUFFIX.test(name)) return undefined;
  return `${dir}${name.replace(DOWN_SUFFIX, '$2')}`;
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    const added = new Set(addedMigrations(input, db).map((a) => a.file.path));
    const heads = new Set(db.head.files.map((f) => f.path));
    const showOld = prChangesDatabaseFolder(input, db);
    for (const file of db.head.files) {
      const twinPath = rollbackTwin(file);
      if (twinPath === undefined) continue;
      const isNew = added.has(file.path);
      if (!isNew && !showOld) continue;
      const forward = [twinPath, twinPath.replace(/\.sql$/i, '.up.sql')].find((p) => heads.has(p));
      const data = { name: fileName(file.path), folder: file.source, applier: file.applier, ...(forward ? { twin: fileName(forward) } : {}) };
      reports.push({
        messageId: !isNew ? 'onMain' : forward ? 'twin' : 'alone',
        data,
        database: db.spec.name,
        file: file.path,
        line: 1,
        ...(isNew ? {} : { preexisting: true }),
      });
    }
  }
  return oncePerFile(reports);
}

export default { meta, check } satisfies Rule;
