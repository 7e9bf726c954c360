/** Facts every renderer needs about a review: what the PR is blamed for, which databases changed, how. */
import type { Finding, Severity } from '../findings.js';
import type { DatabaseResult, ReviewResult } from '../result.js';
import type { SchemaDelta } from '../schema/delta.js';

export const severities: readonly Severity[] = ['error', 'warning', 'notice'];

export interface FindingGroups {
  /** The PR's own, unacknowledged findings by severity (these decide the verdict). */
  bySeverity: Record<Severity, Finding[]>;
  /** Problems that already exist on the base branch. */
  preexisting: Finding[];
  /** Silenced by a `-- safari-ignore:` comment. */
  acknowledged: Finding[];
}

export function groupFindings(findings: Finding[]): FindingGroups {
  const groups: FindingGroups = { bySeverity: { error: [], warning: [], notice: [] }, preexisting: [], acknowledged: [] };
  for (const finding of findings) {
    if (finding.acknowledged) groups.acknowledged.push(finding);
    else if (finding.preexisting) groups.preexisting.push(finding);
    else groups.bySeverity[finding.severity].push(finding);
  }
  return groups;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 errors, 1 warning` — only the severities present; '' when there are none. */
export function countsText(groups: FindingGroups): string {
  return severities
    .filter((s) => groups.bySeverity[s].length > 0)
    .map((s) => plural(groups.bySeverity[s].length, s))
    .join(', ');
}

export function isDeltaEmpty(delta: SchemaDelta): boolean {
  return Object.values(delta).every((value) => !Array.isArray(value) || value.length === 0);
}

/** A database shown in the summary: its schema changed, or a side's replay was partial. */
export const isNoteworthy = (db: DatabaseResult): boolean => !isDeltaEmpty(db.delta) || !db.base.ok || !db.head.ok;

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
