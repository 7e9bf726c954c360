import { describe, expect, it } from 'vitest';
import { BaseCache, baseCacheKey } from '../../src/replay/base-cache.js';
import type { ReplayResult } from '../../src/replay/types.js';

const result: ReplayResult = {
  schema: { tables: {}, views: {}, triggers: {} },
  ok: true,
  failures: [],
  compatibility: [],
  renames: [],
  migrations: 0,
  statements: 0,
};
const entry = (bytes: number) => ({ database: 'x'.repeat(bytes), result });

describe('baseCacheKey', () => {
  const files = [
    { path: 'm/0001.sql', applier: 'wrangler' as const, content: 'CREATE TABLE a (x);' },
    { path: 'm/0002.sql', applier: 'wrangler' as const, content: 'CREATE TABLE b (x);' },
  ];
  it('changes with the dialect, a path, an applier, a content or the order', () => {
    const keys = new Set([
      baseCacheKey('d1', files),
      baseCacheKey('sqlite', files),
      baseCacheKey('d1', [files[1], files[0]]),
      baseCacheKey('d1', [{ ...files[0], path: 'm/0001_a.sql' }, files[1]]),
      baseCacheKey('d1', [{ ...files[0], applier: 'drizzle' }, files[1]]),
      baseCacheKey('d1', [{ ...files[0], content: 'CREATE TABLE a (y);' }, files[1]]),
      // Moving text between files must not collide either.
      baseCacheKey('d1', [{ ...files[0], content: 'CREATE TABLE a (x);C' }, { ...files[1], content: 'REATE TABLE b (x);' }]),
    ]);
    expect(keys.size).toBe(7);
    expect(baseCacheKey('d1', files.map((f) => ({ ...f })))).toBe(baseCacheKey('d1', files));
  });
});

describe('BaseCache', () => {
  it('evicts the least recently used entries once over budget', () => {
    const cache = new BaseCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', entry(40));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.totalBytes).toBe(80);
  });

  it('never keeps an entry larger than the whole budget, and replaces an entry under the same key', () => {
    const cache = new BaseCache(100);
    cache.set('big', entry(101));
    expect(cache.size).toBe(0);
    cache.set('a', entry(10));
    cache.set('a', entry(30));
    expect(cache.totalBytes).toBe(30);
    expect(cache.size).toBe(1);
  });
});
