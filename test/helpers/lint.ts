// Squawk-style paired helpers: expectFires refuses to pass when the rule is silent, expectPasses when it reports.
// Either takes the input or its promise (`expectFires(rule, prInput(base, pr))`).
import { expect } from 'vitest';
import type { Report } from '../../src/findings.js';
import type { Rule, RuleInput } from '../../src/rules/types.js';

export async function expectFires(rule: Rule, input: RuleInput | Promise<RuleInput>): Promise<Report[]> {
  const reports = rule.check(await input);
  expect(reports.length, `${rule.meta.id} should fire`).toBeGreaterThan(0);
  for (const r of reports) expect(rule.meta.messages, `unknown messageId ${r.messageId}`).toHaveProperty(r.messageId);
  return reports;
}

export async function expectPasses(rule: Rule, input: RuleInput | Promise<RuleInput>): Promise<void> {
  const reports = rule.check(await input);
  expect(reports, `${rule.meta.id} should not fire`).toEqual([]);
}
