/**
 * A finding's identity, apart from its wording and message data: rule, message id and the subject its rule declares in
 * `meta.identity` (e.g. the database and folder — never a count). "Already on main" compares identities, so a folder
 * that held 101 broken files on main and 102 after the PR is the same problem, not a new one.
 */
import type { DataValue, Report } from '../../findings.js';
import type { IdentityKey, RuleMeta } from '../types.js';

export function identityOf(meta: RuleMeta, messageId: string): readonly IdentityKey[] {
  const identity = meta.identity;
  if (Array.isArray(identity)) return identity;
  const byMessage = identity as Record<string, readonly IdentityKey[]>;
  return byMessage[messageId] ?? byMessage['*'] ?? ['database', 'file'];
}

function valueOf(report: Report, key: IdentityKey): DataValue | null {
  if (key.startsWith('data.')) return report.data?.[key.slice(5)] ?? null;
  return (report as unknown as Record<string, string | number | undefined>)[key] ?? null;
}

/** `rule/messageId` and the subject values, as one comparable string. */
export function fingerprint(meta: RuleMeta, report: Report): string {
  const subject = identityOf(meta, report.messageId).map((k) => valueOf(report, k));
  return `${meta.id}/${report.messageId}/${JSON.stringify(subject)}`;
}

/** Marks each head report whose identity base already had as pre-existing (leaving ones already marked alone). */
export function markPreexisting(meta: RuleMeta, head: Report[], base: Report[]): Report[] {
  const onBase = new Set(base.map((r) => fingerprint(meta, r)));
  return head.map((r) => ({ ...r, preexisting: r.preexisting === true || onBase.has(fingerprint(meta, r)) }));
}
