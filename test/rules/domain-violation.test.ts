import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/domain-violation.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, wranglerFor } from '../helpers/prepared-input.js';

const domains = {
  observability: { prefixes: ['observability_'], database: 'grove-observability-db', owner: '@org/platform' },
  curios: { prefixes: ['gallery_', 'pulse_'], tables: ['hit_counters'], database: 'grove-curios-db' },
};
const REPO = {
  '.github/safari.yml': JSON.stringify({ domains }),
  'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'),
  'workers/vista/wrangler.toml': wranglerFor('grove-observability-db'),
  'curios/wrangler.toml': wranglerFor('grove-curios-db'),
};

const ENGINE_BASE = { 'libs/engine/migrations/0001_core.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);' };

/** A PR adding `head` to grove-engine-db, whose folder holds ENGINE_BASE and `extraBase` on main. */
const engine = (head: Record<string, string>, extraBase: Record<string, string> = {}) => prInput({ ...REPO, ...ENGINE_BASE, ...extraBase }, head);

describe('domain-violation', () => {
  it('passes when a domain table is created in its own database', async () => {
    await expectPasses(rule, prInput(REPO, { 'workers/vista/migrations/0001_obs.sql': 'CREATE TABLE observability_metrics(id INTEGER);' }));
  });

  it('passes for tables of no domain and when no domains are configured', async () => {
    await expectPasses(rule, engine({ 'libs/engine/migrations/0002_x.sql': 'CREATE TABLE feature_flags(id);' }));
    const i = await engine({ 'libs/engine/migrations/0002_x.sql': 'CREATE TABLE observability_alerts(id);' });
    i.config = { ...i.config, domains: {} };
    await expectPasses(rule, i);
  });

  it('fires when the PR creates an observability table in the engine db, naming both databases and the line', async () => {
    const [r] = await expectFires(
      rule,
      engine(
        { 'libs/engine/migrations/0002_alerts.sql': '-- alerts\n\nCREATE TABLE IF NOT EXISTS observability_alerts(id INTEGER);' },
      ),
    );
    expect(r).toMatchObject({
      messageId: 'created',
      table: 'observability_alerts',
      database: 'grove-engine-db',
      file: 'libs/engine/migrations/0002_alerts.sql',
      line: 3,
      data: { domain: 'observability', owner: 'grove-observability-db' },
    });
  });

  it('fires for a table listed by name, and for a rename that moves a table into a domain', async () => {
    const reports = await expectFires(
      rule,
      engine(
        { 'libs/engine/migrations/0002_x.sql': 'CREATE TABLE hit_counters(id);\nALTER TABLE counters RENAME TO gallery_counters;' },
        { 'libs/engine/migrations/0001b.sql': 'CREATE TABLE counters(id);' },
      ),
    );
    expect(reports.map((r) => [r.messageId, r.table, r.line])).toEqual([
      ['created', 'hit_counters', 1],
      ['renamed', 'gallery_counters', 2],
    ]);
  });

  it('lists misplaced tables already on main as one preexisting notice per domain, never as the PR’s error', async () => {
    const base = { 'libs/engine/migrations/0080_obs.sql': 'CREATE TABLE observability_metrics(id);\nCREATE TABLE observability_alerts(id);' };
    const reports = rule.check(await engine({ 'libs/engine/migrations/0081_flags.sql': 'CREATE TABLE feature_flags(id);' }, base));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ messageId: 'already', preexisting: true, data: { count: 2, domain: 'observability' } });
  });

  it('says nothing about misplaced tables on main when the PR does not touch that database', async () => {
    const base = { 'libs/engine/migrations/0080_obs.sql': 'CREATE TABLE observability_metrics(id);' };
    const i = await prInput({ ...REPO, ...base }, { 'src/app.ts': 'export {};' });
    await expectPasses(rule, i);
  });
});
