import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/reservation-file.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput, WRANGLER } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';
const R = 'm/NEXT_MIGRATION_NUMBER.txt';
const base = { 'm/083_a.sql': sql, 'm/084_b.sql': sql };

/** A PR adding `add` to folder `m/`, with the reservation file at `path` on main (`baseRes`) and after the PR (`headRes`). */
function input(opts: { add?: Record<string, string>; baseRes?: string; headRes?: string; reservationFile?: string; path?: string }) {
  const path = opts.path ?? R;
  const repo: Record<string, string> = { 'wrangler.toml': `${WRANGLER}migrations_dir = "m"\n`, ...base };
  if (opts.reservationFile) repo['.github/safari.yml'] = `reservationFile: ${opts.reservationFile}\n`;
  if (opts.baseRes !== undefined) repo[path] = opts.baseRes;
  const pr: Record<string, string | null> = { ...opts.add };
  if (opts.headRes !== opts.baseRes) pr[path] = opts.headRes ?? null;
  return prInput(repo, pr);
}

describe('reservation-file', () => {
  it('passes when the PR bumps the file to highest + 1', async () => {
    await expectPasses(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: '085\n', headRes: '086\n' }));
  });

  it('passes a folder without a reservation file, and a PR that adds no migration', async () => {
    await expectPasses(rule, input({ add: { 'm/085_c.sql': sql } }));
    await expectPasses(rule, input({ baseRes: '070\n', headRes: '070\n' }));
  });

  it('fires when the PR adds a migration and leaves the number behind', async () => {
    const [r] = await expectFires(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: '# next free\n085\n', headRes: '# next free\n085\n' }));
    expect(r).toMatchObject({ messageId: 'stale', file: R, line: 2, data: { value: '085', expected: '086', latest: '085_c.sql' } });
  });

  it('fires when the PR deletes the reservation file', async () => {
    const [r] = await expectFires(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: '085' }));
    expect(r).toMatchObject({ messageId: 'removed', data: { expected: '086' } });
  });

  it('fires when the file holds no number', async () => {
    const [r] = await expectFires(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: 'tbd', headRes: 'tbd' }));
    expect(r.messageId).toBe('unreadable');
  });

  it('reads the configured file name', async () => {
    const path = 'm/RESERVED';
    await expectPasses(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: '085', headRes: '086', reservationFile: 'RESERVED', path }));
    const [r] = await expectFires(rule, input({ add: { 'm/085_c.sql': sql }, baseRes: '085', headRes: '085', reservationFile: 'RESERVED', path }));
    expect(r.file).toBe(path);
  });
});
