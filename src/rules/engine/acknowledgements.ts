/**
 * Acknowledgements: a finding that stays listed (acknowledged, with the reason) but never fails the check.
 *
 * - Inline: `-- safari-ignore: rule-id[, rule-id] reason` anywhere in a migration file, for findings in that file. In a
 *   file the PR adds or edits (the PR acknowledging itself), it counts for warnings and notices; for errors only when
 *   the BASE config allows it for that rule (`rules.<id>.allowInlineAck: true`). In a file main already has unchanged,
 *   it counts as it always did.
 * - Given by the caller (the App's `/safari ack` by someone with write access): `{ rule, file?, reason, by }`.
 * - Never: what the sandbox refused or stopped (a rule's `unacknowledgeable` message ids), whoever asks.
 */
import { allowsInlineAck, type SafariConfig } from '../../config/schema.js';
import type { Finding } from '../../findings.js';
import type { RuleMeta } from '../types.js';

/** An acknowledgement from outside the repository's files, e.g. `/safari ack` by a writer in the App. */
export interface GivenAcknowledgement {
  rule: string;
  /** Only findings in this file; absent: the rule's findings anywhere. */
  file?: string;
  reason: string;
  /** Who acknowledged it (a GitHub login). */
  by: string;
}

export interface Acknowledgement {
  rules: string[];
  reason: string;
  line: number;
}

const PATTERN = /--\s*safari-ignore:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(.*)$/gim;

export function parseAcknowledgements(content: string): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  for (const m of content.matchAll(PATTERN)) {
    const line = content.slice(0, m.index).split('\n').length;
    acks.push({
      rules: m[1].split(',').map((s) => s.trim().toLowerCase()),
      // `rule: reason` and `rule - reason` are common spellings; the separator is not part of the reason.
      reason: m[2].replace(/^[\s:;,.\u2013\u2014-]+/, '').trim() || '(no reason given)',
      line,
    });
  }
  return acks;
}

export interface AcknowledgeContext {
  config: Pick<SafariConfig, 'rules'>;
  /** Paths the PR added or modified. */
  touched: ReadonlySet<string>;
  inline: Map<string, Acknowledgement[]>;
  given: readonly GivenAcknowledgement[];
}

/** Whether this finding may be acknowledged at all: sandbox refusals and limits never are. */
export function acknowledgeable(meta: RuleMeta, finding: Finding): boolean {
  const never = meta.unacknowledgeable;
  return !(never === true || never?.includes(finding.messageId));
}

/** Sets `finding.acknowledged` when an acknowledgement covers it; notes an inline one that may not. */
export function acknowledge(meta: RuleMeta, finding: Finding, ctx: AcknowledgeContext): void {
  if (!acknowledgeable(meta, finding)) return;
  const given = ctx.given.find((a) => a.rule === meta.id && (a.file === undefined || a.file === finding.file));
  if (given) {
    finding.acknowledged = { reason: given.reason, by: given.by };
    return;
  }
  const inline = finding.file ? ctx.inline.get(finding.file)?.find((a) => a.rules.includes(meta.id)) : undefined;
  if (!inline) return;
  const selfAcknowledged = ctx.touched.has(finding.file!);
  if (selfAcknowledged && finding.severity === 'error' && !allowsInlineAck(ctx.config, meta.id)) {
    const note = `The \`safari-ignore\` at line ${inline.line} is in a file this PR adds or edits: it can't acknowledge an error unless the base branch's config sets \`rules.${meta.id}.allowInlineAck: true\`; a writer can acknowledge it with \`/safari ack\`.`;
    finding.details = [...(finding.details ?? []), note];
    return;
  }
  finding.acknowledged = { reason: inline.reason };
}
