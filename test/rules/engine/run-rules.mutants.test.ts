// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the engine's
// other tests.
import { describe, expect, it } from 'vitest';
import { conclude, runRules } from '../../../src/rules/engine/run-rules.js';
import type { Report } from '../../../src/findings.js';
import type { Rule } from '../../../src/rules/types.js';
import { makeRuleInput } from '../../helpers/rule-input.js';

const meta: Rule['meta'] = { id: 'fake-rule', defaultSeverity: 'warning', description: 'A rule for testing the engine.', messages: { hit: 'Hit {what}' }, identity: ['database', 'table'] };
const ruleOf = (reports: Report[], id = meta.id): Rule => ({ meta: { ...meta, id }, check: () => reports });
const input = () => makeRuleInput({ databases: [{ name: 'db', base: {}, head: { 'm/0001_a.sql': 'SELECT 1;' } }] });

describe('runRules (mutation cases)', () => {
  it('copies a report\'s place and details into the finding, and leaves out what the report does not say', async () => {
    const findings = await runRules(input(), [
      ruleOf([
        { messageId: 'hit', data: { what: 'a' }, database: 'db', file: 'm/0001_a.sql', line: 2, endLine: 4, table: 't', details: ['line 2'] },
        { messageId: 'hit', data: { what: 'b' }, details: [] },
      ]),
    ]);
    const full = findings.find((f) => f.message === 'Hit a');
    const bare = findings.find((f) => f.message === 'Hit b');
    expect(full).toMatchObject({ database: 'db', file: 'm/0001_a.sql', line: 2, endLine: 4, table: 't', details: ['line 2'] });
    for (const key of ['database', 'file', 'line', 'endLine', 'table', 'details', 'fix']) expect(bare).not.toHaveProperty(key);
  });

  it('orders findings: the PR\'s before main\'s, errors first, then database, file, line, rule and message', async () => {
    const reports: Report[] = [
      { messageId: 'hit', data: { what: 'old' }, database: 'a', preexisting: true },
      { messageId: 'hit', data: { what: 'line 10' }, database: 'b', file: 'f1', line: 10 },
      { messageId: 'hit', data: { what: 'line 9' }, database: 'b', file: 'f1', line: 9 },
      { messageId: 'hit', data: { what: 'no file' }, database: 'b' },
      { messageId: 'hit', data: { what: 'f0' }, database: 'b', file: 'f0', line: 20 },
      { messageId: 'hit', data: { what: 'db a' }, database: 'a', file: 'f9', line: 1 },
      { messageId: 'hit', data: { what: 'no db' } },
      { messageId: 'hit', data: { what: 'error' }, database: 'z', severity: 'error' },
      { messageId: 'hit', data: { what: 'z' }, database: 'b', file: 'f1', line: 9 },
    ];
    const findings = await runRules(input(), [ruleOf(reports.slice(0, 4), 'rule-b'), ruleOf(reports.slice(4), 'rule-a')]);
    expect(findings.map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'rule-a: Hit error',
      'rule-a: Hit no db',
      'rule-a: Hit db a',
      'rule-b: Hit no file',
      'rule-a: Hit f0',
      'rule-a: Hit z',
      'rule-b: Hit line 9',
      'rule-b: Hit line 10',
      'rule-b: Hit old',
    ]);
  });

  it('records a throwing rule as a notice with its own message id and a stable fingerprint', async () => {
    const throwing: Rule = { meta, check: () => { throw new Error('boom'); } };
    expect(await runRules(input(), [throwing])).toEqual([
      { rule: 'fake-rule', messageId: 'rule-crashed', severity: 'notice', message: 'Rule fake-rule could not run: boom', data: {}, preexisting: false, fingerprint: 'fake-rule/rule-crashed/[]' },
    ]);
  });

  it('concludes success when the PR caused only notices', async () => {
    const findings = await runRules(input(), [ruleOf([{ messageId: 'hit', data: { what: 'x' }, severity: 'notice' }])]);
    expect(conclude(findings, 'warning')).toBe('success');
  });

  it('orders findings without a database by file, and a file\'s findings by line', async () => {
    const reports: Report[] = [
      { messageId: 'hit', data: { what: 'f1 line 10' }, file: 'f1', line: 10 },
      { messageId: 'hit', data: { what: 'f1 line 20' }, file: 'f1', line: 20 },
      { messageId: 'hit', data: { what: 'f2' }, file: 'f2' },
    ];
    const sorted = ['Hit f1 line 10', 'Hit f1 line 20', 'Hit f2'];
    // Both input orders: a comparator that answers "before" for every pair would keep (or reverse) one of them.
    expect((await runRules(input(), [ruleOf(reports)])).map((f) => f.message)).toEqual(sorted);
    expect((await runRules(input(), [ruleOf([...reports].reverse())])).map((f) => f.message)).toEqual(sorted);
  });
});
