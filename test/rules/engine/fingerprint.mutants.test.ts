// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the engine's
// other tests.
import { describe, expect, it } from 'vitest';
import { fingerprint, identityOf, markPreexisting } from '../../../src/rules/engine/fingerprint.js';
import type { RuleMeta } from '../../../src/rules/types.js';

const meta = (identity: RuleMeta['identity']): RuleMeta => ({ id: 'fake-rule', defaultSeverity: 'warning', description: 'A rule for testing identity.', messages: { hit: 'Hit', other: 'Other' }, identity });

describe('identity (mutation cases)', () => {
  it('uses a list declared for every message as it is', () => {
    expect(identityOf(meta(['data.folder']), 'hit')).toEqual(['data.folder']);
    const m = meta(['data.folder']);
    expect(fingerprint(m, { messageId: 'hit', database: 'a', data: { folder: 'x' } })).toBe(fingerprint(m, { messageId: 'hit', database: 'b', data: { folder: 'x' } }));
  });

  it('falls back to database and file for a message the per-message identity does not name', () => {
    expect(identityOf(meta({ hit: ['table'] }), 'other')).toEqual(['database', 'file']);
    expect(identityOf(meta({ hit: ['table'], '*': ['line'] }), 'other')).toEqual(['line']);
  });

  it('reads a missing data value as null when the report has no data at all', () => {
    expect(fingerprint(meta(['data.folder', 'file']), { messageId: 'hit', file: 'm/1.sql' })).toBe('fake-rule/hit/[null,"m/1.sql"]');
  });

  it('keeps a report a rule already marked pre-existing so, whatever base had', () => {
    const [report] = markPreexisting(meta(['table']), [{ messageId: 'hit', table: 't', preexisting: true }], []);
    expect(report.preexisting).toBe(true);
  });
});
