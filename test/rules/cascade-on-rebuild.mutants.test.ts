// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/cascade-on-rebuild.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput } from '../helpers/prepared-input.js';

const BASE = {
  'm/0001.sql': [
    'CREATE TABLE tenants(id TEXT PRIMARY KEY, name TEXT);',
    'CREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE);',
  ].join('\n'),
};

/** A hand-written rebuild of tenants; `before` and `after` go around its DROP TABLE (line 3 when `before` is one line). */
const rebuild = (before: string, after: string) =>
  [
    'CREATE TABLE tenants_new(id TEXT PRIMARY KEY, name TEXT NOT NULL);',
    `INSERT INTO tenants_new SELECT id, name FROM tenants;${before}`,
    'DROP TABLE tenants;',
    `ALTER TABLE tenants_new RENAME TO tenants;${after}`,
  ].join('\n');

const input = (sql: string, base: Record<string, string> = BASE) => migrationsInput(base, { 'm/0002.sql': sql });

const BACKUP = '\nCREATE TABLE posts_backup AS SELECT * FROM posts;';
const RESTORE = '\nINSERT INTO posts SELECT * FROM posts_backup;';

describe('cascade-on-rebuild (mutation cases)', () => {
  it('takes a child as restored only when it is read before the DROP and written back after it', async () => {
    await expectPasses(rule, input(rebuild(BACKUP, RESTORE)));
    // Written back without a copy taken first.
    await expectFires(rule, input(rebuild('', RESTORE)));
    // Copied aside and never written back.
    await expectFires(rule, input(rebuild(BACKUP, '')));
    // Written back before the DROP: the DROP deletes the rows again.
    await expectFires(rule, input(rebuild(`${BACKUP}${RESTORE}`, '')));
    // Copied after the DROP: too late, the rows are gone.
    await expectFires(rule, input(rebuild('', `${BACKUP}${RESTORE}`)));
  });

  it('orders a copy and a restore on the DROP\'s own line as too late and too early', async () => {
    const sameLine = (sql: string) => rebuild('', RESTORE).replace('DROP TABLE tenants;', sql);
    // The copy follows the DROP on its line: too late.
    const [late] = await expectFires(rule, input(sameLine(`DROP TABLE tenants; ${BACKUP.trim()}`)));
    expect(late).toMatchObject({ line: 3 });
    // The restore precedes the DROP on its line (and the copy is taken before): the DROP deletes the rows again.
    const early = rebuild(BACKUP, '').replace('DROP TABLE tenants;', `${RESTORE.trim()} DROP TABLE tenants;`);
    const [r] = await expectFires(rule, input(early));
    expect(r).toMatchObject({ line: 4 });
  });

  it('matches a child whose name has regex characters literally', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY, name TEXT);\nCREATE TABLE "posts.v2"(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE);' };
    const backup = '\nCREATE TABLE posts_backup AS SELECT * FROM "posts.v2";';
    const restore = '\nINSERT INTO "posts.v2" SELECT * FROM posts_backup;';
    await expectPasses(rule, input(rebuild(backup, restore), base));
    const [r] = await expectFires(rule, input(rebuild(backup, ''), base));
    expect(r.data?.children).toEqual(['posts.v2(tenant_id) ON DELETE CASCADE']);
  });

  it('reads a quoted keyword as a name: `SELECT "join" posts` is no copy of posts', async () => {
    const backup = '\nCREATE TABLE meta AS SELECT "join" posts FROM (SELECT 1 AS "join");';
    await expectFires(rule, input(rebuild(backup, RESTORE)));
  });

  it('says "drop" when the parent is dropped for good', async () => {
    // Stock SQLite (not D1): a warning, and the finding says why the pragma does not help there.
    const files = { '.github/safari.yml': JSON.stringify({ databases: { 'app-db': { dialect: 'sqlite' } } }) };
    const [r] = await expectFires(rule, migrationsInput(BASE, { 'm/0002.sql': 'SELECT 1;\nDROP TABLE tenants;' }, { files }));
    expect(r).toMatchObject({ messageId: 'drop', table: 'tenants', file: 'm/0002.sql', line: 2, severity: 'warning' });
    expect(r.data).toMatchObject({ why: "PRAGMA foreign_keys=OFF does nothing inside the migration's transaction", children: ['posts(tenant_id) ON DELETE CASCADE'] });
  });

  it('does not list a parent that references itself among its children', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE comments(id TEXT PRIMARY KEY, body TEXT, parent_id TEXT REFERENCES comments(id) ON DELETE CASCADE);' };
    const sql = 'CREATE TABLE comments_new(id TEXT PRIMARY KEY, body TEXT NOT NULL, parent_id TEXT REFERENCES comments(id) ON DELETE CASCADE);\nINSERT INTO comments_new SELECT * FROM comments;\nDROP TABLE comments;\nALTER TABLE comments_new RENAME TO comments;';
    await expectPasses(rule, input(sql, base));
  });

  it('names every column of a composite foreign key', async () => {
    const base = {
      'm/0001.sql': [
        'CREATE TABLE tenants(org TEXT, id TEXT, name TEXT, PRIMARY KEY (org, id));',
        'CREATE TABLE posts(id TEXT PRIMARY KEY, org TEXT, tenant_id TEXT, FOREIGN KEY (org, tenant_id) REFERENCES tenants(org, id) ON DELETE SET NULL);',
      ].join('\n'),
    };
    const sql = 'CREATE TABLE tenants_new(org TEXT, id TEXT, name TEXT NOT NULL, PRIMARY KEY (org, id));\nINSERT INTO tenants_new SELECT * FROM tenants;\nDROP TABLE tenants;\nALTER TABLE tenants_new RENAME TO tenants;';
    const [r] = await expectFires(rule, input(sql, base));
    expect(r.data?.children).toEqual(['posts(org, tenant_id) ON DELETE SET NULL']);
    expect(r.details).toEqual(['posts(org, tenant_id) ON DELETE SET NULL: references set to NULL']);
  });

  it('fires on Turso when safari.yml says wrangler applies the folder (no migrator turns foreign keys off)', async () => {
    const base = { '0000_init': BASE['m/0001.sql'] };
    const add = { '0001_rebuild': rebuild('', '') };
    const files = { '.github/safari.yml': JSON.stringify({ databases: { app: { migrations: ['drizzle'], applier: 'wrangler' } } }) };
    const turso = await drizzleMigrationsInput(base, add, { dialect: 'turso', files });
    expect(turso.databases[0].spec.engine).toBe('libsql');
    const [r] = await expectFires(rule, turso);
    expect(r).toMatchObject({ messageId: 'rebuild', table: 'tenants', file: 'drizzle/0001_rebuild.sql', line: 3 });
  });
});
