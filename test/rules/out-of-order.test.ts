import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/out-of-order.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput, preparedInput, WRANGLER } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';

const input = migrationsInput;

const T0 = Date.UTC(2026, 0, 1);

/** A Drizzle project whose migrations (tag → journal `when` in ms) are `base` on main and `add` in the PR. */
const drizzle = (base: Array<[string, number]>, add: Array<[string, number]>) =>
  drizzleMigrationsInput(Object.fromEntries(base.map(([tag]) => [tag, sql])), Object.fromEntries(add.map(([tag]) => [tag, sql])), { when: Object.fromEntries([...base, ...add]) });

describe('out-of-order', () => {
  it('passes a number above main\'s newest', async () => {
    await expectPasses(rule, input({ 'm/083_a.sql': sql, 'm/084_b.sql': sql }, { 'm/085_c.sql': sql }));
  });

  it('fires (warning) for a number below main\'s newest', async () => {
    const [r] = await expectFires(rule, input({ 'm/083_a.sql': sql, 'm/085_b.sql': sql }, { 'm/084_c.sql': sql }));
    expect(r).toMatchObject({ messageId: 'lower', file: 'm/084_c.sql', data: { number: '084', latest: '085_b.sql', suggested: '086_c.sql' } });
    expect(r.severity).toBeUndefined();
  });

  it('does not blame the PR for main moving ahead when the PR adds nothing', async () => {
    const base = { 'm/083_a.sql': sql, 'm/086_main.sql': sql };
    await expectPasses(rule, input(base, { 'src/app.ts': 'export {};' }));
  });

  it('compares within a folder: landing 0001 is not out of order against engine 084', async () => {
    await expectPasses(rule, input({ 'engine/084_b.sql': sql, 'landing/0000_a.sql': sql }, { 'landing/0001_c.sql': sql }));
  });

  it('leaves equal numbers to duplicate-number', async () => {
    await expectPasses(rule, input({ 'm/085_b.sql': sql }, { 'm/085_c.sql': sql }));
  });

  it('is an error for a Drizzle entry dated before main\'s newest (the migrator skips it)', async () => {
    const [r] = await expectFires(rule, drizzle([['0000_a', T0], ['0001_b', T0 + 2000]], [['0002_c', T0 + 1000]]));
    expect(r).toMatchObject({ messageId: 'drizzleSkipped', severity: 'error', data: { name: '0002_c', latest: '0001_b', when: '2026-01-01T00:00:01Z' } });
  });

  it('passes a Drizzle entry dated after main\'s newest, whatever its number', async () => {
    await expectPasses(rule, drizzle([['0000_a', T0], ['0001_b', T0 + 2000]], [['0002_c', T0 + 3000]]));
  });

  // Mutation survivors (issue 11). Drizzle's migrator applies an entry only when it is newer than the last applied
  // one (`lastApplied < when`), so an equal timestamp is skipped too.
  it('is an error for a Drizzle entry dated exactly as main\'s newest', async () => {
    const [r] = await expectFires(rule, drizzle([['0000_a', T0], ['0001_b', T0 + 2000]], [['0002_c', T0 + 2000]]));
    expect(r).toMatchObject({ messageId: 'drizzleSkipped', severity: 'error' });
  });

  it('leaves a renamed migration to deleted-migration, even when its number sorts lower', async () => {
    const base = { 'm/083_a.sql': sql, 'm/085_b.sql': sql };
    const head = { 'm/083_a.sql': sql, 'm/084_b.sql': sql };
    const i = await input(base, { 'm/085_b.sql': null, 'm/084_b.sql': head['m/084_b.sql'] });
    expect(i.changes).toEqual([{ path: 'm/084_b.sql', oldPath: 'm/085_b.sql', status: 'renamed' }]);
    await expectPasses(rule, i);
  });

  it('is an error for a lower-numbered Drizzle file without a journal entry', async () => {
    // A folder without a journal (a file missing from an existing journal never runs, so it is no migration at all).
    const i = await drizzleMigrationsInput({ '0000_a': sql, '0002_b': sql }, { '0001_c': sql }, { journal: false });
    expect(i.databases[0].spec.sources[0].applier).toBe('drizzle');
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'lower', severity: 'error', file: 'drizzle/0001_c.sql' });
  });

  // Through the real prepare step: numbering, folder order and the base/head split as a review computes them.
  it('fires for a lower number in a PR reviewed end to end, and passes a higher one', async () => {
    const base = { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql, 'migrations/0003_c.sql': sql };
    const [r] = await expectFires(rule, await preparedInput({ base, pr: { 'migrations/0002_b.sql': sql } }));
    expect(r).toMatchObject({ messageId: 'lower', file: 'migrations/0002_b.sql', data: { latest: '0003_c.sql', suggested: '0004_b.sql' } });
    await expectPasses(rule, await preparedInput({ base, pr: { 'migrations/0004_d.sql': sql } }));
  });
});
