import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/foreign-owner.js';
import { codeownersOf, parseCodeowners } from '../../src/rules/shared/code-owners.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const domains = {
  observability: { prefixes: ['observability_'], database: 'grove-engine-db', owner: '@org/platform' },
  core: { tables: ['tenants'], database: 'grove-engine-db' },
};
const CODEOWNERS = '# owners\n*.sql @org/dba\napps/landing/ @org/landing\nlibs/engine/ @org/engine @org/platform\n';

const BASE = {
  'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'apps/landing/wrangler.toml': wranglerFor('grove-engine-db'),
  'libs/engine/migrations/0001.sql': 'CREATE TABLE tenants(id); CREATE TABLE observability_b(id);',
};

/** A PR adding `sql` at `path`, with CODEOWNERS on main (null: none) and safari.yml's domains (plus `config`). */
function input(opts: { path: string; sql: string; config?: object; codeowners?: string | null; headCodeowners?: string }) {
  const base: Record<string, string> = { ...BASE, '.github/safari.yml': JSON.stringify({ domains, ...opts.config }) };
  if (opts.codeowners !== null) base['.github/CODEOWNERS'] = opts.codeowners ?? CODEOWNERS;
  return prInput(base, { [opts.path]: opts.sql, ...(opts.headCodeowners ? { '.github/CODEOWNERS': opts.headCodeowners } : {}) });
}

describe('foreign-owner', () => {
  it('follows CODEOWNERS: last matching pattern wins, directories match their contents', () => {
    const rules = parseCodeowners(CODEOWNERS + '/apps/landing/migrations/0001.sql\n');
    expect(codeownersOf(rules, 'apps/landing/migrations/0002.sql')).toEqual(['@org/landing']);
    expect(codeownersOf(rules, 'apps/landing/migrations/0001.sql')).toEqual([]);
    expect(codeownersOf(rules, 'services/x/m/0001.sql')).toEqual(['@org/dba']);
    expect(codeownersOf(rules, 'README.md')).toBeUndefined();
  });

  it('passes when the folder owner owns the domain (one of several CODEOWNERS owners)', async () => {
    await expectPasses(rule, input({ path: 'libs/engine/migrations/0081.sql', sql: 'CREATE TABLE observability_x(id);' }));
  });

  it('passes for domains without an owner and for files with no owner at all', async () => {
    await expectPasses(rule, input({ path: 'apps/landing/migrations/0007.sql', sql: 'ALTER TABLE tenants ADD COLUMN x;' }));
    await expectPasses(rule, input({ path: 'apps/landing/migrations/0007.sql', sql: 'CREATE TABLE observability_x(id);', codeowners: null }));
  });

  it('fires when the landing folder (CODEOWNERS) creates and alters observability tables, naming both owners', async () => {
    const [r] = await expectFires(
      rule,
      input({ path: 'apps/landing/migrations/0007.sql', sql: '-- vista\nCREATE TABLE observability_a(id);\nCREATE INDEX ix ON observability_b(id);' }),
    );
    expect(r).toMatchObject({
      messageId: 'foreign',
      file: 'apps/landing/migrations/0007.sql',
      line: 2,
      data: { fileOwner: '@org/landing', domainOwner: '@org/platform', ownerSource: 'CODEOWNERS', domain: 'observability', tables: ['observability_a', 'observability_b'] },
    });
  });

  it('prefers safari.yml owners globs, then the database owner, over CODEOWNERS', async () => {
    const byGlob = input({ path: 'libs/engine/migrations/0081.sql', sql: 'CREATE TABLE observability_x(id);', config: { owners: { 'libs/engine/**': '@org/engine' } } });
    const [a] = await expectFires(rule, byGlob);
    expect(a.data).toMatchObject({ fileOwner: '@org/engine', ownerSource: 'safari.yml owners' });
    const byDb = input({ path: 'libs/engine/migrations/0081.sql', sql: 'CREATE TABLE observability_x(id);', config: { databases: { 'grove-engine-db': { owner: 'libs/engine' } } } });
    const [b] = await expectFires(rule, byDb);
    expect(b.data).toMatchObject({ fileOwner: 'libs/engine', ownerSource: 'safari.yml database owner' });
  });

  it("reads CODEOWNERS from the base branch: the PR cannot make itself the owner", async () => {
    const i = input({
      path: 'apps/landing/migrations/0007.sql',
      sql: 'CREATE TABLE observability_a(id);',
      headCodeowners: 'apps/landing/ @org/platform\n',
    });
    const [r] = await expectFires(rule, i);
    expect(r.data?.fileOwner).toBe('@org/landing');
  });

  it('names the rebuilt table, not the scratch table a rebuild renames into it', async () => {
    const sql = 'CREATE TABLE observability_b_new(id, at);\nINSERT INTO observability_b_new SELECT id, NULL FROM observability_b;\nDROP TABLE observability_b;\nALTER TABLE observability_b_new RENAME TO observability_b;';
    const [r] = await expectFires(rule, input({ path: 'apps/landing/migrations/0007.sql', sql }));
    expect(r.data?.tables).toEqual(['observability_b']);
  });

  it('asks for CODEOWNERS only when a domain has an owner and the PR changes a migration', async () => {
    const adding = await input({ path: 'apps/landing/migrations/0007.sql', sql: 'SELECT 1;' });
    expect(rule.needs!(adding)).toEqual({ base: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] });
    expect(rule.needs!(await input({ path: 'src/app.ts', sql: 'export {};' }))).toEqual({ base: [] });
  });
});
