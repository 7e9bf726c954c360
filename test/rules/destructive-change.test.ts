import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/destructive-change.js';
import { narrows } from '../../src/rules/shared/affinity.js';
import { findTable } from '../../src/rules/shared/tables.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput } from '../helpers/prepared-input.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const BASE = {
  'libs/engine/migrations/0007_shop.sql':
    'CREATE TABLE products(id TEXT PRIMARY KEY, sku TEXT, price INTEGER);\nCREATE TABLE user_onboarding(id TEXT PRIMARY KEY, plan TEXT, lemonsqueezy_customer_id TEXT);',
};

const FILE = 'libs/engine/migrations/0085_drop.sql';
/** The prepared input of a PR adding FILE to `base` (the real replay and diff give the delta). */
const pr = (sql: string, base: Record<string, string> = BASE) => migrationsInput(base, { [FILE]: sql }, { database: 'grove-engine-db' });

/** A hand-made input with an injected delta: only for facts a repository can't produce (see rule-input.ts). */
function input(sql: string, delta: object) {
  return makeRuleInput({
    databases: [{ name: 'grove-engine-db', base: BASE, head: { ...BASE, [FILE]: sql }, delta }],
    changes: [{ path: FILE, status: 'added' }],
  });
}

const rebuild = (columns: string) =>
  `CREATE TABLE __new_products(${columns});\nINSERT INTO __new_products SELECT * FROM products;\nDROP TABLE products;\nALTER TABLE __new_products RENAME TO products;`;

describe('destructive-change', () => {
  it('defines narrowing by affinity: numeric affinity over text loses values, the reverse does not', () => {
    expect(narrows('TEXT', 'INTEGER')).toBe(true);
    expect(narrows('VARCHAR(20)', 'NUMERIC')).toBe(true);
    expect(narrows('', 'REAL')).toBe(true);
    expect(narrows('INTEGER', 'REAL')).toBe(true);
    expect(narrows('INTEGER', 'TEXT')).toBe(false);
    expect(narrows('INT', 'BIGINT')).toBe(false);
    expect(narrows('REAL', 'INTEGER')).toBe(false);
    expect(narrows('TEXT', 'BLOB')).toBe(false);
  });

  it('passes for additive changes', async () => {
    await expectPasses(rule, pr('ALTER TABLE products ADD COLUMN title TEXT;'));
  });

  it('ignores a table created and dropped within the PR', async () => {
    await expectPasses(rule, pr('CREATE TABLE scratch(id);\nDROP TABLE scratch;'));
  });

  it('fires for DROP TABLE at its line', async () => {
    const [r] = await expectFires(rule, pr('-- drop the shop\nDROP TABLE IF EXISTS products;'));
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'products', file: 'libs/engine/migrations/0085_drop.sql', line: 2 });
  });

  it('reports one finding for a file that drops several tables, with each drop in the details', async () => {
    const reports = await expectFires(
      rule,
      pr('DROP TABLE IF EXISTS products;\n-- and\nDROP TABLE user_onboarding;'),
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      messageId: 'dropTables',
      data: { count: 2, tables: ['products', 'user_onboarding'] },
      file: 'libs/engine/migrations/0085_drop.sql',
      line: 1,
      endLine: 3,
      details: ['line 1: DROP TABLE products', 'line 3: DROP TABLE user_onboarding'],
    });
  });

  it('fires for DROP COLUMN at its line', async () => {
    const [r] = await expectFires(
      rule,
      pr('\n\nALTER TABLE user_onboarding DROP COLUMN lemonsqueezy_customer_id;'),
    );
    expect(r).toMatchObject({ messageId: 'dropColumn', data: { table: 'user_onboarding', column: 'lemonsqueezy_customer_id' }, line: 3 });
  });

  it('does not call libSQL\'s ALTER COLUMN … TO a narrowing copy: no row is copied or converted', async () => {
    // Turso: drizzle-kit writes `ALTER TABLE … ALTER COLUMN "sku" TO "sku" integer`, which libSQL replays (stock SQLite
    // refuses the statement) for a drizzle config with `dialect: 'turso'`.
    const shop = { '0000_shop': BASE['libs/engine/migrations/0007_shop.sql'] };
    const altered = await drizzleMigrationsInput(shop, { '0001_sku': 'ALTER TABLE `products` ALTER COLUMN "sku" TO "sku" integer;' }, { dialect: 'turso' });
    expect(altered.databases[0].head.replay.failures).toEqual([]);
    expect(findTable(altered.databases[0].head.replay.schema, 'products')?.columns.find((c) => c.name === 'sku')?.type).toMatch(/^integer$/i);
    await expectPasses(rule, altered);
    // The same narrowing by a rebuild copies the rows: still reported.
    const rebuilt = await drizzleMigrationsInput(shop, { '0001_sku': rebuild('id TEXT PRIMARY KEY, sku INTEGER, price INTEGER') }, { dialect: 'turso' });
    expect((await rule.check(rebuilt)).map((r) => r.messageId)).toContain('narrowType');
  });

  it('fires for a rebuild that narrows TEXT to INTEGER, at the rebuild’s CREATE TABLE', async () => {
    const [r] = await expectFires(
      rule,
      pr(`PRAGMA foreign_keys=OFF;\n${rebuild('id TEXT PRIMARY KEY, sku INTEGER, price INTEGER')}`),
    );
    expect(r).toMatchObject({ messageId: 'narrowType', line: 2, data: { column: 'sku', from: 'TEXT', to: 'INTEGER', toAffinity: 'INTEGER' } });
  });

  it('fires for a column made NOT NULL without a default, and not when it has one', async () => {
    const [r] = await expectFires(rule, pr(rebuild('id TEXT PRIMARY KEY, sku TEXT NOT NULL, price INTEGER')));
    expect(r).toMatchObject({ messageId: 'notNull', data: { column: 'sku' } });
    await expectPasses(rule, pr(rebuild("id TEXT PRIMARY KEY, sku TEXT NOT NULL DEFAULT '', price INTEGER")));
  });

  it('after a replay failure only head has, trusts only drops that the PR spells out', async () => {
    const failure = { kind: 'sql' as const, file: 'libs/engine/migrations/0085_drop.sql', line: 1, statement: 'x', message: 'y', more: 0 };
    const i = input('ALTER TABLE products ADD COLUMN note TEXT;', { tablesDropped: ['user_onboarding'] });
    i.databases[0].head.replay.failures = [failure];
    await expectPasses(rule, i);
    const j = input('DROP TABLE user_onboarding;', { tablesDropped: ['user_onboarding'] });
    j.databases[0].head.replay.failures = [failure];
    const [r] = await expectFires(rule, j);
    expect(r).toMatchObject({ messageId: 'dropTable', line: 1 });
  });

  it('fires when a table is dropped and re-created without copying its rows', async () => {
    const [r] = await expectFires(rule, pr('DROP TABLE products;\nCREATE TABLE products(id TEXT PRIMARY KEY, sku TEXT, price INTEGER);'));
    expect(r).toMatchObject({ messageId: 'recreate', table: 'products', line: 1 });
  });

  it('does not blame a drop-and-re-create already on main when the PR only edits that migration', async () => {
    const path = 'libs/engine/migrations/0008_reset.sql';
    const sql = 'DROP TABLE products;\nCREATE TABLE products(id TEXT PRIMARY KEY, sku TEXT, price INTEGER);';
    const base = { ...BASE, [path]: sql };
    await expectPasses(rule, migrationsInput(base, { [path]: `-- typo fixed\n${sql}` }, { database: 'grove-engine-db' }));
  });

  it('does not report a table whose rows the PR copies into a table under a new name (a rebuild that renames)', async () => {
    const sql = 'CREATE TABLE __new_catalog(id TEXT PRIMARY KEY, sku TEXT, price INTEGER);\nINSERT INTO __new_catalog SELECT * FROM products;\nDROP TABLE products;\nALTER TABLE __new_catalog RENAME TO catalog;';
    await expectPasses(rule, pr(sql));
    const [r] = await expectFires(rule, pr('CREATE TABLE archive(id TEXT);\nINSERT INTO archive SELECT id FROM products;\nDROP TABLE products;\nDROP TABLE archive;'));
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'products', line: 3 });
  });

  it('does not report tables or columns that vanish with a deleted migration (databases that ran it keep them)', async () => {
    const path = 'libs/engine/migrations/0008_more.sql';
    const base = { ...BASE, [path]: 'CREATE TABLE coupons(id TEXT);\nALTER TABLE products ADD COLUMN color TEXT;' };
    const i = await migrationsInput(base, { [path]: null }, { database: 'grove-engine-db' });
    // The real diff does see them go: the rule is what must not blame the PR for it.
    expect(i.databases[0].delta).toMatchObject({ tablesDropped: ['coupons'], tablesChanged: [expect.objectContaining({ table: 'products', columnsDropped: ['color'] })] });
    await expectPasses(rule, i);
  });

  it('follows a rename before the drop (RENAME TO x_old … DROP TABLE x_old)', async () => {
    const [r] = await expectFires(rule, pr('ALTER TABLE products RENAME TO products_old;\nDROP TABLE products_old;'));
    expect(r).toMatchObject({ messageId: 'dropTable', table: 'products', line: 2 });
  });

  // Mutation survivors (issue 11): the exemptions each need a case that would fire without them.
  it('does not call a PRIMARY KEY column made NOT NULL a risk (SQLite never stored a NULL key there)', async () => {
    await expectPasses(rule, pr(rebuild('id TEXT PRIMARY KEY NOT NULL, sku TEXT, price INTEGER')));
  });

  it('does not judge generated columns: their values are computed, never copied', async () => {
    const base = { 'libs/engine/migrations/0007_shop.sql': 'CREATE TABLE products(id TEXT PRIMARY KEY, price INTEGER, label TEXT GENERATED ALWAYS AS (price) VIRTUAL);' };
    const rebuilt =
      'CREATE TABLE __new_products(id TEXT PRIMARY KEY, price INTEGER, label INTEGER NOT NULL GENERATED ALWAYS AS (price) VIRTUAL);\nINSERT INTO __new_products(id, price) SELECT id, price FROM products;\nDROP TABLE products;\nALTER TABLE __new_products RENAME TO products;';
    const i = await pr(rebuilt, base);
    expect(findTable(i.databases[0].head.replay.schema, 'products')?.columns.find((c) => c.name === 'label')?.generated).toBeTruthy();
    await expectPasses(rule, i);
  });

  it('does not call a drop and re-create "without copying" when the diff found the table renamed away first', async () => {
    const sql = 'DROP TABLE products;\nCREATE TABLE products(id TEXT PRIMARY KEY, sku TEXT, price INTEGER);';
    await expectPasses(rule, input(sql, { tablesRenamed: [{ from: 'products', to: 'catalog' }] }));
  });
});
