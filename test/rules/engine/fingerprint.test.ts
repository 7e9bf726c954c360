import { describe, expect, it } from 'vitest';
import { fingerprint, identityOf, markPreexisting } from '../../../src/rules/engine/fingerprint.js';
import { rules } from '../../../src/rules/registry.js';
import type { RuleMeta } from '../../../src/rules/types.js';
import journal from '../../../src/rules/drizzle-journal-mismatch.js';
import replayError from '../../../src/rules/replay-error.js';

describe('finding identity', () => {
  it('ignores counts and lists the message data holds: 101 files on main and 102 after the PR are one problem', () => {
    const base = { messageId: 'journal-missing', database: 'db', file: 'drizzle/0000_a.sql', data: { folder: 'drizzle', count: 101 } };
    const head = { ...base, data: { folder: 'drizzle', count: 102 } };
    expect(fingerprint(journal.meta, head)).toBe(fingerprint(journal.meta, base));
    expect(markPreexisting(journal.meta, [head], [base])[0].preexisting).toBe(true);
  });

  it('tells different subjects apart: another folder, another failing statement', () => {
    const a = { messageId: 'journal-missing', database: 'db', data: { folder: 'drizzle', count: 2 } };
    expect(fingerprint(journal.meta, { ...a, data: { folder: 'other', count: 2 } })).not.toBe(fingerprint(journal.meta, a));
    const f = { messageId: 'sql', database: 'db', file: 'm/0001.sql', line: 3, data: { statement: 'DROP TABLE x', message: 'no such table: x', more: '' } };
    expect(fingerprint(replayError.meta, { ...f, line: 9, data: { ...f.data, more: ' (and 2 more failures in this file)' } })).toBe(fingerprint(replayError.meta, f));
    expect(fingerprint(replayError.meta, { ...f, data: { ...f.data, statement: 'DROP TABLE y' } })).not.toBe(fingerprint(replayError.meta, f));
    expect(markPreexisting(replayError.meta, [{ ...f, file: 'm/0002.sql' }], [f])[0].preexisting).toBe(false);
  });

  it('is declared by every rule for every message id', () => {
    for (const { meta } of rules) {
      for (const messageId of Object.keys(meta.messages)) expect(identityOf(meta as RuleMeta, messageId).length, `${meta.id}/${messageId}`).toBeGreaterThan(0);
    }
  });
});
