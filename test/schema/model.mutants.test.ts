import { describe, expect, it } from 'vitest';
import { setEntry } from '../../src/schema/model.js';

describe('setEntry', () => {
  it('sets an ordinary own property, even named __proto__, that can be replaced and deleted', () => {
    const record: Record<string, number> = {};
    setEntry(record, '__proto__', 1);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(['__proto__']);
    record['__proto__'] = 2;
    expect(record['__proto__']).toBe(2);
    delete record['__proto__'];
    expect(Object.keys(record)).toEqual([]);
  });
});
