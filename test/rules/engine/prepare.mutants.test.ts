// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the engine's
// other tests.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { prepareRuleInput } from '../../../src/rules/engine/prepare.js';
import type { CodeSearch, Rule, RuleContext } from '../../../src/rules/types.js';
import type { Tree } from '../../../src/source/types.js';
import { memoryTree } from '../../helpers/memory-tree.js';

const rule = (needs: Rule['needs']): Rule => ({
  meta: { id: 'fake-rule', defaultSeverity: 'warning', description: 'A rule for testing prepare.', messages: {}, identity: [] },
  needs,
  check: () => [],
});

const context: RuleContext = {
  databases: [],
  changes: [],
  touched: new Set(),
  conflicts: [],
  config: defaultConfig(),
  discovery: { databases: [], unattributed: [], notices: [] },
  headFiles: [],
  baseFiles: [],
  origin: 'local',
};

/** A code search that records what it was asked. */
function recordingSearch(calls: unknown[][]): () => CodeSearch {
  return () => ({
    references: async (names, options) => {
      calls.push([names, options]);
      return new Map(names.map((n) => [n, [{ file: 'src/a.ts', line: 1, text: n }]]));
    },
  });
}

/** A merge-base tree that answers `has` per path (as git's does) and records every lookup, `has` and `sizes` apart. */
function lookupTree(files: string[], lookups: string[][]): Tree {
  const tree = memoryTree(Object.fromEntries(files.map((f) => [f, 'SELECT 1;'])));
  return {
    ...tree,
    has: async (paths) => (lookups.push(['has', ...paths]), new Set(paths.filter((p) => files.includes(p)))),
    sizes: async (paths) => (lookups.push(['sizes', ...paths]), tree.sizes(paths)),
  };
}

const trees = () => ({ head: memoryTree({}), base: memoryTree({}) });

describe('prepare (mutation cases)', () => {
  it('searches tables alone when no rule asks for columns, and columns alone when none asks for tables', async () => {
    const tableCalls: unknown[][] = [];
    const onlyTables = await prepareRuleInput(context, { ...trees(), code: recordingSearch(tableCalls) }, [rule(() => ({ references: { tables: ['t'], limit: 2 } }))]);
    expect(tableCalls).toEqual([[['t'], { limit: 2 }]]);
    expect(onlyTables.references.tables.get('t')).toHaveLength(1);

    const columnCalls: unknown[][] = [];
    const onlyColumns = await prepareRuleInput(context, { ...trees(), code: recordingSearch(columnCalls) }, [rule(() => ({ references: { columns: ['t.c'], limit: 2 } }))]);
    expect(columnCalls).toEqual([[['t.c'], { limit: 2, column: true }]]);
    expect(onlyColumns.references.columns.get('t.c')).toHaveLength(1);
  });

  it('asks a tree that offers `has` per path, not for sizes, which of the wanted files the merge-base holds', async () => {
    const lookups: string[][] = [];
    const input = await prepareRuleInput(context, { ...trees(), mergeBase: lookupTree(['m/1.sql'], lookups), code: recordingSearch([]) }, [rule(() => ({ mergeBase: ['m/1.sql', 'm/2.sql'] }))]);
    expect(lookups).toEqual([['has', 'm/1.sql', 'm/2.sql']]);
    expect([...input.atMergeBase!]).toEqual([['m/1.sql', true], ['m/2.sql', false]]);
  });

  it('looks nothing up in the merge-base when no rule asks about it', async () => {
    const lookups: string[][] = [];
    const input = await prepareRuleInput(context, { ...trees(), mergeBase: lookupTree(['m/1.sql'], lookups), code: recordingSearch([]) }, [rule(() => ({ head: ['x'] }))]);
    expect(lookups).toEqual([]);
    expect(input.atMergeBase?.size).toBe(0);
  });
});
