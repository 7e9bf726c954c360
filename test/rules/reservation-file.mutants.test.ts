// Behaviours of reservation-file that its mutation run (issue 11 §4) showed untested: which migrations make a PR
// answer for the file, where the file is looked up, a PR that creates it, and which folder's numbers it is held to.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/reservation-file.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput, prInput, WRANGLER } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';
const NEXT = 'NEXT_MIGRATION_NUMBER.txt';

describe('reservation-file: which migrations and which file', () => {
  it('does not blame a PR that adds only an unnumbered file for a reservation file main left behind', async () => {
    const base = { 'm/083_a.sql': sql, 'm/084_b.sql': sql };
    await expectPasses(rule, migrationsInput(base, { 'm/seed.sql': sql }, { files: { [`m/${NEXT}`]: '080\n' } }));
  });

  it('reads the file at the root for migrations at the root (migrations_dir = ".")', async () => {
    const repo = { 'wrangler.toml': `${WRANGLER}migrations_dir = "."\n`, '0001_a.sql': sql, [NEXT]: '0002\n' };
    const [r] = await expectFires(rule, prInput(repo, { '0002_b.sql': sql }));
    expect(r).toMatchObject({ messageId: 'stale', file: NEXT, line: 1, data: { folder: '', value: '0002', expected: '0003' } });
  });

  it('reads a configured name with a slash as a path from the repository root, not inside the folder', async () => {
    const files = { '.github/safari.yml': 'reservationFile: db/NEXT\n', 'db/NEXT': '085\n', [`m/${NEXT}`]: '086\n' };
    const [r] = await expectFires(rule, migrationsInput({ 'm/083_a.sql': sql, 'm/084_b.sql': sql }, { 'm/085_c.sql': sql }, { files }));
    expect(r).toMatchObject({ messageId: 'stale', file: 'db/NEXT', data: { folder: 'm', value: '085', expected: '086' } });
  });

  it('holds a reservation file the PR creates to highest + 1', async () => {
    const base = { 'm/083_a.sql': sql, 'm/084_b.sql': sql };
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/085_c.sql': sql, [`m/${NEXT}`]: '085\n' }));
    expect(r).toMatchObject({ messageId: 'stale', file: `m/${NEXT}`, data: { value: '085', expected: '086' } });
    await expectPasses(rule, migrationsInput(base, { 'm/085_c.sql': sql, [`m/${NEXT}`]: '086\n' }));
  });
});

describe('reservation-file: the folder\'s own numbers', () => {
  // One database fed by two folders: `n/` is ahead of `m/` and writes four digits.
  const base = { 'm/083_a.sql': sql, 'm/084_b.sql': sql, 'n/0100_x.sql': sql };

  it('compares with the highest number of the file\'s folder, not of the database, in that folder\'s width', async () => {
    await expectPasses(rule, migrationsInput(base, { 'm/085_c.sql': sql, [`m/${NEXT}`]: '086\n' }, { files: { [`m/${NEXT}`]: '085\n' } }));
    const [r] = await expectFires(rule, migrationsInput(base, { 'm/085_c.sql': sql }, { files: { [`m/${NEXT}`]: '085\n' } }));
    expect(r).toMatchObject({ messageId: 'stale', file: `m/${NEXT}`, data: { folder: 'm', highest: '085', latest: '085_c.sql', expected: '086' } });
  });

  it('keeps main\'s way of writing numbers when the PR names its migration differently', async () => {
    const plain = { 'm/83_a.sql': sql, 'm/84_b.sql': sql };
    const [r] = await expectFires(rule, migrationsInput(plain, { 'm/085_c.sql': sql }, { files: { [`m/${NEXT}`]: '85\n' } }));
    expect(r).toMatchObject({ messageId: 'stale', data: { highest: '085', expected: '86' } });
  });

  it('takes a new folder\'s width from the PR\'s own migrations', async () => {
    const [r] = await expectFires(rule, migrationsInput({ 'm/083_a.sql': sql }, { 'n/0001_a.sql': sql, [`n/${NEXT}`]: '0001\n' }));
    expect(r).toMatchObject({ messageId: 'stale', file: `n/${NEXT}`, data: { folder: 'n', expected: '0002' } });
  });
});
