// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (discovery, sandboxed replay, diff, prepare).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/domain-violation.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const domains = {
  observability: { prefixes: ['observability_'], database: 'grove-observability-db' },
  curios: { prefixes: ['gallery_'], database: 'grove-curios-db' },
};
const REPO = {
  '.github/safari.yml': JSON.stringify({ domains }),
  'engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'vista/wrangler.toml': wranglerFor('grove-observability-db'),
  'curios/wrangler.toml': wranglerFor('grove-curios-db'),
  'engine/migrations/0001_core.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);\nCREATE TABLE counters(id, hits INTEGER);',
};

/** A PR adding `sql` to grove-engine-db, whose folder holds `base` on main besides 0001_core. */
const engine = (sql: string, base: Record<string, string> = {}) => prInput({ ...REPO, ...base }, { 'engine/migrations/0002_x.sql': sql });

describe('domain-violation (mutation cases)', () => {
  it('points at the CREATE TABLE of the table, not an earlier statement naming it or an earlier CREATE', async () => {
    const sql = 'CREATE TABLE feature_flags(id);\nDROP TABLE IF EXISTS observability_alerts;\nCREATE TABLE observability_alerts(id);';
    const [r] = await expectFires(rule, engine(sql));
    expect(r).toMatchObject({ messageId: 'created', table: 'observability_alerts', file: 'engine/migrations/0002_x.sql', line: 3 });
  });

  it('points at the table RENAME, not an earlier rename or a column renamed to the same name', async () => {
    const sql = 'ALTER TABLE tenants RENAME TO accounts;\nALTER TABLE counters RENAME COLUMN hits TO gallery_counters;\nALTER TABLE counters RENAME TO gallery_counters;';
    const [r] = await expectFires(rule, engine(sql));
    expect(r).toMatchObject({ messageId: 'renamed', table: 'gallery_counters', line: 3, data: { from: 'counters', table: 'gallery_counters', domain: 'curios' } });
  });

  it('does not call a rename inside a domain a move: the table was already misplaced on main', async () => {
    await expectPasses(rule, engine('ALTER TABLE gallery_old RENAME TO gallery_items;', { 'engine/migrations/0001b.sql': 'CREATE TABLE gallery_old(id);' }));
  });

  it('lists the misplaced tables on main in name order, without the ones the PR drops or the owner\'s own', async () => {
    const base = {
      'engine/migrations/0001b.sql': 'CREATE TABLE observability_logs(id);\nCREATE TABLE observability_gone(id);\nCREATE TABLE observability_spans(id);',
      'vista/migrations/0001_obs.sql': 'CREATE TABLE observability_traces(id);',
    };
    const pr = { 'engine/migrations/0002_x.sql': 'DROP TABLE observability_gone;', 'vista/migrations/0002_x.sql': 'CREATE TABLE observability_events(id);' };
    const input = await prInput({ ...REPO, ...base }, pr);
    // SQLite lists these tables out of name order: the rule sorts them.
    const names = Object.keys(input.databases.find((d) => d.spec.name === 'grove-engine-db')!.base.replay.schema.tables);
    expect(names.indexOf('observability_spans')).toBeLessThan(names.indexOf('observability_logs'));
    const reports = rule.check(input);
    expect(reports).toEqual([
      {
        messageId: 'already',
        data: { domain: 'observability', database: 'grove-engine-db', owner: 'grove-observability-db', count: 2, tables: ['observability_logs', 'observability_spans'] },
        database: 'grove-engine-db',
        preexisting: true,
      },
    ]);
  });
});
