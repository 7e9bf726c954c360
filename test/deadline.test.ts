import { describe, expect, it } from 'vitest';
import { Deadline } from '../src/deadline.js';

describe('Deadline', () => {
  it('counts down on the clock it is given', () => {
    let now = 1000;
    const d = new Deadline(500, () => now);
    expect([d.remaining(), d.expired]).toEqual([500, false]);
    now = 1600;
    expect([d.remaining(), d.expired]).toEqual([0, true]);
  });

  it('answers for work that outlives it, and lets work that finishes in time through', async () => {
    const never = new Promise<string>(() => {});
    expect(await new Deadline(10).race(never, () => 'late')).toBe('late');
    expect(await new Deadline(10_000).race(Promise.resolve('done'), () => 'late')).toBe('done');
    expect(await new Deadline(0).race(Promise.resolve('done'), () => 'late')).toBe('late');
  });
});
