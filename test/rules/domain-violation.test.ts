import { describe, expect, it } from 'vitest';
import { safariConfig } from '../../src/config/schema.js';
import rule from '../../src/rules/domain-violation.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const config = safariConfig.parse({
  domains: {
    observability: { prefixes: ['observability_'], database: 'grove-observability-db', owner: '@org/platform' },
    curios: { prefixes: ['gallery_', 'pulse_'], tables: ['hit_counters'], database: 'grove-curios-db' },
  },
});

const ENGINE_BASE = { 'libs/engine/migrations/0001_core.sql': 'CREATE TABLE tenants(id TEXT PRIMARY KEY);' };

function engine(head: Record<string, string>, delta: object, extraBase: Record<string, string> = {}) {
  const base = { ...ENGINE_BASE, ...extraBase };
  const added = Object.keys(head).filter((p) => !(p in base));
  return makeRuleInput({
    databases: [{ name: 'grove-engine-db', base, head: { ...base, ...head }, delta }],
    changes: added.map((path) => ({ path, status: 'added' as const })),
    config,
  });
}

describe('domain-violation', () => {
  it('passes when a domain table is created in its own database', async () => {
    await expectPasses(
      rule,
      makeRuleInput({
        databases: [
          {
            name: 'grove-observability-db',
            base: {},
            head: { 'workers/vista/migrations/0001_obs.sql': 'CREATE TABLE observability_metrics(id INTEGER);' },
            delta: { tablesAdded: ['observability_metrics'] },
          },
        ],
        changes: [{ path: 'workers/vista/migrations/0001_obs.sql', status: 'added' }],
        config,
      }),
    );
  });

  it('passes for tables of no domain and when no domains are configured', async () => {
    await expectPasses(rule, engine({ 'libs/engine/migrations/0002_x.sql': 'CREATE TABLE feature_flags(id);' }, { tablesAdded: ['feature_flags'] }));
    const i = engine({ 'libs/engine/migrations/0002_x.sql': 'CREATE TABLE observability_alerts(id);' }, { tablesAdded: ['observability_alerts'] });
    i.config = { ...i.config, domains: {} };
    await expectPasses(rule, i);
  });

  it('fires when the PR creates an observability table in the engine db, naming both databases and the line', async () => {
    const [r] = await expectFires(
      rule,
      engine(
        { 'libs/engine/migrations/0002_alerts.sql': '-- alerts\n\nCREATE TABLE IF NOT EXISTS observability_alerts(id INTEGER);' },
        { tablesAdded: ['observability_alerts'] },
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
        { tablesAdded: ['hit_counters'], tablesRenamed: [{ from: 'counters', to: 'gallery_counters' }] },
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
    const reports = await rule.check(engine({ 'libs/engine/migrations/0081_flags.sql': 'CREATE TABLE feature_flags(id);' }, { tablesAdded: ['feature_flags'] }, base));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ messageId: 'already', preexisting: true, data: { count: 2, domain: 'observability' } });
  });

  it('says nothing about misplaced tables on main when the PR does not touch that database', async () => {
    const base = { 'libs/engine/migrations/0080_obs.sql': 'CREATE TABLE observability_metrics(id);' };
    const i = makeRuleInput({
      databases: [{ name: 'grove-engine-db', base, head: base }],
      changes: [{ path: 'src/app.ts', status: 'modified' }],
      config,
    });
    await expectPasses(rule, i);
  });
});
