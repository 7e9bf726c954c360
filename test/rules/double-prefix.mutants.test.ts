// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/double-prefix.js';
import { expectFires } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

describe('double-prefix (mutation cases)', () => {
  it('points at the table RENAME, not an earlier rename or a column renamed to the same name', async () => {
    const input = await migrationsInput(
      { 'm/0001.sql': 'CREATE TABLE users(id);\nCREATE TABLE tokens(id, owner TEXT);' },
      { 'm/0002.sql': 'ALTER TABLE users RENAME TO accounts;\nALTER TABLE tokens RENAME COLUMN owner TO auth_auth_tokens;\nALTER TABLE tokens RENAME TO auth_auth_tokens;' },
    );
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ table: 'auth_auth_tokens', file: 'm/0002.sql', line: 3 });
  });
});
