import { describe, expect, it } from 'vitest';
import { BaseCache, baseCacheKey, prefixKeys, type CachedBase } from '../../src/replay/base-cache.js';
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
const entry = (bytes: number): CachedBase => ({ database: 'x'.repeat(bytes), result });

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

// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the cases
// above (the sandbox's cache test is too slow for the mutation run's test set).
/** A cache of `maxBytes` that records what it tells `onEvict`, by key. */
function recordingCache(maxBytes: number) {
  const evicted: string[] = [];
  const cache = new BaseCache(maxBytes, (key) => evicted.push(key));
  return { cache, evicted };
}

describe('prefixKeys and baseCacheKey (mutation cases)', () => {
  const files = ['a', 'b', 'c'].map((t) => ({ path: `m/${t}.sql`, applier: 'wrangler' as const, content: `CREATE TABLE ${t} (x);` }));

  it('gives the empty history one key, equal on every call (the cache looks keys up by value)', () => {
    const cache = new BaseCache(100);
    cache.set(baseCacheKey('d1', []), entry(1));
    expect(cache.get(baseCacheKey('d1', []))).toBeDefined();
    expect(baseCacheKey('d1', [])).toBe(prefixKeys('d1', files)[0]);
  });

  it('reuses shared keys of a longer or a shorter list with the same first files', () => {
    const all = prefixKeys('d1', files);
    expect(all).toHaveLength(4);
    // A shorter list given the longer list's keys: only its own prefixes.
    expect(prefixKeys('d1', files.slice(0, 1), all)).toEqual(prefixKeys('d1', files.slice(0, 1)));
    expect(prefixKeys('d1', [], all)).toEqual([baseCacheKey('d1', [])]);
    // A longer list given the keys of its first file: the rest computed on.
    expect(prefixKeys('d1', files, all.slice(0, 2))).toEqual(all);
  });
});

describe('BaseCache (mutation cases)', () => {
  it('counts an entry with neither bytes nor a database as empty', () => {
    const cache = new BaseCache(10);
    cache.set('a', { result });
    expect(cache.size).toBe(1);
    expect(cache.totalBytes).toBe(0);
  });

  it('peeks without making the entry the most recently used', () => {
    const cache = new BaseCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    expect(cache.peek('a')).toEqual(entry(40));
    expect(cache.peek('missing')).toBeUndefined();
    cache.set('c', entry(40)); // a is still the least recently used
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBeDefined();
  });

  it('leaves the cache as it was when getting a missing key', () => {
    const cache = new BaseCache(100);
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('tells onEvict of every entry it drops: the least recently used, a replaced one, one over the whole budget', () => {
    const { cache, evicted } = recordingCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(40));
    cache.set('c', entry(40));
    expect(evicted).toEqual(['a']);
    cache.set('b', entry(10)); // replaced: the old database is freed
    expect(evicted).toEqual(['a', 'b']);
    expect(cache.totalBytes).toBe(50);
    cache.set('big', entry(101)); // never stored, and the others stay
    expect(evicted).toEqual(['a', 'b', 'big']);
    expect(cache.size).toBe(2);
    expect(cache.peek('c')).toBeDefined();
  });

  it('keeps entries that fill the budget exactly, and an entry of the whole budget alone', () => {
    const { cache, evicted } = recordingCache(100);
    cache.set('a', entry(40));
    cache.set('b', entry(60));
    expect([cache.size, cache.totalBytes, evicted]).toEqual([2, 100, []]);
    cache.set('all', entry(100));
    expect([cache.size, cache.totalBytes, evicted]).toEqual([1, 100, ['a', 'b']]);
    expect(cache.peek('all')).toBeDefined();
  });

  it('drops the entries deleteWhere names, without telling onEvict', () => {
    const { cache, evicted } = recordingCache(100);
    cache.set('a', entry(10));
    cache.set('b', entry(20));
    cache.set('c', entry(30));
    cache.deleteWhere((e) => e.database!.length !== 20);
    expect(evicted).toEqual([]);
    expect([cache.size, cache.totalBytes]).toEqual([1, 20]);
    expect(cache.peek('b')).toBeDefined();
  });
});
