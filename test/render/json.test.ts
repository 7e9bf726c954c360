import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import type { ReviewResult } from '../../src/result.js';
import type { SchemaDelta } from '../../src/schema/delta.js';
import { finding, sampleResult } from './sample-result.js';

const DELTA_KEYS = [
  'tablesAdded',
  'tablesDropped',
  'tablesRenamed',
  'tablesChanged',
  'viewsAdded',
  'viewsDropped',
  'viewsChanged',
  'triggersAdded',
  'triggersDropped',
  'triggersChanged',
];
const TABLE_KEYS = [
  'table',
  'columnsAdded',
  'columnsDropped',
  'columnsRenamed',
  'columnsChanged',
  'indexesAdded',
  'indexesDropped',
  'foreignKeysAdded',
  'foreignKeysDropped',
  'changes',
];

describe('renderJson', () => {
  it('writes the contract keys in the contract order, pretty-printed', () => {
    const text = renderJson(sampleResult());
    expect(text).toMatch(/^\{\n  "schemaVersion": 1,\n  "base": "a{40}",\n  "head": "b{40}",\n  "conclusion": "failure",/);
    expect(text.endsWith('}\n')).toBe(true);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'base', 'head', 'conclusion', 'databases', 'findings', 'unattributed', 'discovery', 'docsUrl']);
    expect(Object.keys(json.databases[0])).toEqual(['name', 'dialect', 'sources', 'base', 'head', 'delta', 'touched']);
    expect(Object.keys(json.databases[0].base)).toEqual(['ok', 'migrations', 'tables']);
    for (const db of json.databases) expect(Object.keys(db.delta)).toEqual(DELTA_KEYS);
    const engine = json.databases.find((db: { name: string }) => db.name === 'grove-engine-db');
    expect(Object.keys(engine.delta.tablesChanged[0])).toEqual(TABLE_KEYS);
    expect(Object.keys(json.findings[0]).slice(0, 6)).toEqual(['rule', 'severity', 'message', 'database', 'file', 'line']);
  });

  it('sorts databases and names, keeps sources in replay order, and fills missing arrays', () => {
    const result = sampleResult();
    const partialDelta = { tablesAdded: ['b', 'a', 'C'], tablesRenamed: [{ from: 'z', to: 'y' }, { from: 'm', to: 'n' }] };
    result.databases[0].delta = partialDelta as unknown as SchemaDelta;
    result.databases[0].delta.tablesChanged = [
      { table: 't2', columnsAdded: ['b', 'a'], columnsChanged: [{ column: 'z', changes: ['NOT NULL added', 'default removed'] }, { column: 'a', changes: ['x'] }] },
      { table: 't1' },
    ] as never;
    result.unattributed = ['z/migrations', 'a/migrations'];
    const json = JSON.parse(renderJson(result));
    expect(json.databases.map((db: { name: string }) => db.name)).toEqual(['grove-auth-db', 'grove-curios-db', 'grove-engine-db', 'grove-zeta-db']);
    const engine = json.databases[2];
    expect(engine.sources.map((s: { path: string }) => s.path)).toEqual(['libs/engine/migrations', 'apps/landing/migrations']);
    const zeta = json.databases[3];
    expect(Object.keys(zeta.delta)).toEqual(DELTA_KEYS);
    expect(zeta.delta.tablesAdded).toEqual(['C', 'a', 'b']);
    expect(zeta.delta.tablesRenamed).toEqual([{ from: 'm', to: 'n' }, { from: 'z', to: 'y' }]);
    expect(zeta.delta.viewsChanged).toEqual([]);
    expect(zeta.delta.tablesChanged.map((t: { table: string }) => t.table)).toEqual(['t1', 't2']);
    expect(Object.keys(zeta.delta.tablesChanged[0])).toEqual(TABLE_KEYS);
    expect(zeta.delta.tablesChanged[1].columnsAdded).toEqual(['a', 'b']);
    // Column names are sorted; the change strings of one column keep the diff's order.
    expect(zeta.delta.tablesChanged[1].columnsChanged).toEqual([
      { column: 'a', changes: ['x'] },
      { column: 'z', changes: ['NOT NULL added', 'default removed'] },
    ]);
    expect(json.unattributed).toEqual(['a/migrations', 'z/migrations']);
  });

  it('writes acknowledged only when set, and leaves out unset optional fields', () => {
    const result: ReviewResult = { ...sampleResult(), findings: [] };
    result.findings = [
      finding({ rule: 'table-budget', severity: 'warning', message: 'over', acknowledged: { reason: 'planned' } }),
      finding({ rule: 'double-prefix', severity: 'warning', message: 'auth_auth_tokens' }),
    ];
    const json = JSON.parse(renderJson(result));
    expect(json.findings[0].acknowledged).toEqual({ reason: 'planned' });
    expect('acknowledged' in json.findings[1]).toBe(false);
    expect('file' in json.findings[1]).toBe(false);
    expect(json.findings[1].preexisting).toBe(false);
  });

  it('is byte-identical for the same result however its keys were ordered', () => {
    const a = sampleResult();
    const shuffled = JSON.parse(JSON.stringify(a), function (this: unknown, _key, value) {
      if (value && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).reverse());
      return value;
    }) as ReviewResult;
    expect(renderJson(shuffled)).toBe(renderJson(a));
  });
});
