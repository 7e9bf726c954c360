/**
 * Runs every registered rule over the prepared input and turns reports into findings: severity from config (or the
 * report, or the rule's default), wording from the rule's meta, acknowledgements from the files, and "already on main"
 * for problems the PR did not cause. A rule that throws becomes a notice, never a crashed review.
 */
import { formatMessage, severityRank, type Finding, type Report, type Severity } from '../../findings.js';
import type { Conclusion } from '../../result.js';
import { ruleSeverity, type SafariConfig } from '../../config/schema.js';
import { acknowledge, parseAcknowledgements, type Acknowledgement } from './acknowledgements.js';
import { fingerprint } from './fingerprint.js';
import { fixTemplate, rules as registeredRules } from '../registry.js';
import type { Rule, RuleInput } from '../types.js';

function acknowledgementsByFile(input: RuleInput): Map<string, Acknowledgement[]> {
  const map = new Map<string, Acknowledgement[]>();
  for (const db of input.databases) {
    for (const file of db.head.files) map.set(file.path, parseAcknowledgements(file.content));
  }
  return map;
}

export function toFinding(rule: Rule, report: Report, configured: Severity | undefined): Finding {
  const { meta } = rule;
  const data = report.data ?? {};
  const template = meta.messages[report.messageId] ?? report.messageId;
  const fix = fixTemplate(meta, report.messageId);
  const preexisting = report.preexisting === true;
  const finding: Finding = {
    rule: meta.id,
    messageId: report.messageId,
    severity: preexisting ? 'notice' : (configured ?? report.severity ?? meta.defaultSeverity),
    message: formatMessage(template, data),
    data,
    preexisting,
    fingerprint: fingerprint(meta, report),
  };
  if (fix) finding.fix = formatMessage(fix, data);
  if (report.database !== undefined) finding.database = report.database;
  if (report.file !== undefined) finding.file = report.file;
  if (report.line !== undefined) finding.line = report.line;
  if (report.endLine !== undefined) finding.endLine = report.endLine;
  if (report.table !== undefined) finding.table = report.table;
  if (report.details?.length) finding.details = report.details;
  return finding;
}

const compare = (a: Finding, b: Finding) =>
  Number(a.preexisting) - Number(b.preexisting) ||
  severityRank[b.severity] - severityRank[a.severity] ||
  (a.database ?? '').localeCompare(b.database ?? '') ||
  (a.file ?? '').localeCompare(b.file ?? '') ||
  (a.line ?? 0) - (b.line ?? 0) ||
  a.rule.localeCompare(b.rule) ||
  a.message.localeCompare(b.message);

export function runRules(input: RuleInput, rules: readonly Rule[] = registeredRules): Finding[] {
  const ackContext = { config: input.config, touched: input.touched, inline: acknowledgementsByFile(input), given: input.acknowledgements ?? [] };
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = ruleSeverity(input.config, rule.meta.id);
    if (setting === 'off') continue;
    const configured = setting as Severity | undefined;
    let reports: Report[];
    try {
      // needs again (pure and cheap): one that threw in prepare read nothing for the rule, so it crashed here too.
      rule.needs?.(input);
      reports = rule.check(input);
    } catch (error) {
      findings.push({
        rule: rule.meta.id,
        messageId: 'rule-crashed',
        severity: 'notice',
        message: `Rule ${rule.meta.id} could not run: ${error instanceof Error ? error.message : String(error)}`,
        data: {},
        preexisting: false,
        fingerprint: `${rule.meta.id}/rule-crashed/[]`,
      });
      continue;
    }
    for (const report of reports) {
      const finding = toFinding(rule, report, configured);
      acknowledge(rule.meta, finding, ackContext);
      findings.push(finding);
    }
  }
  return findings.sort(compare);
}

/** failure when an unacknowledged finding the PR caused reaches `failOn`; neutral when it has warnings below it. */
export function conclude(findings: Finding[], failOn: SafariConfig['failOn']): Conclusion {
  const blaming = findings.filter((f) => !f.acknowledged && !f.preexisting);
  if (failOn !== 'never' && blaming.some((f) => severityRank[f.severity] >= severityRank[failOn])) return 'failure';
  if (blaming.some((f) => f.severity !== 'notice')) return 'neutral';
  return 'success';
}
