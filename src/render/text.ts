/**
 * The terminal summary of `safari review --format text`. Colours only when asked (the CLI asks when stdout is a TTY,
 * see `shouldUseColor`); every string from the PR has its control characters made visible, so a table name holding
 * ESC sequences can't drive the user's terminal. Kept apart from the Markdown renderer on purpose.
 */
import type { Finding, Severity } from '../findings.js';
import type { ReviewResult } from '../result.js';
import { singleLine } from './control-chars.js';
import {
  countByDatabase,
  countsText,
  groupFindings,
  isDeltaEmpty,
  isNoteworthy,
  isUnchanged,
  location,
  notReplayedReason,
  notReviewedText,
  partialNote,
  plural,
  severities,
} from './review-summary.js';

export interface TextOptions {
  /** Add which config and binding put each folder in each database (`--explain-discovery`). */
  explainDiscovery?: boolean;
  color?: boolean;
}

/** Colour for a stream: a TTY, unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it (a non-"0" value). */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

type Style = (text: string) => string;
interface Palette {
  bold: Style;
  dim: Style;
  severity: Record<Severity, Style>;
  green: Style;
}

const ansi = (open: number, close: number): Style => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Style = (text) => text;

function palette(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, green: plain, severity: { error: plain, warning: plain, notice: plain } };
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    green: ansi(32, 39),
    severity: { error: ansi(31, 39), warning: ansi(33, 39), notice: ansi(36, 39) },
  };
}

const mark: Record<Severity, string> = { error: '✖', warning: '⚠', notice: 'ℹ' };

function findingLines(f: Finding, p: Palette, suffix = ''): string[] {
  const where = [location(f), f.database && `[${f.database}]`].filter(Boolean).map((s) => singleLine(String(s)));
  const lines = [`  ${p.severity[f.severity](mark[f.severity])} ${p.bold(singleLine(f.rule))}  ${where.join(' ')}`.trimEnd()];
  lines.push(`    ${singleLine(f.message)}${suffix}`);
  if (f.fix) lines.push(p.dim(`    fix: ${singleLine(f.fix)}`));
  for (const detail of (f.details ?? []).slice(0, 20)) lines.push(p.dim(`      ${singleLine(detail)}`));
  if ((f.details?.length ?? 0) > 20) lines.push(p.dim(`      … ${f.details!.length - 20} more lines`));
  return lines;
}

export function renderText(result: ReviewResult, opts: TextOptions = {}): string {
  const p = palette(opts.color === true);
  const groups = groupFindings(result.findings, result.databases);
  const lines: string[] = [];

  const counts = countsText(groups);
  const shown = result.databases.filter(isNoteworthy);
  const changed = result.databases.filter((db) => !isDeltaEmpty(db.delta)).length;
  const unreviewed = notReviewedText(result);
  const headline = counts || unreviewed ? `Migration Safari: ${[unreviewed, counts].filter(Boolean).join('; ')}` : 'Migration Safari: no problems found';
  const colour = groups.bySeverity.error.length ? p.severity.error : groups.bySeverity.warning.length || unreviewed ? p.severity.warning : p.green;
  lines.push(
    `${colour(p.bold(headline))} — ${changed} of ${plural(result.databases.length, 'database')} changed (${result.conclusion})`,
  );

  if (shown.length > 0) {
    lines.push('');
    const width = Math.max(...shown.map((db) => singleLine(db.name).length));
    for (const db of shown) {
      const d = db.delta;
      const numbers = `tables ${db.base.tables} → ${db.head.tables}  +${d.tablesAdded.length} -${d.tablesDropped.length} ~${d.tablesChanged.length} renamed ${d.tablesRenamed.length}`;
      const partial = partialNote(db);
      lines.push(`  ${singleLine(db.name).padEnd(width)}  ${numbers}${partial ? `  ${p.severity.warning(`(${partial})`)}` : ''}`);
    }
  }
  const unchanged = result.databases.filter(isUnchanged).length;
  if (unchanged > 0) lines.push(p.dim(`  ${plural(unchanged, 'database')} unchanged`));
  for (const db of result.databases.filter((d) => !isNoteworthy(d) && notReplayedReason(d) !== undefined)) {
    lines.push(p.dim(`  ${singleLine(db.name)}: not replayed (${singleLine(notReplayedReason(db) ?? '')})`));
  }

  for (const severity of severities) {
    const findings = groups.bySeverity[severity];
    if (findings.length === 0) continue;
    lines.push('', p.severity[severity](p.bold(`${severity}s (${findings.length})`)));
    for (const f of findings) lines.push(...findingLines(f, p));
  }
  if (groups.acknowledged.length > 0) {
    lines.push('', p.bold(`acknowledged (${groups.acknowledged.length})`));
    for (const f of groups.acknowledged) lines.push(...findingLines(f, p, p.dim(` — acknowledged: ${singleLine(f.acknowledged?.reason ?? '')}`)));
  }
  if (groups.preexisting.length > 0) {
    lines.push('', p.dim(`already on main: ${plural(groups.preexisting.length, 'finding')} (not caused by this change)`));
    for (const f of groups.preexisting) {
      lines.push(p.dim(`  ${singleLine(f.rule)}  ${singleLine(location(f) ?? f.database ?? '')}  ${singleLine(f.message)}`));
    }
  }
  const elsewhere = groups.preexistingElsewhere;
  if (elsewhere.length > 0) {
    const counts = countByDatabase(elsewhere, singleLine);
    lines.push('', p.dim(`already on main in databases this change does not touch: ${plural(elsewhere.length, 'finding')} (${counts})`));
  }
  const unattributed = result.unattributed ?? [];
  if (unattributed.length > 0) {
    lines.push('', p.bold(`unattributed migration folders (${unattributed.length}), not replayed:`));
    for (const folder of unattributed) lines.push(`  ${singleLine(folder)}`);
  }
  if (opts.explainDiscovery && result.discovery.length > 0) {
    lines.push('', p.bold('discovery: which config put each folder in each database'));
    for (const entry of result.discovery) {
      lines.push(`  ${singleLine(entry.database)} ← ${singleLine(entry.source)} (${entry.kind})${entry.guessed ? p.severity.warning(' guessed') : ''}`);
      for (const reason of entry.reasons) lines.push(p.dim(`    ${singleLine(reason)}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
