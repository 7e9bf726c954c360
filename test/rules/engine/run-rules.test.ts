import { describe, expect, it } from 'vitest';
import { conclude, runRules } from '../../../src/rules/engine/run-rules.js';
import type { Rule, RuleInput } from '../../../src/rules/types.js';
import { migrationsInput } from '../../helpers/prepared-input.js';

const fake: Rule = {
  meta: { id: 'fake-rule', defaultSeverity: 'warning', description: 'A rule for testing the engine.', messages: { hit: 'Table {table} is {what}' }, fix: 'Do {what}', identity: ['database', 'table'] },
  check: () => [
    { messageId: 'hit', data: { table: 'posts', what: 'bad' }, file: 'm/0002_b.sql', line: 1 },
    { messageId: 'hit', data: { table: 'old', what: 'old' }, file: 'm/0001_a.sql', preexisting: true },
  ],
};
const throwing: Rule = { meta: { ...fake.meta, id: 'throwing-rule' }, check: () => { throw new Error('boom'); } };

/** `head` on main, the PR changing nothing; `config` set directly (safari.yml would refuse the fake rule's id). */
async function input(config = {}, head: Record<string, string> = { 'm/0002_b.sql': 'SELECT 1;' }): Promise<RuleInput> {
  const i = await migrationsInput(head, {}, { database: 'db' });
  return { ...i, config: { ...i.config, ...config } };
}

describe('runRules', () => {
  it('fills wording from meta and makes preexisting findings notices', async () => {
    const findings = await runRules(await input(), [fake]);
    expect(findings.map((f) => [f.message, f.severity, f.preexisting, f.fix])).toEqual([
      ['Table posts is bad', 'warning', false, 'Do bad'],
      ['Table old is old', 'notice', true, 'Do old'],
    ]);
  });

  it('applies the configured severity and turns rules off', async () => {
    expect((await runRules(await input({ rules: { 'fake-rule': 'error' } }), [fake]))[0].severity).toBe('error');
    expect(await runRules(await input({ rules: { 'fake-rule': 'off' } }), [fake])).toEqual([]);
  });

  // Mutation survivor (issue 11): a report may raise its own severity (out-of-order's Drizzle case is an error); the
  // configured severity still wins over it, and the rule's default applies only when neither says.
  it('orders severities: configured, then the report\'s own, then the rule\'s default', async () => {
    const own: Rule = { ...fake, check: () => [{ messageId: 'hit', data: { table: 't', what: 'x' }, severity: 'error' }, { messageId: 'hit', data: { table: 'u', what: 'y' } }] };
    expect((await runRules(await input(), [own])).map((f) => f.severity)).toEqual(['error', 'warning']);
    expect((await runRules(await input({ rules: { 'fake-rule': 'notice' } }), [own])).map((f) => f.severity)).toEqual(['notice', 'notice']);
  });

  it('acknowledges findings in files that carry a safari-ignore comment for the rule', async () => {
    const findings = await runRules(await input({}, { 'm/0002_b.sql': '-- safari-ignore: other, fake-rule shop is dead\nSELECT 1;' }), [fake]);
    expect(findings[0].acknowledged).toEqual({ reason: 'shop is dead' });
    expect(conclude(findings, 'warning')).toBe('success');
  });

  describe('a PR acknowledging its own findings', () => {
    const prInput = async (config = {}, extra: Partial<RuleInput> = {}): Promise<RuleInput> => {
      const i = await migrationsInput({}, { 'm/0002_b.sql': '-- safari-ignore: fake-rule trust me\nSELECT 1;' }, { database: 'db' });
      return { ...i, config: { ...i.config, ...config }, ...extra };
    };

    it('counts for warnings', async () => {
      const [f] = await runRules(await prInput(), [fake]);
      expect(f).toMatchObject({ severity: 'warning', acknowledged: { reason: 'trust me' } });
    });

    it('does not count for errors, and says why in the finding', async () => {
      const [f] = await runRules(await prInput({ rules: { 'fake-rule': 'error' } }), [fake]);
      expect(f.acknowledged).toBeUndefined();
      expect(f.details).toEqual([expect.stringMatching(/safari-ignore` at line 1 is in a file this PR adds or edits.*rules\.fake-rule\.allowInlineAck: true/)]);
      expect(conclude([f], 'error')).toBe('failure');
    });

    it('counts for errors when the base config allows it for that rule', async () => {
      const [f] = await runRules(await prInput({ rules: { 'fake-rule': { severity: 'error', allowInlineAck: true } } }), [fake]);
      expect(f).toMatchObject({ severity: 'error', acknowledged: { reason: 'trust me' } });
    });

    it('takes an acknowledgement given by a writer (/safari ack), and records who gave it', async () => {
      const given = [{ rule: 'fake-rule', file: 'm/0002_b.sql', reason: 'reviewed in the call', by: 'octo-maintainer' }];
      const [f] = await runRules(await prInput({ rules: { 'fake-rule': 'error' } }, { acknowledgements: given }), [fake]);
      expect(f.acknowledged).toEqual({ reason: 'reviewed in the call', by: 'octo-maintainer' });
      const other = [{ ...given[0], file: 'm/0001_a.sql' }];
      expect((await runRules(await prInput({ rules: { 'fake-rule': 'error' } }, { acknowledgements: other }), [fake]))[0].acknowledged).toBeUndefined();
    });

    it('never acknowledges what the rule marks unacknowledgeable (sandbox refusals), however asked', async () => {
      const refusing: Rule = { ...fake, meta: { ...fake.meta, unacknowledgeable: ['hit'] } };
      const given = [{ rule: 'fake-rule', reason: 'please', by: 'octo-maintainer' }];
      const [f] = await runRules(await prInput({ rules: { 'fake-rule': { allowInlineAck: true } } }, { acknowledgements: given }), [refusing]);
      expect(f.acknowledged).toBeUndefined();
    });
  });

  it('reports a rule whose needs throw as crashed, never running it without what it asked for', async () => {
    const needy: Rule = { ...fake, meta: { ...fake.meta, id: 'needy-rule' }, needs: () => { throw new Error('no needs'); } };
    const [f] = runRules(await input(), [needy]);
    expect(f).toMatchObject({ rule: 'needy-rule', messageId: 'rule-crashed', severity: 'notice' });
    expect(f.message).toContain('no needs');
  });

  it('turns a throwing rule into a notice instead of crashing', async () => {
    const [f] = await runRules(await input(), [throwing]);
    expect(f).toMatchObject({ rule: 'throwing-rule', severity: 'notice' });
    expect(f.message).toContain('boom');
  });

  it('concludes failure only for unacknowledged findings the PR caused at or above failOn', async () => {
    const findings = await runRules(await input(), [fake]);
    expect(conclude(findings, 'error')).toBe('neutral');
    expect(conclude(findings, 'warning')).toBe('failure');
    expect(conclude(findings, 'never')).toBe('neutral');
    expect(conclude(findings.filter((f) => f.preexisting), 'warning')).toBe('success');
  });
});
