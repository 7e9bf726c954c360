import { describe, expect, it } from 'vitest';
import { capLines, generateCommand } from '../../src/drizzle/rule-helpers.js';
import type { DrizzleFolderAnalysis } from '../../src/drizzle/types.js';

describe('rule helpers', () => {
  it('caps detail lines with a count of the rest, and never hands back the caller\'s array', () => {
    const lines = ['a', 'b', 'c'];
    const capped = capLines(lines, 5);
    capped.push('d');
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(capLines(['1', '2', '3', '4'], 2)).toEqual(['1', '2', '… and 2 more']);
  });

  it('adds --config only when the config is not drizzle-kit\'s default at the root', () => {
    const folder = (configFile?: string) => ({ configFile }) as DrizzleFolderAnalysis;
    expect(generateCommand(folder('drizzle.config.ts'))).toBe('npx drizzle-kit generate');
    expect(generateCommand(folder(undefined))).toBe('npx drizzle-kit generate');
    expect(generateCommand(folder('packages/db/drizzle.config.ts'))).toBe('npx drizzle-kit generate --config packages/db/drizzle.config.ts');
  });
});
