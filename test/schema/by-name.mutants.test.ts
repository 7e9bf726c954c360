import { describe, expect, it } from 'vitest';
import { byName } from '../../src/schema/by-name.js';

describe('byName', () => {
  it('orders by code unit and gives 0 for equal names', () => {
    expect(byName('a', 'b')).toBe(-1);
    expect(byName('b', 'a')).toBe(1);
    expect(byName('a', 'a')).toBe(0);
    expect(['b', 'a', 'B', 'é'].sort(byName)).toEqual(['B', 'a', 'b', 'é']);
  });
});
