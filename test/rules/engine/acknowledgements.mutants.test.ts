// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the engine's
// other tests.
import { describe, expect, it } from 'vitest';
import { acknowledge, acknowledgeable, parseAcknowledgements, type AcknowledgeContext } from '../../../src/rules/engine/acknowledgements.js';
import type { Finding } from '../../../src/findings.js';
import type { RuleMeta } from '../../../src/rules/types.js';

const meta = (id: string, unacknowledgeable?: RuleMeta['unacknowledgeable']): RuleMeta => ({
  id,
  defaultSeverity: 'warning',
  description: 'A rule for testing acknowledgements.',
  messages: { hit: 'Hit' },
  identity: [],
  ...(unacknowledgeable === undefined ? {} : { unacknowledgeable }),
});
const finding = (rule: string, file?: string): Finding => ({
  rule,
  messageId: 'hit',
  severity: 'warning',
  message: 'Hit',
  data: {},
  preexisting: false,
  fingerprint: `${rule}/hit/[]`,
  ...(file === undefined ? {} : { file }),
});
const context = (given: AcknowledgeContext['given']): AcknowledgeContext => ({ config: { rules: {} }, touched: new Set(), inline: new Map(), given });

describe('parseAcknowledgements (mutation cases)', () => {
  it('keeps the reason as written, punctuation inside it included, without the spaces that trail the line', () => {
    const [ack] = parseAcknowledgements('-- safari-ignore: destructive-change(legacy, unused) kept on purpose   \nDROP TABLE t;');
    expect(ack.reason).toBe('(legacy, unused) kept on purpose');
  });
});

describe('acknowledge (mutation cases)', () => {
  it('never acknowledges a rule that is unacknowledgeable as a whole', () => {
    expect(acknowledgeable(meta('sandbox', true), finding('sandbox'))).toBe(false);
    expect(acknowledgeable(meta('replay-error', ['refused']), finding('replay-error'))).toBe(true);
    const f = finding('sandbox', 'm/0001.sql');
    acknowledge(meta('sandbox', true), f, context([{ rule: 'sandbox', reason: 'please', by: 'octocat' }]));
    expect(f.acknowledged).toBeUndefined();
  });

  it('applies a given acknowledgement to its rule only', () => {
    const f = finding('rule-b', 'm/0001.sql');
    acknowledge(meta('rule-b'), f, context([{ rule: 'rule-a', reason: 'known', by: 'octocat' }]));
    expect(f.acknowledged).toBeUndefined();
  });

  it('applies a given acknowledgement without a file to the rule\'s findings in every file, and one with a file to that file only', () => {
    const anywhere = finding('rule-a', 'm/0002.sql');
    acknowledge(meta('rule-a'), anywhere, context([{ rule: 'rule-a', reason: 'known', by: 'octocat' }]));
    expect(anywhere.acknowledged).toEqual({ reason: 'known', by: 'octocat' });
    const elsewhere = finding('rule-a', 'm/0002.sql');
    acknowledge(meta('rule-a'), elsewhere, context([{ rule: 'rule-a', file: 'm/0001.sql', reason: 'known', by: 'octocat' }]));
    expect(elsewhere.acknowledged).toBeUndefined();
  });
});
