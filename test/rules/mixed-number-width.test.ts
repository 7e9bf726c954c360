import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/mixed-number-width.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';

const input = migrationsInput;

const engine = { 'm/083_a.sql': sql, 'm/084_b.sql': sql };

describe('mixed-number-width', () => {
  it('passes a file in the folder width', async () => {
    await expectPasses(rule, input(engine, { 'm/085_c.sql': sql }));
  });

  it('fires for a 4-digit file in a 3-digit folder, with the renamed suggestion', async () => {
    const [r] = await expectFires(rule, input(engine, { 'm/0085_c.sql': sql }));
    expect(r).toMatchObject({ messageId: 'padded', file: 'm/0085_c.sql', data: { number: '0085', width: 3, example: '084_b.sql', suggested: '085_c.sql' } });
  });

  it('fires for a number shorter than the convention', async () => {
    const [r] = await expectFires(rule, input(engine, { 'm/85_c.sql': sql }));
    expect(r.data).toMatchObject({ suggested: '085_c.sql' });
  });

  it('follows the newest files of a folder that switched widths (groveauth: 001…009 then 0001…0010)', async () => {
    const auth: Record<string, string> = {};
    for (let n = 1; n <= 9; n++) auth[`auth/00${n}_legacy.sql`] = sql;
    Object.assign(auth, { 'auth/0001_ba.sql': sql, 'auth/0002_passkey.sql': sql, 'auth/0010_cleanup.sql': sql });
    await expectPasses(rule, input(auth, { 'auth/0011_next.sql': sql }));
    const [r] = await expectFires(rule, input(auth, { 'auth/011_next.sql': sql }));
    expect(r.data).toMatchObject({ width: 4, suggested: '0011_next.sql' });
  });

  it('lets a padded number outgrow its width naturally (999 → 1000)', async () => {
    await expectPasses(rule, input({ 'm/998_a.sql': sql, 'm/999_b.sql': sql }, { 'm/1000_c.sql': sql }));
  });

  it('fires for zero padding in a folder that writes plain numbers', async () => {
    const [r] = await expectFires(rule, input({ 'm/1_a.sql': sql, 'm/2_b.sql': sql }, { 'm/03_c.sql': sql }));
    expect(r).toMatchObject({ messageId: 'plain', data: { suggested: '3_c.sql' } });
  });

  it('ignores widths already mixed on main and files the PR did not add', async () => {
    const base = { 'auth/001_a.sql': sql, 'auth/0002_b.sql': sql };
    await expectPasses(rule, migrationsInput(base, { 'auth/001_a.sql': 'SELECT 2;' }));
  });

  it('does not judge a brand-new folder or Drizzle-named files', async () => {
    await expectPasses(rule, input({}, { 'new/0001_a.sql': sql }));
    await expectPasses(rule, drizzleMigrationsInput({ '0000_a': sql }, { '00001_b': sql }));
  });

  it('judges a file by its own folder when a database has two (3-digit and 4-digit)', async () => {
    const two = { 'a/001_x.sql': sql, 'a/002_y.sql': sql, 'b/0001_z.sql': sql, 'b/0002_w.sql': sql };
    const both = await input(two, { 'a/003_q.sql': sql, 'b/0003_q.sql': sql });
    expect(both.databases).toHaveLength(1);
    expect(both.databases[0].head.files.map((f) => f.source).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    await expectPasses(rule, both);
    const [r] = await expectFires(rule, await input(two, { 'b/003_q.sql': sql }));
    expect(r.data).toMatchObject({ folder: 'b', width: 4, suggested: '0003_q.sql' });
  });

  it('leaves an unnumbered file to the numbering rules', async () => {
    await expectPasses(rule, input(engine, { 'm/seed.sql': sql }));
  });
});
