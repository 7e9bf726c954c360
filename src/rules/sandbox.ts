/**
 * The sandbox the review ran in. Under strict isolation, a machine that can't give the sandbox every protection gets
 * no replay and no schema evaluation at all ("sandbox unavailable"; the review ends neutral). Under best-effort, a
 * weaker sandbox is named in the review, so nobody mistakes it for the full one. Never acknowledged.
 */
import type { Report } from '../findings.js';
import { PROTECTION_TEXT } from '../sandbox/isolation.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const meta: RuleMeta = {
  id: 'sandbox',
  identity: ['data.missing'],
  defaultSeverity: 'notice',
  description: 'The sandbox lacked a protection: strict isolation refused to run anything, best-effort names what was missing.',
  messages: {
    unavailable:
      'Sandbox unavailable: nothing was replayed or evaluated. Isolation is strict, and this machine cannot give the sandbox {missing}.',
    weaker: 'The sandbox ran without {missing} (isolation: best-effort). Hostile migrations or schema code had more reach than under full isolation.',
  },
  fix: {
    unavailable: 'Run Safari where `unshare` can create user, network and PID namespaces and `prlimit` exists (see the README, "Running the strict sandbox").',
    weaker: 'Set `SAFARI_ISOLATION=strict` (or `sandbox: { isolation: strict }` in the base branch\'s .github/safari.yml) to refuse such a sandbox, and run Safari where the strict plan works.',
  },
  unacknowledgeable: true,
  // The protections are named in Safari's own words (isolation.ts), never the PR's.
  wording: ['missing'],
};

export function check(input: RuleInput): Report[] {
  const s = input.sandbox;
  if (!s || s.missing.length === 0) return [];
  const missing = s.missing.map((p) => PROTECTION_TEXT[p]).join('; ');
  return [{ messageId: s.refused ? 'unavailable' : 'weaker', data: { missing }, severity: s.refused ? 'warning' : 'notice' }];
}

export default { meta, check } satisfies Rule;
