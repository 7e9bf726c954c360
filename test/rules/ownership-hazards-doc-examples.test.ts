// ESLint's build check: each "Bad example" SQL in the ownership and hazard docs really triggers its rule, in the
// context the doc describes (config, tables on main, code). The delta is the real schema diff.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCodeSearch } from '../../src/code/code-search.js';
import { safariConfig } from '../../src/config/schema.js';
import { ruleById } from '../../src/rules/registry.js';
import type { RuleInput } from '../../src/rules/types.js';
import { diffSchemas } from '../../src/schema/diff.js';
import { memoryTree } from '../code/memory-tree.js';
import { makeRuleInput } from '../helpers/rule-input.js';

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
  config?: object;
  others?: Record<string, string>;
  baseFiles?: Record<string, string>;
  code?: Record<string, string>;
}

function inputFor(id: string, ctx: Context): RuleInput {
  const base = { 'libs/engine/migrations/0001_base.sql': ctx.base ?? 'CREATE TABLE tenants(id TEXT PRIMARY KEY);' };
  const prFile = 'libs/engine/migrations/0090_example.sql';
  const head = { ...base, [prFile]: badExample(id) };
  const input = makeRuleInput({
    databases: [
      { name: 'grove-engine-db', base, head },
      ...Object.entries(ctx.others ?? {}).map(([name, sql]) => ({ name, base: { [`${name}/m/0001.sql`]: sql }, head: { [`${name}/m/0001.sql`]: sql } })),
    ],
    changes: [{ path: prFile, status: 'added' }],
    config: safariConfig.parse(ctx.config ?? {}),
    baseFiles: ctx.baseFiles,
    code: ctx.code ? createCodeSearch(memoryTree(ctx.code), { exclude: () => false }) : undefined,
  });
  for (const db of input.databases) db.delta = diffSchemas(db.base.replay.schema, db.head.replay.schema, []);
  return input;
}

const OBS = { observability: { prefixes: ['observability_'], database: 'grove-observability-db', owner: '@org/platform' } };

const cases: Record<string, Context> = {
  'domain-violation': { config: { domains: OBS } },
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
      const reports = await rule.check(inputFor(id, ctx));
      expect(reports.filter((r) => !r.preexisting).length, `docs/rules/${id}.md's bad example`).toBeGreaterThan(0);
    });
  }
});
