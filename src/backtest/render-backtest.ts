/** The backtest summary as Markdown (for an issue or a README), plain text (a terminal) or JSON. */
import { singleLine } from '../render/control-chars.js';
import { codeSpan, escapeText } from '../render/markdown-escape.js';
import { findingTextMarkdown } from '../render/message-markdown.js';
import { plural } from '../render/review-summary.js';
import type { BacktestCommit, BacktestFinding, BacktestResult } from './backtest.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const short = (sha: string) => sha.slice(0, 7);
const where = (f: BacktestFinding) =>
  [f.file !== undefined ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : undefined, f.database && `[${f.database}]`]
    .filter(Boolean)
    .join(' ');

/** The headline figures, the same words in every format. */
function headline(r: BacktestResult): string[] {
  const s = r.summary;
  const range = r.since !== undefined ? `${r.since}..${r.branch}` : r.branch;
  const stopped = s.configurationErrors + s.internalErrors;
  return [
    `${plural(s.reviewed, 'commit')} reviewed of ${r.considered} first-parent commits on ${range}${r.last !== undefined ? ` (the last ${r.last} that touch migrations)` : ''}` +
      (r.shallow ? ' (the clone is shallow: older history is not there to review; `git fetch --unshallow` for all of it)' : ''),
    `${s.failed} would have failed, ${s.neutral} neutral, ${s.passed} passed${stopped ? `, ${s.configurationErrors} stopped by a configuration error, ${s.internalErrors} by an internal error` : ''}`,
    s.reviewed
      ? `time per review: median ${seconds(s.timing.medianMs)}, p90 ${seconds(s.timing.p90Ms)}, max ${seconds(s.timing.maxMs)} (total ${seconds(s.timing.totalMs)})`
      : 'no commit touched migrations, configs or Drizzle schemas',
  ];
}

const flagged = (r: BacktestResult) => r.commits.filter((c) => c.errors.length > 0 || c.problem !== undefined);

export function renderBacktestText(r: BacktestResult): string {
  const lines = ['Migration Safari backtest', ...headline(r).map((l) => `  ${l}`)];
  if (r.summary.byRule.length) {
    lines.push('', 'by rule (errors, warnings):');
    const width = Math.max(...r.summary.byRule.map((x) => x.rule.length));
    for (const row of r.summary.byRule) lines.push(`  ${row.rule.padEnd(width)}  ${String(row.errors).padStart(4)}  ${String(row.warnings).padStart(4)}`);
  }
  const bad = flagged(r);
  if (bad.length) {
    lines.push('', 'commits with errors:');
    for (const c of bad) {
      lines.push(`  ${short(c.sha)} ${singleLine(c.subject)}  (${outcomeText(c)}, ${seconds(c.ms)})`);
      if (c.problem) lines.push(`    ${singleLine(c.problem)}`);
      for (const f of c.errors) lines.push(`    ✖ ${f.rule}  ${singleLine(where(f))}  ${singleLine(f.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderBacktestMarkdown(r: BacktestResult): string {
  const lines = ['## Migration Safari backtest', '', ...headline(r).map((l) => `- ${escapeText(l)}`)];
  if (r.summary.byRule.length) {
    lines.push('', '| rule | errors | warnings |', '| --- | ---: | ---: |');
    for (const row of r.summary.byRule) lines.push(`| ${codeSpan(row.rule, { inTable: true })} | ${row.errors} | ${row.warnings} |`);
  }
  const bad = flagged(r);
  if (bad.length) {
    lines.push('', '### Commits with errors', '');
    for (const c of bad) {
      lines.push(`- ${codeSpan(short(c.sha))} ${codeSpan(c.subject)} (${outcomeText(c)}, ${seconds(c.ms)})`);
      if (c.problem) lines.push(`  - ${codeSpan(c.problem)}`);
      for (const f of c.errors) {
        const at = where(f);
        lines.push(`  - ${codeSpan(f.rule)}${at ? ` ${codeSpan(at)}` : ''} ${findingTextMarkdown(f, 'message')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderBacktestJson(r: BacktestResult): string {
  const round = (ms: number) => Math.round(ms);
  const commits = r.commits.map((c: BacktestCommit) => ({ ...c, ms: round(c.ms) }));
  const t = r.summary.timing;
  const timing = { totalMs: round(t.totalMs), medianMs: round(t.medianMs), p90Ms: round(t.p90Ms), maxMs: round(t.maxMs) };
  return `${JSON.stringify({ ...r, commits, summary: { ...r.summary, timing } }, null, 2)}\n`;
}

function outcomeText(c: BacktestCommit): string {
  if (c.outcome === 'configuration-error') return 'configuration error';
  if (c.outcome === 'internal-error') return 'internal error';
  return `${c.outcome}, ${plural(c.errors.length, 'error')}`;
}

/** One stderr line per reviewed commit. */
export function progressLine(index: number, total: number, c: BacktestCommit): string {
  const width = String(total).length;
  const counts = c.problem !== undefined ? outcomeText(c) : `${c.outcome}: ${plural(c.errors.length, 'error')}, ${plural(c.warnings.length, 'warning')}`;
  return `[${String(index).padStart(width)}/${total}] ${short(c.sha)} ${singleLine(c.subject).slice(0, 60)} — ${counts} (${seconds(c.ms)})`;
}
