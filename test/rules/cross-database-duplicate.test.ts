import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/cross-database-duplicate.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, sharedFolderWrangler, wranglerFor } from '../helpers/prepared-input.js';

const AUTH = { 'services/heartwood/migrations/0001.sql': 'CREATE TABLE users(id); CREATE TABLE magic_codes(id);' };
const ENGINE = { 'libs/engine/migrations/0001.sql': 'CREATE TABLE tenants(id); CREATE TABLE Users(id);' };

const CONFIGS = {
  'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'apps/landing/wrangler.toml': wranglerFor('grove-engine-db'),
  'services/heartwood/wrangler.toml': wranglerFor('groveauth'),
  'ivy/wrangler.toml': wranglerFor('ivy-db'),
};

/** landing adds `sql` to grove-engine-db; `authHead` is what the PR leaves of heartwood's migrations. */
function input(sql: string, extra: { authHead?: Record<string, string> } = {}) {
  return prInput({ ...CONFIGS, ...ENGINE, ...AUTH }, { 'apps/landing/migrations/0007.sql': sql, ...extra.authHead });
}

describe('cross-database-duplicate', () => {
  it('passes for a new name that no other database has', async () => {
    await expectPasses(rule, input('CREATE TABLE porch_visits(id);'));
  });

  it('does not report duplicates already on main (engine and heartwood both have users)', async () => {
    await expectPasses(rule, input('CREATE TABLE feedback(id);'));
  });

  it('fires when the PR creates magic_codes in the engine db while heartwood has it', async () => {
    const [r] = await expectFires(rule, input('\nCREATE TABLE magic_codes(id);'));
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
    await expectPasses(rule, input('CREATE TABLE magic_codes(id);', { authHead: { 'services/heartwood/migrations/0001.sql': 'CREATE TABLE users(id);' } }));
  });

  it('does not compare databases fed by the same migration folder', async () => {
    const folder = { 'apps/landing/migrations/0001.sql': 'CREATE TABLE feedback(id);' };
    const pr = { ...folder, 'apps/landing/migrations/0002.sql': 'CREATE TABLE porch_visits(id);' };
    const wrangler = sharedFolderWrangler('landing-db', 'landing-preview-db');
    const i = await prInput({ 'apps/landing/wrangler.toml': wrangler, ...folder }, pr);
    expect(i.databases.map((d) => [d.spec.name, d.delta.tablesAdded])).toEqual([['landing-db', ['porch_visits']], ['landing-preview-db', ['porch_visits']]]);
    await expectPasses(rule, i);
  });
});
