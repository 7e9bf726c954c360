/**
 * The PR comment. Order: marker, verdict, summary table, findings by severity, acknowledged, already on main,
 * column-level details, unattributed folders, discovery. Findings come before the (possibly huge) schema details so
 * that truncation to GitHub's limit cuts details, not errors. Plain Markdown: no terminal escape codes, ever.
 * Text from the PR only ever goes through `codeSpan`, `codeHtml`, `fencedBlock` or a rule template's placeholders
 * (see message-markdown.ts): a PR can't write a line of this comment (issue 9).
 */
import type { Finding, Severity } from '../findings.js';
import type { DatabaseResult, ReviewResult } from '../result.js';
import type { SchemaDelta, TableDelta } from '../schema/delta.js';
import { DEFAULT_DOCS_URL, ruleDocUrl } from '../docs-url.js';
import { BoundedWriter } from './bounded-writer.js';
import { codeHtml, codeSpan, escapeHtml, escapeText, fencedBlock, physicalLines } from './markdown-escape.js';
import { findingTextMarkdown } from './message-markdown.js';
import {
  countByDatabase,
  countsText,
  groupFindings,
  isDeltaEmpty,
  isNoteworthy,
  isUnchanged,
  location,
  NO_MIGRATIONS,
  notReplayedReason,
  notReviewedText,
  partialNote,
  plural,
  severities,
  type FindingGroups,
} from './review-summary.js';

/** The sticky-comment updater finds its own comment by this first line. */
export const MARKDOWN_MARKER = '<!-- migration-safari -->';

export interface MarkdownOptions {
  /**
   * Base URL of the rule docs (`<docsUrl>/<rule-id>.md`, or `{rule}` in it replaced by the id). Overrides the
   * result's `docsUrl` (safari.yml or `--docs-url`); without either, the project's published docs.
   */
  docsUrl?: string;
  /** Add which config and binding put each folder in each database. */
  explainDiscovery?: boolean;
  /** Hard limit on the comment's length; default 60,000 (GitHub's limit is 65,536). */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 60_000;
const MAX_MESSAGE = 2_000;
const MAX_DETAIL_LINES = 40;
const MAX_DETAIL_LINE = 300;
const MAX_LISTED_NAMES = 60;

const severityHeading: Record<Severity, string> = { error: '❌ Errors', warning: '⚠️ Warnings', notice: 'ℹ️ Notices' };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A link destination that no character of the URL can end early (CommonMark ends it at a space or unbalanced `)`). */
const linkDestination = (url: string) =>
  url.replace(/[\u0000-\u0020()<>\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);

function verdict(result: ReviewResult, groups: FindingGroups): string {
  const counts = countsText(groups);
  const changed = result.databases.filter((db) => !isDeltaEmpty(db.delta)).length;
  const total = result.databases.length;
  const scope =
    total === 0
      ? 'no databases found'
      : changed === 0
        ? `no schema changes in ${plural(total, 'database')}`
        : `${changed} of ${plural(total, 'database')} changed`;
  const blocking = groups.bySeverity.error.length + groups.bySeverity.warning.length > 0;
  const unreviewed = notReviewedText(result);
  if (!blocking && unreviewed) return `⚠️ **Migration Safari: ${unreviewed}**${counts ? ` (${counts})` : ''} — ${scope}`;
  if (!blocking) {
    const notices = counts ? ` (${counts})` : '';
    const icon = result.conclusion === 'failure' ? '❌' : '✅';
    return `${icon} **Migration Safari: no problems found**${notices} — ${scope}`;
  }
  const icon = result.conclusion === 'failure' ? '❌' : '⚠️';
  return `${icon} **Migration Safari: ${counts}** — ${scope}`;
}

function summaryTable(databases: DatabaseResult[]): string {
  const rows = databases.map((db) => {
    const d = db.delta;
    const note = partialNote(db);
    const name = codeSpan(db.name, { inTable: true }) + (note ? ` ⚠️ ${note}` : '');
    return `| ${name} | ${db.base.tables} → ${db.head.tables} | ${d.tablesAdded.length} | ${d.tablesDropped.length} | ${d.tablesRenamed.length} | ${d.tablesChanged.length} |`;
  });
  return ['| Database | Tables | Added | Dropped | Renamed | Changed |', '| --- | --- | ---: | ---: | ---: | ---: |', ...rows].join(
    '\n',
  );
}

function nameList(names: string[]): string {
  const shown = names.slice(0, MAX_LISTED_NAMES).map((n) => codeSpan(n));
  if (names.length > MAX_LISTED_NAMES) shown.push(`and ${names.length - MAX_LISTED_NAMES} more`);
  return shown.join(', ');
}

function findingItem(finding: Finding, docsUrl: string, extra?: string): string {
  const head = [`[${codeSpan(finding.rule)}](${linkDestination(ruleDocUrl(docsUrl, finding.rule))})`];
  const where = location(finding);
  if (where) head.push(codeSpan(where));
  if (finding.database) head.push(`database ${codeSpan(finding.database)}`);
  if (finding.table) head.push(`table ${codeSpan(finding.table)}`);
  const lines = [`- ${head.join(' · ')}`, `  ${findingTextMarkdown(finding, 'message')}`];
  if (finding.fix) lines.push(`  **Fix:** ${findingTextMarkdown(finding, 'fix')}`);
  if (extra) lines.push(`  ${extra}`);
  if (finding.details?.length) {
    // Split before counting and indenting: each physical line must stay inside the fence.
    const all = finding.details.flatMap(physicalLines);
    const details = all.slice(0, MAX_DETAIL_LINES).map((line) => clip(line, MAX_DETAIL_LINE));
    if (all.length > MAX_DETAIL_LINES) details.push(`… ${all.length - MAX_DETAIL_LINES} more lines`);
    lines.push('', fencedBlock(details, '  '));
  }
  return lines.join('\n');
}

function tableDetail(t: TableDelta): string {
  const lines = [`- ${codeSpan(t.table)}`];
  const push = (label: string, names: string[]) => {
    if (names.length > 0) lines.push(`  - ${label}: ${nameList(names)}`);
  };
  // Change descriptions quote the PR's SQL (types, defaults, CHECK expressions): code, like every name.
  for (const change of t.changes ?? []) lines.push(`  - ${codeSpan(change)}`);
  push('columns added', t.columnsAdded);
  push('columns dropped', t.columnsDropped);
  for (const r of t.columnsRenamed) lines.push(`  - column renamed: ${codeSpan(r.from)} → ${codeSpan(r.to)}`);
  for (const c of t.columnsChanged) lines.push(`  - column ${codeSpan(c.column)}: ${c.changes.map((x) => codeSpan(x)).join('; ')}`);
  push('indexes added', t.indexesAdded);
  push('indexes dropped', t.indexesDropped);
  push('foreign keys added', t.foreignKeysAdded);
  push('foreign keys dropped', t.foreignKeysDropped);
  return lines.join('\n');
}

/** The pieces of one database's details: short lines first, then one piece per changed table. */
function deltaPieces(delta: SchemaDelta): string[] {
  const pieces: string[] = [];
  const line = (label: string, names: string[]) => {
    if (names.length > 0) pieces.push(`**${label}:** ${nameList(names)}\n`);
  };
  line('Tables added', delta.tablesAdded);
  line('Tables dropped', delta.tablesDropped);
  if (delta.tablesRenamed.length > 0) {
    const renames = delta.tablesRenamed.map((r) => `${codeSpan(r.from)} → ${codeSpan(r.to)}`).join(', ');
    pieces.push(`**Tables renamed:** ${renames}\n`);
  }
  if (delta.tablesChanged.length > 0) {
    pieces.push('**Tables changed:**\n');
    for (const t of delta.tablesChanged) pieces.push(tableDetail(t));
    pieces.push('');
  }
  line('Views added', delta.viewsAdded);
  line('Views dropped', delta.viewsDropped);
  line('Views changed', delta.viewsChanged);
  line('Triggers added', delta.triggersAdded);
  line('Triggers dropped', delta.triggersDropped);
  line('Triggers changed', delta.triggersChanged);
  return pieces;
}

function deltaSummaryText(db: DatabaseResult): string {
  const d = db.delta;
  const parts = [
    d.tablesAdded.length && `${d.tablesAdded.length} added`,
    d.tablesDropped.length && `${d.tablesDropped.length} dropped`,
    d.tablesRenamed.length && `${d.tablesRenamed.length} renamed`,
    d.tablesChanged.length && `${d.tablesChanged.length} changed`,
  ].filter(Boolean);
  const views = d.viewsAdded.length + d.viewsDropped.length + d.viewsChanged.length;
  const triggers = d.triggersAdded.length + d.triggersDropped.length + d.triggersChanged.length;
  if (views) parts.push(plural(views, 'view change'));
  if (triggers) parts.push(plural(triggers, 'trigger change'));
  return parts.length > 0 ? `tables ${parts.join(', ')}` : 'no schema change';
}

export function renderMarkdown(result: ReviewResult, opts: MarkdownOptions = {}): string {
  const docsUrl = opts.docsUrl ?? result.docsUrl ?? DEFAULT_DOCS_URL;
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  const note = (omitted: number) =>
    `> ✂️ **Truncated:** this review is longer than a GitHub comment allows (${maxLength} characters); ` +
    `${plural(omitted, 'more section')} not shown. Run \`npx safari review --format markdown\` for the full review.`;
  const out = new BoundedWriter(maxLength, note, note(999_999_999).length);
  const groups = groupFindings(result.findings, result.databases);

  out.add(MARKDOWN_MARKER);
  out.add(`${verdict(result, groups)}\n`);

  // 1. Summary table: changed (or partially replayed) databases, the rest on one line.
  const shown = result.databases.filter(isNoteworthy);
  const unchanged = result.databases.filter(isUnchanged);
  if (shown.length > 0) out.add(`${summaryTable(shown)}\n`);
  if (unchanged.length > 0) {
    const label = shown.length > 0 ? 'Unchanged' : 'Databases (no schema change)';
    out.add(`${label}: ${nameList(unchanged.map((db) => db.name))}\n`);
  }
  // Not replayed is not "unchanged": listed apart, each with its reason.
  const apart = result.databases.filter((db) => !isNoteworthy(db) && notReplayedReason(db) !== undefined);
  if (apart.length > 0) {
    // The reason can quote the PR's config (a dialect's name): code, except Safari's own "no migrations".
    const reasonMarkdown = (reason: string) => (reason === NO_MIGRATIONS ? escapeText(reason) : codeSpan(reason));
    const items = apart.slice(0, MAX_LISTED_NAMES).map((db) => `${codeSpan(db.name)} (${reasonMarkdown(notReplayedReason(db) ?? '')})`);
    const more = apart.length > MAX_LISTED_NAMES ? `, and ${apart.length - MAX_LISTED_NAMES} more` : '';
    out.add(`Not replayed: ${items.join(', ')}${more}\n`);
  }

  // 2. The PR's own findings by severity.
  for (const severity of severities) {
    const findings = groups.bySeverity[severity];
    if (findings.length === 0) continue;
    out.add(`### ${severityHeading[severity]} (${findings.length})\n`);
    for (const finding of findings) out.add(`${findingItem(finding, docsUrl)}\n`);
  }

  // 3. Acknowledged findings, apart, with their reason.
  if (groups.acknowledged.length > 0) {
    out.add(`### 🔕 Acknowledged (${groups.acknowledged.length})\n`);
    for (const finding of groups.acknowledged) {
      const reason = finding.acknowledged?.reason ? codeSpan(clip(finding.acknowledged.reason, MAX_MESSAGE)) : '_no reason given_';
      out.add(`${findingItem(finding, docsUrl, `**Reason:** ${reason}`)}\n`);
    }
  }

  // 4. Already on main: never the PR's fault, collapsed; only for the databases the PR touches, the rest counted.
  if (groups.preexisting.length > 0) {
    if (out.open(`<details>\n<summary>Already on main (${groups.preexisting.length})</summary>\n`, '</details>\n')) {
      for (const finding of groups.preexisting) out.add(`${findingItem(finding, docsUrl)}\n`);
      out.close();
    }
  }
  const elsewhere = groups.preexistingElsewhere;
  if (elsewhere.length > 0) {
    const counts = countByDatabase(elsewhere, (name) => codeSpan(name));
    out.add(
      `Already on main in ${plural(new Set(elsewhere.map((f) => f.database)).size, 'database')} this PR does not touch: ` +
        `${plural(elsewhere.length, 'finding')} (${counts}); \`npx safari review --format json\` lists them.\n`,
    );
  }

  // 5. Column-level details per changed database.
  const detailed = shown.filter((db) => db.delta && (deltaPieces(db.delta).length > 0 || partialNote(db)));
  if (detailed.length > 0) out.add('### Schema changes\n');
  for (const db of detailed) {
    const partial = partialNote(db);
    const summary = `${codeHtml(db.name)}: ${escapeHtml(deltaSummaryText(db))}${partial ? ` (⚠️ ${escapeHtml(partial)})` : ''}`;
    if (!out.open(`<details>\n<summary>${summary}</summary>\n`, '</details>\n')) break;
    if (partial) out.add(`> ⚠️ The ${escapeText(partial)}; see the replay-error findings.\n`);
    for (const piece of deltaPieces(db.delta)) out.add(piece);
    out.close();
  }

  // 6. Folders nobody names.
  const unattributed = result.unattributed ?? [];
  if (unattributed.length > 0) {
    out.add(`### Unattributed migration folders (${unattributed.length})\n`);
    out.add(
      'No wrangler, drizzle or safari config names these folders, so they were not replayed. ' +
        'Name them in `.github/safari.yml` (`databases.<name>.migrations`) if a database applies them.\n',
    );
    for (const folder of unattributed) out.add(`- ${codeSpan(folder)}`);
    out.add('');
  }

  // 7. Where each folder came from.
  if (opts.explainDiscovery && (result.discovery ?? []).length > 0) {
    if (out.open('<details>\n<summary>Discovery: which config put each folder in each database</summary>\n', '</details>\n')) {
      for (const entry of result.discovery) {
        const guessed = entry.guessed ? ' — **guessed**' : '';
        const reasons = entry.reasons.map((r) => `\n  - ${codeSpan(r)}`).join('');
        out.add(`- ${codeSpan(entry.database)} ← ${codeSpan(entry.source)} (${escapeText(entry.kind)})${guessed}${reasons}`);
      }
      out.add('');
      out.close();
    }
  }

  return out.toString();
}
