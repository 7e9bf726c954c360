import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/cross-database-duplicate.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const AUTH = { 'services/heartwood/migrations/0001.sql': 'CREATE TABLE users(id); CREATE TABLE magic_codes(id);' };
const ENGINE = { 'libs/engine/migrations/0001.sql': 'CREATE TABLE tenants(id); CREATE TABLE Users(id);' };

function input(sql: string, added: string[], extra: { authHead?: Record<string, string> } = {}) {
  return makeRuleInput({
    databases: [
      { name: 'grove-engine-db', base: ENGINE, head: { ...ENGINE, 'apps/landing/migrations/0007.sql': sql }, delta: { tablesAdded: added } },
      { name: 'groveauth', base: AUTH, head: extra.authHead ?? AUTH },
      { name: 'ivy-db', base: {}, head: {} },
    ],
    changes: [{ path: 'apps/landing/migrations/0007.sql', status: 'added' }],
  });
}

describe('cross-database-duplicate', () => {
  it('passes for a new name that no other database has', async () => {
    await expectPasses(rule, input('CREATE TABLE porch_visits(id);', ['porch_visits']));
  });

  it('does not report duplicates already on main (engine and heartwood both have users)', async () => {
    await expectPasses(rule, input('CREATE TABLE feedback(id);', ['feedback']));
  });

  it('fires when the PR creates magic_codes in the engine db while heartwood has it', async () => {
    const [r] = await expectFires(rule, input('\nCREATE TABLE magic_codes(id);', ['magic_codes']));
    expect(r).toMatchObject({
      messageId: 'duplicate',
      table: 'magic_codes',
      database: 'grove-engine-db',
      file: 'apps/landing/migrations/0007.sql',
      line: 2,
      data: { others: ['groveauth'] },
    });
  });

  it('passes when the same PR moves the table (drops it from the other database)', async () => {
    await expectPasses(rule, input('CREATE TABLE magic_codes(id);', ['magic_codes'], { authHead: { 'services/heartwood/migrations/0001.sql': 'CREATE TABLE users(id);' } }));
  });

  it('does not compare databases fed by the same migration folder', async () => {
    const folder = { 'apps/landing/migrations/0001.sql': 'CREATE TABLE feedback(id);' };
    const pr = { ...folder, 'apps/landing/migrations/0002.sql': 'CREATE TABLE porch_visits(id);' };
    const i = makeRuleInput({
      databases: [
        { name: 'landing-db', base: folder, head: pr, delta: { tablesAdded: ['porch_visits'] } },
        { name: 'landing-preview-db', base: folder, head: pr, delta: { tablesAdded: ['porch_visits'] } },
      ],
      changes: [{ path: 'apps/landing/migrations/0002.sql', status: 'added' }],
    });
    await expectPasses(rule, i);
  });
});
