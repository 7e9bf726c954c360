// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of the registry.
import { describe, expect, it } from 'vitest';
import { ruleIds, rules } from '../../src/rules/registry.js';

describe('registry (mutation cases)', () => {
  it('lists every rule id once, in alphabetical order (config validation checks names against it)', () => {
    const ids = ruleIds();
    expect(ids).toHaveLength(rules.length);
    expect(ids[0]).toBe('add-column-on-populated-table');
    expect(ids.at(-1)).toBe('unknown-domain');
    expect(ids).toEqual(rules.map((r) => r.meta.id).sort());
  });
});
