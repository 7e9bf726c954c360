/**
 * The PR changes a migration that is already on main. wrangler and Drizzle decide what to run by name or journal
 * date, never by content, so every database that already ran the file keeps the old version while fresh databases
 * get the new one. An edit that only touches comments, whitespace or letter case changes nothing SQLite runs: it is
 * still reported (the history no longer matches what ran), but as a warning. Adding or removing Safari's own
 * `-- safari-ignore:` lines is how old files get acknowledged, and is not reported at all.
 */
import type { MigrationFile } from '../discover/types.js';
import { regenerations } from './history/regenerated.js';
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { fileName } from './history/migration-numbers.js';
import { lineDiff } from './history/line-diff.js';
import { baseFailureBlocking, refusedWhenPopulated, stillRefused } from './history/never-applied.js';
import { sqlMeaning, withoutAcknowledgements } from './history/sql-meaning.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'edited-migration',
  identity: ['database', 'file'],
  defaultSeverity: 'error',
  description: 'The PR modifies a migration that is already on main; databases that ran it will never see the change.',
  messages: {
    edited:
      '`{name}` is already on main and this PR changes it ({changed} changed line{s}): databases that already ran it will never run the new version, so they and fresh databases drift apart.',
    rerun:
      '`{name}` is already on main and this PR regenerates it with a later journal date ({when}, was {oldWhen}): Drizzle\'s migrator re-runs an entry newer than the last one applied, so every database that ran the old version runs the new one on top of it ({changed} changed line{s}).',
    repair:
      '`{name}` is on main but fails there ({failure} at {failedAt}), so no database recorded it as applied: this PR\'s edit repairs it before it first runs ({changed} changed line{s}).',
    repairRefused:
      '`{name}` is main\'s newest migration, and SQLite refuses its `ADD COLUMN {column}` to `{table}` ({reason}) once `{table}` has rows: databases with rows in `{table}` refused it and recorded nothing, so this PR\'s edit repairs it before they run it ({changed} changed line{s}). A database whose `{table}` was empty (fresh or preview) did run main\'s version and will not run this one; Safari cannot know which databases did.',
    cosmetic:
      '`{name}` is already on main and this PR changes only its comments, whitespace or letter case ({changed} changed line{s}); databases will not re-run it, but the file no longer reads as it ran.',
  },
  fix: {
    edited: 'Restore `{name}` as it is on main and put the change in a new migration with the next number.',
    rerun: 'Restore `{name}`, its snapshot and its journal entry as they are on main, and generate the change as a new migration after it.',
    repair: 'Keep the repair. If some database did run a hand-fixed version of it outside these migrations, check that it matches this one.',
    repairRefused:
      'Keep the repair. If a database with an empty `{table}` ran main\'s version, check that it matches what this version builds, and fix it with a new migration if not.',
    cosmetic: 'Restore `{name}` as it is on main, or keep the edit and acknowledge it with `-- safari-ignore: edited-migration <reason>`.',
  },
  wording: ['s'],
};

/** Drizzle's journal `when` of a migration on main and after the PR (undefined outside Drizzle's legacy layout). */
function journalDates(before: MigrationFile, after: MigrationFile): { base: number; head: number } | undefined {
  if (before.applier !== 'drizzle' || !before.journal || !after.journal) return undefined;
  return { base: before.journal.when, head: after.journal.when };
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  const modified = new Set(input.changes.filter((c) => c.status === 'modified').map((c) => c.path));
  for (const db of input.databases) {
    const heads = new Map(db.head.files.map((f) => [f.path, f]));
    const pairs = db.base.files.filter((f) => modified.has(f.path)).map((before) => ({ before, after: heads.get(before.path) }));
    // A Drizzle migration regenerated under drizzle-kit's next random name is the same migration, edited.
    pairs.push(...regenerations(input, db));
    for (const { before, after } of pairs) {
      if (!after) continue;
      const oldText = withoutAcknowledgements(before.content);
      const newText = withoutAcknowledgements(after.content);
      if (oldText === newText) continue;
      // undefined when only line endings changed (the diff reads CRLF as LF).
      const diff = lineDiff(before.content, after.content) ?? { changed: 1, firstLine: 1, lines: ['(only line endings changed)'] };
      const cosmetic = sqlMeaning(oldText) === sqlMeaning(newText);
      const data = { name: fileName(before.path), changed: diff.changed, s: diff.changed === 1 ? '' : 's' };
      // Main's version never ran anywhere (its replay fails): the edit is a repair, not a rewrite of applied history.
      const failure = cosmetic ? undefined : baseFailureBlocking(db, before);
      if (failure) {
        const failedAt = `${failure.file === before.path ? 'line' : `${failure.file}:`}${failure.file === before.path ? ` ${failure.line}` : failure.line}`;
        reports.push({
          messageId: 'repair',
          severity: 'warning',
          data: { ...data, failure: failure.message, failedAt },
          database: db.spec.name,
          file: after.path,
          line: diff.firstLine,
          details: diff.lines,
        });
        continue;
      }
      // Main's newest migration, refused by every database with rows (an ADD COLUMN SQLite accepts only on an empty
      // table), edited so it adds no column in such a form any more: a repair too, as far as Safari can know.
      const refusal = cosmetic ? undefined : refusedWhenPopulated(db, before);
      if (refusal && !stillRefused(after)) {
        reports.push({
          messageId: 'repairRefused',
          severity: 'warning',
          data: { ...data, table: refusal.table, column: refusal.column, reason: refusal.reason },
          database: db.spec.name,
          file: after.path,
          line: diff.firstLine,
          details: diff.lines,
        });
        continue;
      }
      // Drizzle's migrator decides by journal `when`: an entry whose date moved later is re-run where the old one ran.
      const dates = cosmetic ? undefined : journalDates(before, after);
      if (dates && dates.head > dates.base) {
        reports.push({
          messageId: 'rerun',
          data: { ...data, when: new Date(dates.head).toISOString(), oldWhen: new Date(dates.base).toISOString() },
          database: db.spec.name,
          file: after.path,
          line: diff.firstLine,
          details: diff.lines,
        });
        continue;
      }
      reports.push({
        messageId: cosmetic ? 'cosmetic' : 'edited',
        ...(cosmetic ? { severity: 'warning' as const } : {}),
        data,
        database: db.spec.name,
        file: after.path,
        line: diff.firstLine,
        details: diff.lines,
      });
    }
  }
  return oncePerFile(reports);
}

export default { meta, check } satisfies Rule;
