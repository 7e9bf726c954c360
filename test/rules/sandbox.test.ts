import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/sandbox.js';
import { acknowledge } from '../../src/rules/engine/acknowledgements.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput } from '../helpers/prepared-input.js';
import type { SandboxFacts } from '../../src/rules/types.js';

const input = async (sandbox: SandboxFacts) => ({ ...(await prInput({})), sandbox });

describe('sandbox', () => {
  it('says nothing under full isolation', async () => {
    await expectPasses(rule, input({ isolation: 'strict', missing: [], refused: false }));
    await expectPasses(rule, input({ isolation: 'best-effort', missing: [], refused: false }));
  });

  it('names each missing protection under best-effort, as a notice', async () => {
    const reports = await expectFires(rule, input({ isolation: 'best-effort', missing: ['network', 'processes'], refused: false }));
    expect(reports.map((r) => [r.messageId, r.severity])).toEqual([['weaker', 'notice']]);
    expect(reports[0].data?.missing).toBe('no network (an empty network namespace); no other process visible (a PID namespace with its own /proc)');
  });

  it('reports a strict refusal as "sandbox unavailable", which no acknowledgement silences', async () => {
    const reports = await expectFires(rule, input({ isolation: 'strict', missing: ['limits'], refused: true }));
    expect(reports.map((r) => [r.messageId, r.severity])).toEqual([['unavailable', 'warning']]);
    const finding = toFinding(rule, reports[0], undefined);
    expect(finding.message).toMatch(/^Sandbox unavailable: nothing was replayed or evaluated\. .*OS limits/);
    acknowledge(rule.meta, finding, {
      config: { rules: { sandbox: { allowInlineAck: true } } },
      touched: new Set(),
      inline: new Map(),
      given: [{ rule: 'sandbox', reason: 'trust me', by: 'maintainer' }],
    });
    expect(finding.acknowledged).toBeUndefined();
  });
});
