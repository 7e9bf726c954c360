// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/foreign-owner.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const domains = { observability: { prefixes: ['observability_'], database: 'grove-engine-db', owner: '@org/platform' } };
const BASE = {
  '.github/safari.yml': JSON.stringify({ domains }),
  '.github/CODEOWNERS': 'apps/landing/ @org/landing @org/web\n',
  'apps/landing/wrangler.toml': wranglerFor('grove-engine-db'),
  'apps/landing/migrations/0001.sql': 'CREATE TABLE tenants(id); CREATE TABLE observability_b(id);',
  'pantry/wrangler.toml': wranglerFor('grove-pantry-db'),
  'pantry/migrations/0001.sql': 'CREATE TABLE shelves(id);',
};
const FILE = 'apps/landing/migrations/0007.sql';
const input = (sql: string) => prInput(BASE, { [FILE]: sql });

describe('foreign-owner (mutation cases)', () => {
  it('asks for CODEOWNERS when the PR changes a migration of one database and not of another', async () => {
    expect(rule.needs!(await input('SELECT 1;'))).toEqual({ base: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] });
  });

  it('names every owner of the file, the first table as the finding\'s table, and both names of a rename', async () => {
    const [r] = await expectFires(rule, input('ALTER TABLE tenants RENAME TO observability_t;\nALTER TABLE observability_b RENAME TO observability_c;'));
    expect(r).toMatchObject({
      file: FILE,
      line: 1,
      table: 'observability_t',
      data: { fileOwner: '@org/landing @org/web', tables: ['observability_t', 'observability_b', 'observability_c'] },
    });
  });

  it('does not count rows inserted into a domain\'s table, nor tables no domain claims', async () => {
    await expectPasses(rule, input('INSERT INTO observability_b VALUES (1);\nCREATE TABLE misc(id);'));
  });
});
