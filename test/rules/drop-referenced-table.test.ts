import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drop-referenced-table.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const BASE = {
  'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'libs/engine/migrations/0007_shop.sql':
    'CREATE TABLE products(id); CREATE TABLE platform_billing(id, tenant_id);\nCREATE TABLE user_onboarding(id, lemonsqueezy_customer_id);',
};

/** A PR that adds migration `sql` to grove-engine-db, with `code` in the repository (and optionally another database). */
function input(sql: string, code: Record<string, string>, otherDb?: Record<string, string>) {
  const other = otherDb ? { 'pantry/wrangler.toml': wranglerFor('grove-pantry-db'), ...otherDb } : {};
  return prInput({ ...BASE, ...code }, { 'libs/engine/migrations/0085_drop.sql': sql, ...other });
}

describe('drop-referenced-table', () => {
  it('passes when no source file references the dropped table (the migration itself does not count)', async () => {
    await expectPasses(rule, input('DROP TABLE products;', { 'src/pantry.ts': "q('SELECT * FROM pantry_products')" }));
  });

  it('fires for platform_billing with file:line of each reference', async () => {
    const code: Record<string, string> = {};
    for (let i = 0; i < 7; i++) code[`libs/engine/src/billing/b${i}.ts`] = `// billing\nawait db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?').bind(t).first();\n`;
    const [r] = await expectFires(rule, input('\nDROP TABLE platform_billing;', code));
    expect(r).toMatchObject({ messageId: 'table', table: 'platform_billing', file: 'libs/engine/migrations/0085_drop.sql', line: 2 });
    expect(r.details).toHaveLength(5);
    expect(r.data?.references).toEqual([0, 1, 2, 3, 4].map((i) => `libs/engine/src/billing/b${i}.ts:2`));
  });

  it('fires for a dropped column still read by code that uses its table', async () => {
    const [r] = await expectFires(
      rule,
      input(
        'ALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;',
        { 'apps/plant/src/ls.ts': "db.prepare('SELECT lemonsqueezy_customer_id FROM user_onboarding WHERE id = ?')" },
      ),
    );
    expect(r).toMatchObject({ messageId: 'column', data: { column: 'lemonsqueezy_customer_id', references: ['apps/plant/src/ls.ts:1'] }, line: 1 });
  });

  it('does not fire when the table moves to another database in the same PR', async () => {
    await expectPasses(
      rule,
      input('DROP TABLE products;', { 'src/shop.ts': "q('SELECT * FROM products')" }, { 'pantry/migrations/0001_products.sql': 'CREATE TABLE products(id);' }),
    );
  });

  it('fires for a rename whose old name is still used', async () => {
    const [r] = await expectFires(
      rule,
      input('ALTER TABLE products RENAME TO shop_products;', { 'src/shop.ts': "q('SELECT * FROM products')" }),
    );
    expect(r).toMatchObject({ messageId: 'renamed', data: { to: 'shop_products' } });
  });

  it('does not report a table or column that vanishes with a deleted migration (databases that ran it keep it)', async () => {
    const path = 'libs/engine/migrations/0008_more.sql';
    const base = { ...BASE, [path]: 'CREATE TABLE coupons(id TEXT);\nALTER TABLE products ADD COLUMN color TEXT;' };
    const code = { 'src/shop.ts': "q('SELECT color FROM products'); q('SELECT * FROM coupons')" };
    const input = await prInput({ ...base, ...code }, { [path]: null });
    expect(input.databases[0].delta.tablesDropped).toEqual(['coupons']);
    await expectPasses(rule, input);
  });

  it('does not fire for references in test files, and lists them as "also mentioned in tests" when code fires', async () => {
    // A test that seeds the old shape and asserts the column is gone is not code still using it.
    const sql = 'ALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;';
    const tests = {
      'apps/plant/src/__tests__/onboarding.test.ts': "db.exec('CREATE TABLE user_onboarding (id, lemonsqueezy_customer_id)');\nexpect(await db.prepare('SELECT lemonsqueezy_customer_id FROM user_onboarding').all()).toThrow();",
      'tests/e2e/billing.spec.ts': "await db.prepare('SELECT * FROM platform_billing').all();",
    };
    await expectPasses(rule, input(sql, tests));
    await expectPasses(rule, input('DROP TABLE platform_billing;', tests));
    const [r] = await expectFires(rule, input(sql, { ...tests, 'apps/plant/src/ls.ts': "db.prepare('SELECT lemonsqueezy_customer_id FROM user_onboarding')" }));
    expect(r.details).toEqual([
      "apps/plant/src/ls.ts:1: db.prepare('SELECT lemonsqueezy_customer_id FROM user_onboarding')",
      'also mentioned in tests: apps/plant/src/__tests__/onboarding.test.ts:2',
    ]);
  });

  it('places a column dropped by a Drizzle rebuild (__new_x) at the rebuild\'s CREATE TABLE', async () => {
    const sql = [
      'PRAGMA foreign_keys=OFF;--> statement-breakpoint',
      'CREATE TABLE `__new_user_onboarding` (`id` integer);--> statement-breakpoint',
      'INSERT INTO `__new_user_onboarding`("id") SELECT "id" FROM `user_onboarding`;--> statement-breakpoint',
      'DROP TABLE `user_onboarding`;--> statement-breakpoint',
      'ALTER TABLE `__new_user_onboarding` RENAME TO `user_onboarding`;',
    ].join('\n');
    const [r] = await expectFires(
      rule,
      input(sql, {
        'apps/plant/src/ls.ts': "db.prepare('SELECT lemonsqueezy_customer_id FROM user_onboarding')",
      }),
    );
    expect(r).toMatchObject({ messageId: 'column', file: 'libs/engine/migrations/0085_drop.sql', line: 2 });
  });

  it('asks the prepare step to search the code only for the names the PR drops, and for nothing when it drops nothing', async () => {
    const dropping = await input('DROP TABLE products;\nALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;', {});
    expect(rule.needs!(dropping).references).toEqual({ tables: ['products'], columns: ['user_onboarding.lemonsqueezy_customer_id'], limit: 5 });
    expect(rule.needs!(await input('CREATE TABLE coupons(id);', {})).references).toEqual({ tables: [], columns: [], limit: 5 });
  });
});
