// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/cross-database-duplicate.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput } from '../helpers/prepared-input.js';

const safari = (databases: Record<string, string[]>) =>
  JSON.stringify({ databases: Object.fromEntries(Object.entries(databases).map(([name, migrations]) => [name, { migrations }])) });

describe('cross-database-duplicate (mutation cases)', () => {
  it('does not compare databases that share one of their folders, whichever has more folders', async () => {
    const base = {
      '.github/safari.yml': safari({ zeta: ['shared'], alpha: ['shared', 'extra'] }),
      'shared/0001.sql': 'CREATE TABLE users (id);',
      'extra/0001.sql': 'CREATE TABLE audit (id);',
    };
    const input = await prInput(base, { 'shared/0002.sql': 'CREATE TABLE tags (id);' });
    const added = (name: string) => input.databases.find((d) => d.spec.name === name)?.delta.tablesAdded;
    expect([added('alpha'), added('zeta')]).toEqual([['tags'], ['tags']]);
    await expectPasses(rule, input);
  });

  it('points at the CREATE of the duplicate (not an earlier DROP), or at the RENAME TABLE that gives it its name', async () => {
    const base = {
      '.github/safari.yml': safari({ auth: ['auth'], app: ['app'] }),
      'auth/0001.sql': 'CREATE TABLE users (id);\nCREATE TABLE sessions (id);',
      'app/0001.sql': 'CREATE TABLE posts (id);',
    };
    const pr = {
      'app/0002.sql': 'CREATE TABLE tags (id);\nDROP TABLE IF EXISTS Users;\nCREATE TABLE Users (id);',
      'app/0003.sql':
        'ALTER TABLE posts RENAME TO articles;\nALTER TABLE articles RENAME COLUMN id TO sessions;\nCREATE TABLE tmp (id);\nALTER TABLE tmp RENAME TO sessions;',
    };
    const reports = await expectFires(rule, prInput(base, pr));
    expect(reports.map((r) => [r.table, r.file, r.line])).toEqual([
      ['Users', 'app/0002.sql', 3],
      ['sessions', 'app/0003.sql', 4],
    ]);
  });
});
