import { describe, expect, it } from 'vitest';
import { limitTree, ReadBudget } from '../../src/source/limited-tree.js';
import { memoryTree } from '../helpers/memory-tree.js';

describe('limitTree', () => {
  it('never reads a file over the per-file cap, and records it once', async () => {
    const tree = memoryTree({ 'big.sql': 'x'.repeat(101), 'small.sql': 'ok' });
    const told: string[] = [];
    const budget = new ReadBudget(100, 1000, (r) => told.push(`${r.reason} ${r.path}`));
    const limited = limitTree(tree, budget);
    expect(Object.fromEntries(await limited.read(['big.sql', 'small.sql', 'nope.sql']))).toEqual({ 'big.sql': undefined, 'small.sql': 'ok', 'nope.sql': undefined });
    await limited.read(['big.sql']);
    expect(tree.reads.flat()).not.toContain('big.sql');
    expect(told).toEqual(['file big.sql']);
    expect(budget.refusals).toEqual([{ path: 'big.sql', bytes: 101, limit: 100, reason: 'file' }]);
  });

  it("stops reading once the review's byte budget is spent, counting a file read twice (base and head) once", async () => {
    const tree = memoryTree({ a: 'x'.repeat(60), b: 'y'.repeat(30), c: 'z'.repeat(30) });
    const budget = new ReadBudget(100, 100);
    const base = limitTree(tree, budget);
    const head = limitTree(tree, budget);
    expect((await base.read(['a'])).get('a')).toHaveLength(60);
    expect((await head.read(['a', 'b'])).get('b')).toHaveLength(30);
    expect((await head.read(['c'])).get('c')).toBeUndefined();
    expect(budget.spent).toBe(90);
    expect(budget.refusals).toEqual([{ path: 'c', bytes: 30, limit: 100, reason: 'budget' }]);
  });
});
