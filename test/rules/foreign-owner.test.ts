import { describe, expect, it } from 'vitest';
import { safariConfig } from '../../src/config/schema.js';
import rule from '../../src/rules/foreign-owner.js';
import { codeownersOf, parseCodeowners } from '../../src/rules/shared/code-owners.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const domains = {
  observability: { prefixes: ['observability_'], database: 'grove-engine-db', owner: '@org/platform' },
  core: { tables: ['tenants'], database: 'grove-engine-db' },
};
const CODEOWNERS = '# owners\n*.sql @org/dba\napps/landing/ @org/landing\nlibs/engine/ @org/engine @org/platform\n';

const BASE = { 'libs/engine/migrations/0001.sql': 'CREATE TABLE tenants(id); CREATE TABLE observability_b(id);' };

function input(opts: { path: string; sql: string; config?: object; codeowners?: string | null; headCodeowners?: string; status?: 'added' | 'modified' }) {
  return makeRuleInput({
    databases: [{ name: 'grove-engine-db', base: BASE, head: { ...BASE, [opts.path]: opts.sql } }],
    changes: [{ path: opts.path, status: opts.status ?? 'added' }],
    config: safariConfig.parse({ domains, ...opts.config }),
    baseFiles: opts.codeowners === null ? {} : { '.github/CODEOWNERS': opts.codeowners ?? CODEOWNERS },
    headFiles: opts.headCodeowners ? { '.github/CODEOWNERS': opts.headCodeowners } : {},
  });
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
});
