import { describe, expect, it } from 'vitest';
import rule, { rollbackTwin } from '../../src/rules/down-migration-applied.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationFile } from '../helpers/rule-input.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';

const input = migrationsInput;

describe('down-migration-applied', () => {
  it('passes forward migrations, including ones that roll a feature back by name', async () => {
    await expectPasses(rule, input({ 'm/0005_a.sql': sql }, { 'm/0006_x.sql': sql, 'm/0007_rollback_feature_x.sql': sql, 'm/0008_countdown.sql': sql }));
  });

  it('fires for a *_rollback.sql the PR adds, naming its forward twin', async () => {
    const [r] = await expectFires(rule, input({ 'm/0005_a.sql': sql }, { 'm/0006_x.sql': sql, 'm/0006_x_rollback.sql': sql }));
    expect(r).toMatchObject({ messageId: 'twin', file: 'm/0006_x_rollback.sql', data: { twin: '0006_x.sql', applier: 'wrangler' } });
    expect(r.preexisting).toBeUndefined();
  });

  it('recognises .down.sql, _down.sql and a down/ folder', () => {
    const twin = (p: string) => rollbackTwin(migrationFile(p, sql));
    expect(twin('m/0006_x.down.sql')).toBe('m/0006_x.sql');
    expect(twin('m/0006_x_down.sql')).toBe('m/0006_x.sql');
    expect(rollbackTwin({ ...migrationFile('m/down/0006_x.sql', sql), source: 'm' })).toBe('m/0006_x.sql');
    expect(rollbackTwin({ ...migrationFile('m/0006_x/down.sql', sql), source: 'm' })).toBe('m/0006_x/up.sql');
    expect(twin('m/0006_slowdown.sql')).toBeUndefined();
    expect(twin('m/0006_x/update.sql')).toBeUndefined();
  });

  it('fires without a twin when the forward file is elsewhere', async () => {
    const [r] = await expectFires(rule, input({ 'm/0005_a.sql': sql }, { 'm/0006_y.down.sql': sql }));
    expect(r.messageId).toBe('alone');
  });

  it('shows an old rollback file as already on main, only when the PR works on that database', async () => {
    const base = { 'm/0006_x.sql': sql, 'm/0006_x_rollback.sql': sql };
    const [r] = await expectFires(rule, input(base, { 'm/0007_y.sql': sql }));
    expect(r).toMatchObject({ messageId: 'onMain', preexisting: true });
    await expectPasses(rule, migrationsInput(base, { 'src/a.ts': 'export {};' }));
  });
});
