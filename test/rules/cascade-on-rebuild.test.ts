import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/cascade-on-rebuild.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput } from '../helpers/prepared-input.js';

const BASE = {
  'm/0001.sql': [
    'CREATE TABLE tenants(id TEXT PRIMARY KEY, name TEXT);',
    'CREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE);',
    'CREATE TABLE media(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE SET NULL);',
    'CREATE TABLE themes(id TEXT PRIMARY KEY, name TEXT);',
    'CREATE TABLE sites(id TEXT PRIMARY KEY, theme_id TEXT REFERENCES themes(id));',
  ].join('\n'),
};

const DRIZZLE_REBUILD = (table: string, cols: string) =>
  `PRAGMA foreign_keys=OFF;--> statement-breakpoint\nCREATE TABLE \`__new_${table}\` (${cols});--> statement-breakpoint\nINSERT INTO \`__new_${table}\`("id", "name") SELECT "id", "name" FROM \`${table}\`;--> statement-breakpoint\nDROP TABLE \`${table}\`;--> statement-breakpoint\nALTER TABLE \`__new_${table}\` RENAME TO \`${table}\`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;`;

/** The PR adds `sql` (untouched: main gained it after the PR branched, so it is not the PR's). */
function input(sql: string, dialect: 'd1' | 'sqlite' = 'd1', touched = true) {
  const files = { '.github/safari.yml': JSON.stringify({ databases: { 'grove-engine-db': { dialect } } }) };
  const add = { 'm/0002.sql': sql };
  return touched
    ? migrationsInput(BASE, add, { database: 'grove-engine-db', files })
    : migrationsInput(BASE, {}, { database: 'grove-engine-db', files, mainAfter: add });
}

describe('cascade-on-rebuild', () => {
  it('passes when a rebuilt table has no CASCADE/SET NULL children', async () => {
    await expectPasses(rule, input(DRIZZLE_REBUILD('themes', 'id TEXT PRIMARY KEY, name TEXT NOT NULL')));
  });

  it('passes for ALTER TABLE changes of a parent', async () => {
    await expectPasses(rule, input('ALTER TABLE tenants ADD COLUMN plan TEXT;'));
  });

  it('fires as an error on D1 for the Drizzle __new_ idiom, at the DROP TABLE line, listing the children', async () => {
    const [r] = await expectFires(rule, input(DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT NOT NULL')));
    expect(r).toMatchObject({ messageId: 'rebuild', severity: 'error', table: 'tenants', file: 'm/0002.sql', line: 4, data: { why: 'D1 ignores PRAGMA foreign_keys=OFF' } });
    // Each child with its own action, not one merged "CASCADE/SET NULL" list.
    expect(r.data?.children).toEqual(['posts(tenant_id) ON DELETE CASCADE', 'media(tenant_id) ON DELETE SET NULL']);
    expect(r.details).toEqual(['posts(tenant_id) ON DELETE CASCADE: rows deleted', 'media(tenant_id) ON DELETE SET NULL: references set to NULL']);
  });

  it('is a warning outside D1', async () => {
    const [r] = await expectFires(rule, input(DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT'), 'sqlite'));
    expect(r.severity).toBe('warning');
  });

  it('follows a rename-away rebuild (RENAME TO tenants_old … DROP TABLE tenants_old)', async () => {
    const sql =
      'ALTER TABLE tenants RENAME TO tenants_old;\nCREATE TABLE tenants(id TEXT PRIMARY KEY, name TEXT);\nINSERT INTO tenants SELECT * FROM tenants_old;\nDROP TABLE tenants_old;';
    const [r] = await expectFires(rule, input(sql));
    expect(r).toMatchObject({ table: 'tenants', line: 4 });
  });

  it('does not count children the PR drops itself, and ignores files the PR did not touch', async () => {
    await expectPasses(rule, input('DROP TABLE posts;\nDROP TABLE media;\nDROP TABLE tenants;'));
    await expectPasses(rule, input(DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT'), 'd1', false));
  });

  it('does not blame a rebuild that is already on main when the PR only edits that migration', async () => {
    const rebuilt = { ...BASE, 'm/0002.sql': DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT') };
    const edited = (sql: string) => migrationsInput(rebuilt, { 'm/0002.sql': sql }, { database: 'grove-engine-db' });
    await expectPasses(rule, edited(`-- typo fixed\n${rebuilt['m/0002.sql']}`));
  });

  it('recognises the backup-and-restore idiom it recommends: a child copied aside and restored loses nothing', async () => {
    const rebuild = DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT NOT NULL').split('\n');
    const backup = 'CREATE TABLE posts_backup AS SELECT * FROM posts;--> statement-breakpoint';
    const restore = 'INSERT INTO `posts` SELECT * FROM `posts_backup`;--> statement-breakpoint\nDROP TABLE posts_backup;--> statement-breakpoint';
    const sql = [rebuild[0], backup, ...rebuild.slice(1, 5), restore, rebuild[5]].join('\n');
    const [r] = await expectFires(rule, input(sql));
    // posts is restored; media (SET NULL) is not, and stays reported.
    expect(r.details).toEqual(['media(tenant_id) ON DELETE SET NULL: references set to NULL']);
    const both = sql.replace(restore, `${restore}\nUPDATE media SET tenant_id = (SELECT tenant_id FROM media_backup b WHERE b.id = media.id);--> statement-breakpoint`)
      .replace(backup, `${backup}\nCREATE TABLE media_backup AS SELECT * FROM media;--> statement-breakpoint`);
    await expectPasses(rule, input(both));
  });

  it('does not fire for Turso / libSQL, whose migrator turns foreign keys off outside its transaction', async () => {
    // @libsql/client's migrate() runs `PRAGMA foreign_keys=off`, BEGIN, the statements, COMMIT, `PRAGMA foreign_keys=on`.
    const base = { '0000_init': BASE['m/0001.sql'] };
    const add = { '0001_rebuild': DRIZZLE_REBUILD('tenants', 'id TEXT PRIMARY KEY, name TEXT NOT NULL') };
    const turso = await drizzleMigrationsInput(base, add, { dialect: 'turso' });
    expect(turso.databases[0].spec.engine).toBe('libsql');
    await expectPasses(rule, turso);
    // The same project on stock SQLite (drizzle-kit's migrator keeps foreign keys on): the cascade happens.
    await expectFires(rule, drizzleMigrationsInput(base, add, { dialect: 'sqlite' }));
  });
});
