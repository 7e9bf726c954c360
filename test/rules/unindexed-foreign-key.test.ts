import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unindexed-foreign-key.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';

const BASE = {
  'm/0001.sql':
    'CREATE TABLE google_drive_files(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES google_drive_files(id));\nCREATE TABLE tenants(id TEXT PRIMARY KEY);',
};

const input = (sql: string) => migrationsInput(BASE, { 'm/0002.sql': sql });

describe('unindexed-foreign-key', () => {
  it('does not report foreign keys that already exist on main (google_drive_files.parent_id)', async () => {
    await expectPasses(rule, input('CREATE TABLE notes(id TEXT PRIMARY KEY);'));
  });

  it('passes when an index, a composite index or the primary key leads with the column', async () => {
    await expectPasses(rule, input('CREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));\nCREATE INDEX idx_posts_tenant ON posts(tenant_id, id);'));
    await expectPasses(rule, input('CREATE TABLE tenant_badges(tenant_id TEXT REFERENCES tenants(id), badge TEXT, PRIMARY KEY (tenant_id, badge));'));
  });

  it('passes when a UNIQUE constraint leads with the column (SQLite indexes it)', async () => {
    await expectPasses(rule, input('CREATE TABLE settings(id INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL UNIQUE REFERENCES tenants(id));'));
    await expectPasses(rule, input('CREATE TABLE links(a TEXT REFERENCES tenants(id), b TEXT, CONSTRAINT "u_ab" UNIQUE ("A" COLLATE NOCASE, b));'));
    const [r] = await expectFires(rule, input('CREATE TABLE links(a TEXT REFERENCES tenants(id), b TEXT CHECK (b <> \'unique\'), UNIQUE(b, a));'));
    expect(r.data?.columns).toBe('a');
  });

  it('fires for a new table whose foreign key column has no index', async () => {
    const [r] = await expectFires(rule, input('\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));'));
    expect(r).toMatchObject({ messageId: 'unindexed', table: 'posts', file: 'm/0002.sql', line: 2, data: { columns: 'tenant_id', parent: 'tenants' } });
  });

  it('fires for a column added with a reference, at the ALTER TABLE', async () => {
    const [r] = await expectFires(rule, input('ALTER TABLE google_drive_files ADD COLUMN tenant_id TEXT REFERENCES tenants(id);'));
    expect(r).toMatchObject({ table: 'google_drive_files', line: 1, data: { columns: 'tenant_id' } });
  });

  it('does not accept an index that only covers the column second, or a partial index', async () => {
    const [r] = await expectFires(rule, input('CREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id), slug TEXT);\nCREATE INDEX ix ON posts(slug, tenant_id);\nCREATE INDEX ix2 ON posts(tenant_id) WHERE slug IS NOT NULL;'));
    expect(r.data?.columns).toBe('tenant_id');
  });

  it('does not report a foreign key already on main whose parent the PR renames (SQLite rewrites the REFERENCES)', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));' };
    const sql = 'ALTER TABLE tenants RENAME TO accounts;\nALTER TABLE accounts RENAME COLUMN id TO account_id;';
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': sql }));
  });

  it('does not report a foreign key already on main whose child column the PR renames', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));' };
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': 'ALTER TABLE posts RENAME COLUMN tenant_id TO owner_id;' }));
  });

  it('suggests an index that SQLite accepts, quoting names that need it', async () => {
    const plain = await expectFires(rule, input('CREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));'));
    expect(toFinding(rule, plain[0], undefined).fix).toBe('CREATE INDEX idx_posts_tenant_id ON posts(tenant_id);');
    const [r] = await expectFires(rule, input('CREATE TABLE "Hit Counters"(id TEXT PRIMARY KEY, "Tenant Id" TEXT REFERENCES tenants(id));'));
    expect(toFinding(rule, r, undefined).fix).toBe('CREATE INDEX "idx_Hit Counters_Tenant Id" ON "Hit Counters"("Tenant Id");');
  });
});
