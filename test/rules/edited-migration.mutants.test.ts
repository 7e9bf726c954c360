// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/edited-migration.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

describe('edited-migration (mutation cases)', () => {
  it('says "line N" for a repair of the very file main\'s replay fails in, and no plural for one changed line', async () => {
    const i = migrationsInput({ 'm/0000_a.sql': 'CREATE TABLE a (id);\nINSERT INTO missing VALUES (1);' }, { 'm/0000_a.sql': 'CREATE TABLE a (id);\nCREATE TABLE missing (id);\nINSERT INTO missing VALUES (1);' });
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'repair', file: 'm/0000_a.sql', line: 2, data: { failedAt: 'line 2', changed: 1, s: '' } });
  });

  it('does not call a migration both main and the PR added (different texts) an edit of the PR', async () => {
    const i = migrationsInput({ 'm/0000_a.sql': 'CREATE TABLE a (id);' }, { 'm/0001_b.sql': 'CREATE TABLE b (id);' }, { mainAfter: { 'm/0001_b.sql': 'CREATE TABLE b (id, name);' } });
    await expectPasses(rule, i);
  });
});
