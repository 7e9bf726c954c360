// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drop-referenced-table.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const BASE = {
  'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'libs/engine/migrations/0007_shop.sql':
    'CREATE TABLE products(id); CREATE TABLE platform_billing(id, tenant_id);\nCREATE TABLE user_onboarding(id, lemonsqueezy_customer_id);',
};
const DROP = 'libs/engine/migrations/0085_drop.sql';
/** A later migration of the PR that fails: the head replay stops there, so base and head are no longer comparable. */
const BROKEN = { 'libs/engine/migrations/0086_broken.sql': 'INSERT INTO nowhere VALUES (1);' };
const usesProducts = { 'src/shop.ts': "q('SELECT * FROM products')" };
const usesColor = { 'src/shop.ts': "q('SELECT color FROM products')" };

describe('drop-referenced-table (mutation cases)', () => {
  it('lists every test file that mentions the dropped table, comma-separated', async () => {
    const tests = { 'test/a.test.ts': "q('SELECT * FROM products')", 'test/b.test.ts': "q('SELECT * FROM products')" };
    const [r] = await expectFires(rule, prInput({ ...BASE, ...usesProducts, ...tests }, { [DROP]: 'DROP TABLE products;' }));
    expect(r.details).toEqual(["src/shop.ts:1: q('SELECT * FROM products')", 'also mentioned in tests: test/a.test.ts:1, test/b.test.ts:1']);
  });

  it('points at the last DROP TABLE of a table the PR drops, re-creates and drops again', async () => {
    const sql = 'DROP TABLE products;\nCREATE TABLE products(id);\nDROP TABLE products;\nDROP TABLE user_onboarding;';
    const [r] = await expectFires(rule, prInput({ ...BASE, ...usesProducts }, { [DROP]: sql }));
    expect(r).toMatchObject({ messageId: 'table', table: 'products', file: DROP, line: 3 });
  });

  it('points at the DROP TABLE of a table the PR first renames, not at the rename', async () => {
    const sql = 'ALTER TABLE products RENAME TO old_products;\nDROP TABLE old_products;';
    const [r] = await expectFires(rule, prInput({ ...BASE, ...usesProducts }, { [DROP]: sql }));
    expect(r).toMatchObject({ messageId: 'table', table: 'products', line: 2 });
  });

  it('points at the rename of the table itself, not at other statements before it', async () => {
    const sql = 'ALTER TABLE user_onboarding RENAME TO onboarding;\nALTER TABLE products ADD COLUMN color TEXT;\nALTER TABLE products RENAME TO shop_products;';
    const [r] = await expectFires(rule, prInput({ ...BASE, ...usesProducts }, { [DROP]: sql }));
    expect(r).toMatchObject({ messageId: 'renamed', table: 'products', file: DROP, line: 3, data: { to: 'shop_products' } });
  });

  it('does not report a rename away from a name another database still has', async () => {
    const other = { 'pantry/wrangler.toml': wranglerFor('grove-pantry-db'), 'pantry/migrations/0001_products.sql': 'CREATE TABLE products(id);' };
    await expectPasses(rule, prInput({ ...BASE, ...other, ...usesProducts }, { [DROP]: 'ALTER TABLE products RENAME TO shop_products;' }));
  });

  it('searches a column dropped from a renamed table under its old name and points at its DROP COLUMN', async () => {
    const sql = [
      'ALTER TABLE products RENAME TO shop_products;',
      'ALTER TABLE user_onboarding RENAME TO onboarding;',
      'ALTER TABLE onboarding DROP COLUMN lemonsqueezy_customer_id;',
    ].join('\n');
    const code = { 'src/ls.ts': "q('SELECT lemonsqueezy_customer_id FROM user_onboarding')" };
    const reports = await expectFires(rule, prInput({ ...BASE, ...code }, { [DROP]: sql }));
    expect(reports.filter((r) => r.messageId === 'column')).toMatchObject([
      { table: 'user_onboarding', line: 3, data: { table: 'user_onboarding', column: 'lemonsqueezy_customer_id' } },
    ]);
  });

  it('searches a column dropped from a table the PR did not rename under its own name, even when the PR renames another', async () => {
    const sql = 'ALTER TABLE products RENAME TO shop_products;\nALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;';
    const code = { 'src/ls.ts': "q('SELECT lemonsqueezy_customer_id FROM user_onboarding')" };
    const [r] = await expectFires(rule, prInput({ ...BASE, ...code }, { [DROP]: sql }));
    expect(r).toMatchObject({ messageId: 'column', table: 'user_onboarding', line: 2 });
  });

  describe('when a migration of the PR fails (base and head not comparable)', () => {
    it('still reports a column the PR drops with DROP COLUMN', async () => {
      const sql = 'CREATE TABLE coupons(id);\nALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;';
      const code = { 'src/ls.ts': "q('SELECT lemonsqueezy_customer_id FROM user_onboarding')" };
      const input = await prInput({ ...BASE, ...code }, { [DROP]: sql, ...BROKEN });
      expect(input.databases[0].head.replay.failures).not.toEqual([]);
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'column', table: 'user_onboarding', line: 2, data: { column: 'lemonsqueezy_customer_id' } });
    });

    // products.color goes with the deleted 0008; only a DROP COLUMN of exactly products.color would be the PR's doing.
    const more = 'libs/engine/migrations/0008_more.sql';
    const withColor = { ...BASE, [more]: 'ALTER TABLE products ADD COLUMN color TEXT;\nALTER TABLE products ADD COLUMN size TEXT;', ...usesColor };
    it.each([
      ['no statement on the column', 'CREATE TABLE coupons(id);'],
      ['the same column added to another table', 'ALTER TABLE user_onboarding ADD COLUMN color TEXT;'],
      ['the same column dropped from another table', 'ALTER TABLE user_onboarding ADD COLUMN color TEXT;\nALTER TABLE user_onboarding DROP COLUMN color;'],
      ['another column dropped from the table', 'ALTER TABLE products ADD COLUMN size TEXT;\nALTER TABLE products DROP COLUMN size;'],
      ['a (failing) rename of the column', 'ALTER TABLE products RENAME COLUMN color TO colour;'],
    ])('does not report a column that went with a deleted migration, with %s', async (_, sql) => {
      const input = await prInput(withColor, { [more]: null, [DROP]: sql, ...BROKEN });
      expect(input.databases[0].delta.tablesChanged.flatMap((c) => c.columnsDropped)).toContain('color');
      await expectPasses(rule, input);
    });
  });
});
