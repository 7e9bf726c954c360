// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unindexed-foreign-key.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const TENANTS = 'CREATE TABLE tenants(id TEXT PRIMARY KEY, region TEXT, UNIQUE (id, region));';
const POSTS = 'CREATE TABLE posts(id TEXT PRIMARY KEY, title TEXT, tenant_id TEXT REFERENCES tenants(id));';

describe('unindexed-foreign-key (mutation cases)', () => {
  it('reports a composite key with its columns, "them", and an index over all of them', async () => {
    const sql = `${TENANTS}\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT, region TEXT, FOREIGN KEY (tenant_id, region) REFERENCES tenants(id, region));`;
    const [r] = await expectFires(rule, migrationsInput({}, { 'm/0001.sql': sql }));
    expect(r).toMatchObject({ file: 'm/0001.sql', line: 2 });
    expect(r.data).toMatchObject({ columns: 'tenant_id, region', columnWord: 'them', indexSuffix: 'tenant_id_region' });
    expect(toFinding(rule, r, undefined).fix).toBe('CREATE INDEX idx_posts_tenant_id_region ON posts(tenant_id, region);');
  });

  it('says "it" for a single column', async () => {
    const [r] = await expectFires(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': POSTS }));
    expect(r.data).toMatchObject({ columns: 'tenant_id', columnWord: 'it', indexSuffix: 'tenant_id' });
  });

  it('does not take an index on only the first column of a composite key, or one that leads with another column second', async () => {
    const fk = 'tenant_id TEXT, region TEXT, slug TEXT, FOREIGN KEY (tenant_id, region) REFERENCES tenants(id, region)';
    for (const index of ['CREATE INDEX ix ON posts(tenant_id);', 'CREATE INDEX ix ON posts(tenant_id, slug, region);']) {
      const [r] = await expectFires(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': `CREATE TABLE posts(id TEXT PRIMARY KEY, ${fk});\n${index}` }));
      expect(r.data?.columns).toBe('tenant_id, region');
    }
    await expectPasses(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': `CREATE TABLE posts(id TEXT PRIMARY KEY, ${fk});\nCREATE INDEX ix ON posts(region, tenant_id, slug);` }));
  });

  it('reads the primary key in its own order, not the columns’ order', async () => {
    const sql = 'CREATE TABLE badges(badge TEXT, note TEXT, tenant_id TEXT REFERENCES tenants(id), PRIMARY KEY (tenant_id, badge, note));';
    await expectPasses(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': sql }));
    const late = 'CREATE TABLE badges(tenant_id TEXT REFERENCES tenants(id), note TEXT, badge TEXT, PRIMARY KEY (badge, note, tenant_id));';
    await expectFires(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': late }));
  });

  it('doubles a double quote in a name it quotes', async () => {
    const [r] = await expectFires(rule, migrationsInput({ 'm/0001.sql': TENANTS }, { 'm/0002.sql': 'CREATE TABLE "say ""hi"""(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));' }));
    expect(toFinding(rule, r, undefined).fix).toBe('CREATE INDEX "idx_say ""hi""_tenant_id" ON "say ""hi"""(tenant_id);');
  });

  it('keeps a key on main when the PR renames another column, another table, or the child table', async () => {
    const base = { 'm/0001.sql': `${TENANTS}\n${POSTS}\nCREATE TABLE notes(id TEXT PRIMARY KEY);` };
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': 'ALTER TABLE posts RENAME COLUMN title TO heading;' }));
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': 'ALTER TABLE notes RENAME TO memos;' }));
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': 'ALTER TABLE posts RENAME TO articles;' }));
  });

  it('keeps keys on main when the PR renames their columns in two child tables', async () => {
    const base = { 'm/0001.sql': `${TENANTS}\n${POSTS}\nCREATE TABLE comments(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));` };
    const sql = 'ALTER TABLE comments RENAME COLUMN tenant_id TO comment_tenant;\nALTER TABLE posts RENAME COLUMN tenant_id TO post_tenant;';
    await expectPasses(rule, migrationsInput(base, { 'm/0002.sql': sql }));
  });

  it('tells a new key from one on main whose column name differs by more than ASCII case (SQLite folds only ASCII)', async () => {
    const base = { 'm/0001.sql': `${TENANTS}\nCREATE TABLE posts(id TEXT PRIMARY KEY, "maß" TEXT REFERENCES tenants(id));` };
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/0002.sql': 'ALTER TABLE posts ADD COLUMN "MASS" TEXT REFERENCES tenants(id);' }));
    expect(r).toMatchObject({ file: 'm/0002.sql', line: 1, data: { columns: 'MASS', parent: 'tenants' } });
  });

  it('tells a new key on a column named "a,b" from a key on main over columns a and b', async () => {
    const base = { 'm/0001.sql': 'CREATE TABLE p(x, y, "x,y", xy);\nCREATE TABLE c(a, b, FOREIGN KEY (a, b) REFERENCES p(x, y));' };
    for (const [column, parent] of [['"a,b"', '"x,y"'], ['"a,b"', 'xy'], ['ab', '"x,y"']]) {
      const [r] = await expectFires(rule, migrationsInput(base, { 'm/0002.sql': `ALTER TABLE c ADD COLUMN ${column} REFERENCES p(${parent});` }));
      expect(r.data?.columns).toBe(column.replaceAll('"', ''));
    }
  });

  it('points at the ALTER TABLE that adds the column, not an earlier statement of the PR', async () => {
    const base = { 'm/0001.sql': `${TENANTS}\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT);\nCREATE TABLE notes(id TEXT PRIMARY KEY);` };
    const sql = [
      'CREATE TABLE memos(id TEXT PRIMARY KEY);',
      'ALTER TABLE notes ADD COLUMN tenant_id TEXT;',
      'ALTER TABLE posts ADD COLUMN region TEXT;',
      'ALTER TABLE posts DROP COLUMN tenant_id;',
      'ALTER TABLE posts ADD COLUMN tenant_id TEXT REFERENCES tenants(id);',
    ].join('\n');
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/0002.sql': sql }));
    expect(r).toMatchObject({ table: 'posts', file: 'm/0002.sql', line: 5 });
  });

  it('points at the CREATE TABLE of the child, not an earlier CREATE or DROP', async () => {
    const base = { 'm/0001.sql': `${TENANTS}\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT);` };
    const sql = 'CREATE TABLE memos(id TEXT PRIMARY KEY);\nDROP TABLE posts;\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));';
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/0002.sql': sql }));
    expect(r).toMatchObject({ table: 'posts', file: 'm/0002.sql', line: 3 });
  });

  it("points at the rebuild's CREATE TABLE (Drizzle's __new_ table) that adds the key", async () => {
    const base = { 'm/0001.sql': `${TENANTS}\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT);` };
    const sql = [
      'CREATE TABLE memos(id TEXT PRIMARY KEY);',
      'CREATE TABLE __new_posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));',
      'INSERT INTO __new_posts SELECT id, tenant_id FROM posts;',
      'DROP TABLE posts;',
      'ALTER TABLE __new_posts RENAME TO posts;',
    ].join('\n');
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/0002.sql': sql }));
    expect(r).toMatchObject({ table: 'posts', file: 'm/0002.sql', line: 2 });
  });
});
