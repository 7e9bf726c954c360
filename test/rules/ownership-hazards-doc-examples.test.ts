// ESLint's build check: each "Bad example" SQL in the ownership and hazard docs really triggers its rule, in the
// context the doc describes (config, tables on main, code). The delta is the real schema diff.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../../src/rules/registry.js';
import type { RuleInput } from '../../src/rules/types.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const root = new URL('../../', import.meta.url).pathname;

function badExample(id: string): string {
  const doc = readFileSync(`${root}docs/rules/${id}.md`, 'utf8');
  const section = doc.slice(doc.indexOf('## Bad example'), doc.indexOf('## Fix'));
  const m = /```sql\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`docs/rules/${id}.md has no sql block under "## Bad example"`);
  return m[1];
}

interface Context {
  base?: string;
  /** .github/safari.yml, as an object (YAML reads JSON). */
  config?: object;
  /** Other databases: name → the SQL of their one migration on main. */
  others?: Record<string, string>;
  /** Source files on main. */
  code?: Record<string, string>;
}

/** The doc's bad example added by a PR, through the real pipeline (replay, diff, the rules' prepared reads). */
function inputFor(id: string, ctx: Context): Promise<RuleInput> {
  const base: Record<string, string> = {
    'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
    'libs/engine/migrations/0001_base.sql': ctx.base ?? 'CREATE TABLE tenants(id TEXT PRIMARY KEY);',
    ...ctx.code,
  };
  if (ctx.config) base['.github/safari.yml'] = JSON.stringify(ctx.config);
  for (const [name, sql] of Object.entries(ctx.others ?? {})) {
    base[`${name}/wrangler.toml`] = wranglerFor(name);
    base[`${name}/migrations/0001_init.sql`] = sql;
  }
  return prInput(base, { 'libs/engine/migrations/0090_example.sql': badExample(id) });
}

const OBS = { observability: { prefixes: ['observability_'], database: 'grove-observability-db', owner: '@org/platform' } };

const cases: Record<string, Context> = {
  'domain-violation': { config: { domains: OBS }, others: { 'grove-observability-db': 'CREATE TABLE observability_metrics(id);' } },
  'unknown-domain': { config: { domains: { auth: { prefixes: ['auth_'], database: 'grove-engine-db' } }, naming: { requirePrefix: true } } },
  'double-prefix': {},
  'cross-database-duplicate': { others: { groveauth: 'CREATE TABLE magic_codes(email TEXT PRIMARY KEY);' } },
  'table-budget': { base: Array.from({ length: 120 }, (_, i) => `CREATE TABLE t${i}(id);`).join('\n'), config: { maxTables: 80 } },
  'foreign-owner': {
    base: 'CREATE TABLE observability_alerts(id INTEGER PRIMARY KEY);',
    config: { domains: { observability: { ...OBS.observability, database: 'grove-engine-db' } }, owners: { 'libs/engine/**': '@org/landing' } },
  },
  'destructive-change': { base: 'CREATE TABLE products(id);\nCREATE TABLE user_onboarding(id, lemonsqueezy_customer_id);' },
  'drop-referenced-table': {
    base: 'CREATE TABLE platform_billing(id, tenant_id);',
    code: { 'libs/engine/src/lib/server/billing.ts': "db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?')" },
  },
  'cascade-on-rebuild': {
    base: 'CREATE TABLE tenants(id TEXT PRIMARY KEY, name TEXT);\nCREATE TABLE posts(id TEXT PRIMARY KEY, tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE);',
  },
  'unindexed-foreign-key': { base: 'CREATE TABLE meadow_posts(id TEXT PRIMARY KEY);' },
};

describe('bad examples in the ownership and hazard docs fire their rule', () => {
  for (const [id, ctx] of Object.entries(cases)) {
    it(id, async () => {
      const rule = ruleById.get(id)!;
      const reports = rule.check(await inputFor(id, ctx));
      expect(reports.filter((r) => !r.preexisting).length, `docs/rules/${id}.md's bad example`).toBeGreaterThan(0);
    });
  }
});
