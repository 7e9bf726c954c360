/**
 * A migration added below main's newest one. wrangler applies it anyway (it decides by file name alone), after
 * everything production already ran, while a fresh database runs it in number order: the two can disagree. Drizzle's
 * migrator is worse: it only applies journal entries dated after the last applied one, so an older entry merged later
 * is skipped silently — an error for Drizzle folders.
 */
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { fileName, formatNumber, highestNumber, numberConvention, numberOf } from './history/migration-numbers.js';
import { addedMigrations } from './shared/pr-operations.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'out-of-order',
  identity: ['database', 'file'],
  defaultSeverity: 'warning',
  description: "A migration the PR adds sorts before main's newest migration (an error for Drizzle, whose migrator skips it).",
  messages: {
    lower:
      '`{name}` (number {number}) sorts before `{latest}`, already on main: databases that ran `{latest}` apply it after it, fresh databases before it.',
    drizzleSkipped:
      "`{name}` is dated {when}, not after `{latest}` ({latestWhen}) on main: Drizzle's migrator skips entries older than the last one applied, so databases that ran `{latest}` will never run it.",
  },
  fix: {
    lower: 'Renumber the file to `{suggested}` so it runs after `{latest}` everywhere.',
    drizzleSkipped: 'Delete the migration and its snapshot, merge the base branch, and run `drizzle-kit generate` again so the entry is dated after `{latest}`.',
  },
};

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    for (const { file, renamedFrom } of addedMigrations(input, db)) {
      // A renamed migration is deleted-migration's to report.
      if (renamedFrom !== undefined) continue;
      const folder = db.base.files.filter((f) => f.source === file.source);
      const name = fileName(file.path);
      if (file.applier === 'drizzle' && file.journal) {
        const dated = folder.filter((f) => f.journal);
        const latest = dated.reduce<(typeof dated)[number] | undefined>((top, f) => (!top || f.journal!.when > top.journal!.when ? f : top), undefined);
        if (latest && file.journal.when <= latest.journal!.when) {
          reports.push({
            messageId: 'drizzleSkipped',
            severity: 'error',
            data: { name: file.journal.tag || name, when: iso(file.journal.when), latest: latest.journal!.tag || fileName(latest.path), latestWhen: iso(latest.journal!.when) },
            database: db.spec.name,
            file: file.path,
          });
        }
        continue;
      }
      const top = highestNumber(folder);
      const number = numberOf(file);
      const topNumber = top ? numberOf(top) : null;
      if (number === null || !top || topNumber === null || number >= topNumber) continue;
      const convention = numberConvention(folder);
      const next = formatNumber(Math.max(topNumber, ...db.head.files.filter((f) => f.source === file.source).map((f) => numberOf(f) ?? 0)) + 1, convention);
      reports.push({
        messageId: 'lower',
        ...(file.applier === 'drizzle' ? { severity: 'error' as const } : {}),
        data: { name, number: file.numberText ?? String(file.number), latest: fileName(top.path), suggested: `${next}${name.slice(file.numberText?.length ?? 0)}` },
        database: db.spec.name,
        file: file.path,
        line: 1,
      });
    }
  }
  return oncePerFile(reports);
}

export default { meta, check } satisfies Rule;
