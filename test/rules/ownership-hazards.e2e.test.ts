// The ownership/domain and hazard rules through the whole pipeline (git source → discovery → replay → diff → code
// search → rules) on temp git repos: one realistic PR per group, and a PR that must not be blamed for main's problems.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import { reviewFiles } from '../helpers/review-files.js';

const wrangler = (name: string, db: string, id: number) =>
  [`name = "${name}"`, '[[d1_databases]]', 'binding = "DB"', `database_name = "${db}"`, `database_id = "00000000-0000-0000-0000-00000000000${id}"`, 'migrations_dir = "migrations"', ''].join('\n');

const SAFARI_YML = [
  'domains:',
  '  observability: { prefixes: [observability_], database: grove-observability-db, owner: "@org/platform" }',
  '  core: { tables: [tenants, posts, users, magic_codes, platform_billing, products, user_onboarding], database: grove-engine-db }',
  'naming:',
  '  requirePrefix: true',
  'maxTables: 4',
  '',
].join('\n');

const base: Record<string, string> = {
  '.github/safari.yml': SAFARI_YML,
  '.github/CODEOWNERS': 'libs/engine/ @org/engine\nworkers/vista/ @org/platform\n',
  'libs/engine/wrangler.toml': wrangler('engine', 'grove-engine-db', 1),
  'libs/engine/migrations/0001_core.sql':
    'CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT);\nCREATE TABLE posts (id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE);\nCREATE INDEX idx_posts_tenant ON posts(tenant_id);\n',
  'libs/engine/migrations/0002_shop.sql':
    'CREATE TABLE products (id TEXT PRIMARY KEY);\nCREATE TABLE platform_billing (id TEXT PRIMARY KEY, tenant_id TEXT);\n',
  'services/heartwood/wrangler.toml': wrangler('heartwood', 'groveauth', 2),
  'services/heartwood/migrations/0001_auth.sql': 'CREATE TABLE users (id TEXT PRIMARY KEY);\nCREATE TABLE magic_codes (email TEXT PRIMARY KEY);\n',
  'workers/vista/wrangler.toml': wrangler('vista', 'grove-observability-db', 3),
  'workers/vista/migrations/0001_obs.sql': 'CREATE TABLE observability_metrics (id INTEGER PRIMARY KEY);\n',
  'libs/engine/src/billing.ts': "export const load = (db, t) => db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?').bind(t).first();\n",
  'libs/engine/src/shop/products.ts': "// products were served here once\nexport const none = 'pantry_products';\n",
};

const MINE = new Set([
  'domain-violation', 'unknown-domain', 'double-prefix', 'cross-database-duplicate', 'table-budget', 'foreign-owner',
  'destructive-change', 'drop-referenced-table', 'cascade-on-rebuild', 'unindexed-foreign-key',
]);
/** Every placeholder of a message and its fix is filled from the report's data. */
const unfilled = (findings: Finding[]) =>
  findings.filter((f) => MINE.has(f.rule)).filter((f) => /\{\w+\}/.test(`${f.message} ${f.fix ?? ''}`));
const mine = (findings: Finding[]) =>
  findings
    .filter((f) => MINE.has(f.rule))
    .map((f) => ({ rule: f.rule, messageId: f.messageId, severity: f.severity, file: f.file, line: f.line, table: f.table, preexisting: f.preexisting }));

describe('ownership, domain and hazard rules, end to end', () => {
  it('a PR that puts tables in the wrong places', async () => {
    const file = 'libs/engine/migrations/0003_misc.sql';
    const result = await reviewFiles({
      base,
      pr: {
        [file]: [
          'CREATE TABLE observability_alerts (id INTEGER PRIMARY KEY);',
          'CREATE TABLE auth_auth_tokens (id TEXT PRIMARY KEY);',
          'CREATE TABLE magic_codes (email TEXT PRIMARY KEY);',
          '',
        ].join('\n'),
      },
    });
    const findings = mine(result.findings);
    expect(findings).toEqual(
      expect.arrayContaining([
        { rule: 'domain-violation', messageId: 'created', severity: 'error', file, line: 1, table: 'observability_alerts', preexisting: false },
        { rule: 'foreign-owner', messageId: 'foreign', severity: 'warning', file, line: 1, table: 'observability_alerts', preexisting: false },
        { rule: 'double-prefix', messageId: 'double', severity: 'warning', file, line: 2, table: 'auth_auth_tokens', preexisting: false },
        { rule: 'unknown-domain', messageId: 'unknown', severity: 'warning', file, line: 2, table: 'auth_auth_tokens', preexisting: false },
        { rule: 'cross-database-duplicate', messageId: 'duplicate', severity: 'warning', file, line: 3, table: 'magic_codes', preexisting: false },
        { rule: 'table-budget', messageId: 'crosses', severity: 'warning', file, line: 1, table: undefined, preexisting: false },
      ]),
    );
    expect(findings).toHaveLength(6);
    expect(unfilled(result.findings)).toEqual([]);
    const owner = result.findings.find((f) => f.rule === 'foreign-owner')!;
    expect(owner.message).toContain('@org/engine');
    expect(owner.message).toContain('@org/platform');
    expect(result.conclusion).toBe('failure');
  });

  it('a PR that drops and rebuilds: destructive changes, live references, cascades, unindexed foreign keys', async () => {
    const file = 'libs/engine/migrations/0003_cleanup.sql';
    const result = await reviewFiles({
      base,
      pr: {
        [file]: [
          'DROP TABLE products;',
          'DROP TABLE platform_billing;',
          'CREATE TABLE __new_tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT \'\');',
          'INSERT INTO __new_tenants (id, name) SELECT id, name FROM tenants;',
          'DROP TABLE tenants;',
          'ALTER TABLE __new_tenants RENAME TO tenants;',
          'CREATE TABLE users_meta (id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));',
          '',
        ].join('\n'),
        'libs/engine/src/shop/products.ts': null,
      },
      options: { failOn: 'error' },
    });
    const findings = mine(result.findings).filter((f) => f.rule !== 'unknown-domain');
    expect(findings).toEqual(
      expect.arrayContaining([
        // both drops of the file in one finding: products (line 1) and platform_billing (line 2)
        { rule: 'destructive-change', messageId: 'dropTables', severity: 'warning', file, line: 1, table: undefined, preexisting: false },
        { rule: 'drop-referenced-table', messageId: 'table', severity: 'error', file, line: 2, table: 'platform_billing', preexisting: false },
        { rule: 'cascade-on-rebuild', messageId: 'rebuild', severity: 'error', file, line: 5, table: 'tenants', preexisting: false },
        { rule: 'unindexed-foreign-key', messageId: 'unindexed', severity: 'notice', file, line: 7, table: 'users_meta', preexisting: false },
      ]),
    );
    expect(findings).toHaveLength(4);
    expect(unfilled(result.findings)).toEqual([]);
    const ref = result.findings.find((f) => f.rule === 'drop-referenced-table')!;
    expect(ref.message).toContain('libs/engine/src/billing.ts:1');
  });

  it('blames nothing on a PR that only adds a clean table, though main has every problem', async () => {
    const messy = {
      ...base,
      'libs/engine/migrations/0003_legacy.sql': [
        'CREATE TABLE observability_old (id INTEGER PRIMARY KEY);',
        'CREATE TABLE auth_auth_codes (id TEXT PRIMARY KEY);',
        'CREATE TABLE users (id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id));',
        '',
      ].join('\n'),
    };
    const result = await reviewFiles({
      base: messy,
      pr: { 'libs/engine/migrations/0004_posts_title.sql': 'ALTER TABLE posts ADD COLUMN title TEXT;\n' },
    });
    const blamed = mine(result.findings).filter((f) => !f.preexisting);
    expect(blamed).toEqual([]);
    expect(mine(result.findings).map((f) => `${f.rule}:${f.messageId}`).sort()).toEqual(['domain-violation:already', 'table-budget:already']);
    expect(unfilled(result.findings)).toEqual([]);
    expect(result.conclusion).toBe('success');
  });
});
