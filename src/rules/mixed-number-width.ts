/**
 * A new migration written with a different number width than its folder (`0085_x.sql` among `084_y.sql`). wrangler
 * compares numbers by value, so the order survives, but the folder's sort in every file browser and shell glob does
 * not, and the next author copies whichever width they saw last. Only files the PR adds are checked: a folder that
 * switched widths long ago (groveauth's 001 → 0001) is history, not this PR's doing.
 */
import type { Report } from '../findings.js';
import { oncePerFile } from './history/once-per-file.js';
import { fileName, fitsConvention, formatNumber, numberConvention } from './history/migration-numbers.js';
import { addedMigrations } from './shared/pr-operations.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'mixed-number-width',
  identity: ['database', 'file'],
  defaultSeverity: 'warning',
  description: "A migration the PR adds writes its number with a different width than the folder's convention (001 vs 0001).",
  messages: {
    padded: '`{name}` writes its number as `{number}`; `{folder}` uses {width}-digit numbers (like `{example}`).',
    plain: '`{name}` writes its number as `{number}` with leading zeros; `{folder}` writes numbers without them (like `{example}`).',
  },
  fix: 'Rename the file to `{suggested}`.',
};

export function check(input: RuleInput): Report[] {
  const reports: Report[] = [];
  for (const db of input.databases) {
    for (const { file } of addedMigrations(input, db)) {
      // drizzle-kit names its own files; a width there is the tool's, not the author's.
      if (file.numberText === null || file.applier === 'drizzle') continue;
      const convention = numberConvention(db.base.files.filter((f) => f.source === file.source));
      if (!convention || fitsConvention(file.numberText, convention)) continue;
      const name = fileName(file.path);
      reports.push({
        messageId: convention.padded ? 'padded' : 'plain',
        data: {
          name,
          number: file.numberText,
          folder: file.source,
          width: convention.width,
          example: fileName(convention.example.path),
          suggested: `${formatNumber(Number(file.numberText), convention)}${name.slice(file.numberText.length)}`,
        },
        database: db.spec.name,
        file: file.path,
        line: 1,
      });
    }
  }
  return oncePerFile(reports);
}

export default { meta, check } satisfies Rule;
