import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { collectNeeds, prepareRuleInput } from '../../../src/rules/engine/prepare.js';
import type { CodeSearch, Rule, RuleContext } from '../../../src/rules/types.js';
import type { Tree } from '../../../src/source/types.js';
import { memoryTree } from '../../helpers/memory-tree.js';

const meta = (id: string): Rule['meta'] => ({ id, defaultSeverity: 'warning', description: 'A rule for testing prepare.', messages: {}, identity: [] });
const rule = (id: string, needs: Rule['needs']): Rule => ({ meta: meta(id), needs, check: () => [] });

const context = (rules: Record<string, 'off'> = {}): RuleContext => ({
  databases: [],
  changes: [],
  touched: new Set(),
  conflicts: [],
  config: { ...defaultConfig(), rules },
  discovery: { databases: [], unattributed: [], notices: [] },
  headFiles: [],
  baseFiles: [],
  origin: 'local',
});

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

describe('prepare', () => {
  it('merges the enabled rules\' needs, without repeats, skipping rules that are off or whose needs throw', () => {
    const rules = [
      rule('a', () => ({ head: ['x', 'y'], references: { tables: ['t'], limit: 3 } })),
      rule('b', () => ({ head: ['y'], base: ['CODEOWNERS'], references: { columns: ['t.c'], limit: 5 }, mergeBase: ['m/1.sql'] })),
      rule('c', () => ({ head: ['off-only'] })),
      rule('d', () => {
        throw new Error('boom');
      }),
    ];
    expect(collectNeeds(context({ c: 'off' }), rules)).toEqual({
      head: ['x', 'y'],
      base: ['CODEOWNERS'],
      references: { tables: ['t'], columns: ['t.c'], limit: 5 },
      mergeBase: ['m/1.sql'],
    });
  });

  it('reads only what the rules declared, in one batch per tree, and searches tables and columns apart', async () => {
    const head = memoryTree({ x: 'head x', other: 'never read' });
    const base = memoryTree({ x: 'base x' });
    const mergeBase = memoryTree({ 'm/1.sql': 'SELECT 1;' });
    const calls: unknown[][] = [];
    const rules = [rule('a', () => ({ head: ['x', 'gone'], base: ['x'], references: { tables: ['t'], columns: ['t.c'], limit: 5 }, mergeBase: ['m/1.sql', 'm/2.sql'] }))];
    const input = await prepareRuleInput(context(), { head, base, mergeBase, code: recordingSearch(calls) }, rules);
    expect(head.reads).toEqual([['x', 'gone']]);
    expect([...input.headTexts]).toEqual([['x', 'head x'], ['gone', undefined]]);
    expect(input.baseTexts.get('x')).toBe('base x');
    expect(calls).toEqual([[['t'], { limit: 5 }], [['t.c'], { limit: 5, column: true }]]);
    expect(input.references.tables.get('t')).toHaveLength(1);
    expect(input.references.columns.get('t.c')).toHaveLength(1);
    expect([...input.atMergeBase!]).toEqual([['m/1.sql', true], ['m/2.sql', false]]);
  });

  it('reads nothing and makes no code search when no rule needs anything; no merge-base, no claim about it', async () => {
    const head = memoryTree({ x: '1' });
    const base = memoryTree({ x: '1' });
    let searches = 0;
    const input = await prepareRuleInput(context(), { head, base, code: () => (searches++, recordingSearch([])()) }, [rule('a', () => ({ mergeBase: ['m/1.sql'] }))]);
    expect([head.reads, base.reads, searches]).toEqual([[], [], 0]);
    expect(input.atMergeBase).toBeUndefined();
  });
});

// Cases found by mutation testing (`npm run mutation`, issue 11).
describe('prepare (mutation cases)', () => {
  it('searches tables alone when no rule asks for columns, and columns alone when none asks for tables', async () => {
    const tableCalls: unknown[][] = [];
    const onlyTables = await prepareRuleInput(context(), { ...trees(), code: recordingSearch(tableCalls) }, [rule('a', () => ({ references: { tables: ['t'], limit: 2 } }))]);
    expect(tableCalls).toEqual([[['t'], { limit: 2 }]]);
    expect(onlyTables.references.tables.get('t')).toHaveLength(1);

    const columnCalls: unknown[][] = [];
    const onlyColumns = await prepareRuleInput(context(), { ...trees(), code: recordingSearch(columnCalls) }, [rule('a', () => ({ references: { columns: ['t.c'], limit: 2 } }))]);
    expect(columnCalls).toEqual([[['t.c'], { limit: 2, column: true }]]);
    expect(onlyColumns.references.columns.get('t.c')).toHaveLength(1);
  });

  it('asks a tree that offers `has` per path, not for sizes, which of the wanted files the merge-base holds', async () => {
    const lookups: string[][] = [];
    const input = await prepareRuleInput(context(), { ...trees(), mergeBase: lookupTree(['m/1.sql'], lookups), code: recordingSearch([]) }, [rule('a', () => ({ mergeBase: ['m/1.sql', 'm/2.sql'] }))]);
    expect(lookups).toEqual([['has', 'm/1.sql', 'm/2.sql']]);
    expect([...input.atMergeBase!]).toEqual([['m/1.sql', true], ['m/2.sql', false]]);
  });

  it('looks nothing up in the merge-base when no rule asks about it', async () => {
    const lookups: string[][] = [];
    const input = await prepareRuleInput(context(), { ...trees(), mergeBase: lookupTree(['m/1.sql'], lookups), code: recordingSearch([]) }, [rule('a', () => ({ head: ['x'] }))]);
    expect(lookups).toEqual([]);
    expect(input.atMergeBase?.size).toBe(0);
  });
});
