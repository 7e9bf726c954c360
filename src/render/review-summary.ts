/** Facts every renderer needs about a review: what the PR is blamed for, which databases changed, how. */
import { listedItems, type Finding, type Severity } from '../findings.js';
import type { DatabaseResult, ReviewResult } from '../result.js';
import { isDeltaEmpty } from '../schema/delta.js';

export const severities: readonly Severity[] = ['error', 'warning', 'notice'];

export interface FindingGroups {
  /** The PR's own, unacknowledged findings by severity (these decide the verdict). */
  bySeverity: Record<Severity, Finding[]>;
  /** Problems that already exist on the base branch, in databases the PR touches (or in no one database). */
  preexisting: Finding[];
  /** Problems that already exist on the base branch in databases the PR does not touch: counted, not listed. */
  preexistingElsewhere: Finding[];
  /** Silenced by a `-- safari-ignore:` comment. */
  acknowledged: Finding[];
}

/** Groups a review's findings; `databases` tells which databases the PR touches. */
export function groupFindings(findings: Finding[], databases: readonly DatabaseResult[] = []): FindingGroups {
  const untouched = new Set(databases.filter((db) => !db.touched).map((db) => db.name));
  const groups: FindingGroups = {
    bySeverity: { error: [], warning: [], notice: [] },
    preexisting: [],
    preexistingElsewhere: [],
    acknowledged: [],
  };
  for (const finding of findings) {
    if (finding.acknowledged) groups.acknowledged.push(finding);
    else if (finding.preexisting && finding.database !== undefined && untouched.has(finding.database)) groups.preexistingElsewhere.push(finding);
    else if (finding.preexisting) groups.preexisting.push(finding);
    else groups.bySeverity[finding.severity].push(finding);
  }
  return groups;
}

/** `a 2, b 1`: findings per database, most first, at most ten databases and then `and N more`. */
export function countByDatabase(findings: readonly Finding[], name: (database: string) => string): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.database ?? '', (counts.get(f.database ?? '') ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const { shown, more } = listedItems(sorted.map(([database]) => database));
  const text = shown.map((database) => `${name(database)} ${counts.get(database)}`).join(', ');
  return more > 0 ? `${text} and ${more} more` : text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 errors, 1 warning` — only the severities present; '' when there are none. */
export function countsText(groups: FindingGroups): string {
  return severities
    .filter((s) => groups.bySeverity[s].length > 0)
    .map((s) => plural(groups.bySeverity[s].length, s))
    .join(', ');
}

export { isDeltaEmpty };

/** A database shown in the summary: its schema changed, or a side's replay was partial. */
export const isNoteworthy = (db: DatabaseResult): boolean => !isDeltaEmpty(db.delta) || !db.base.ok || !db.head.ok;

export const NO_MIGRATIONS = 'no migrations';

/** Why a database has no review to show: not replayed (with the reason), or no migrations on either side. */
export function notReplayedReason(db: DatabaseResult): string | undefined {
  if (db.notReplayed) return db.notReplayed;
  if (db.base.migrations === 0 && db.head.migrations === 0) return NO_MIGRATIONS;
  return undefined;
}

/** Replayed, and its schema is the same on both sides: only these are "unchanged". */
export const isUnchanged = (db: DatabaseResult): boolean => !isNoteworthy(db) && notReplayedReason(db) === undefined;

/** `3 migration files in this PR were not reviewed`; '' when every migration file was. */
export function notReviewedText(result: ReviewResult): string {
  const count = (result.notReviewed ?? []).reduce((n, f) => n + f.files.length, 0);
  return count ? `${count} migration ${count === 1 ? 'file' : 'files'} in this PR ${count === 1 ? 'was' : 'were'} not reviewed` : '';
}

/** `base and head replays were partial` etc.; undefined when both sides replayed fully. */
export function partialNote(db: DatabaseResult): string | undefined {
  const sides = [!db.base.ok && 'base', !db.head.ok && 'head'].filter(Boolean);
  if (sides.length === 0) return undefined;
  return `${sides.join(' and ')} replay ${sides.length === 1 ? 'was' : 'were'} partial: the diff is best effort`;
}

export function location(finding: Finding): string | undefined {
  if (!finding.file) return undefined;
  if (finding.line === undefined) return finding.file;
  const end = finding.endLine !== undefined && finding.endLine !== finding.line ? `-${finding.endLine}` : '';
  return `${finding.file}:${finding.line}${end}`;
}

export { plural };
