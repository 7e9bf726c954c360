// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests.
import { describe, expect, it } from 'vitest';
import rule, { rollbackTwin } from '../../src/rules/down-migration-applied.js';
import { expectFires } from '../helpers/lint.js';
import { migrationFile } from '../helpers/rule-input.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;';

describe('down-migration-applied (mutation cases)', () => {
  it('finds the twin of a down folder at the repository root and of one with sub-folders', () => {
    expect(rollbackTwin({ ...migrationFile('down/0006_x.sql', sql), source: '' })).toBe('0006_x.sql');
    expect(rollbackTwin({ ...migrationFile('m/down/v2/0006_x.sql', sql), source: 'm' })).toBe('m/v2/0006_x.sql');
  });

  it('names a `.up.sql` forward twin', async () => {
    const [r] = await expectFires(rule, migrationsInput({ 'm/0005_a.sql': sql }, { 'm/0006_x.up.sql': sql, 'm/0006_x.down.sql': sql }));
    expect(r).toMatchObject({ messageId: 'twin', file: 'm/0006_x.down.sql', data: { twin: '0006_x.up.sql' } });
  });

  it('looks for the `.up.sql` twin beside the file, even under a folder whose name has `.sql` in it', async () => {
    const [r] = await expectFires(rule, migrationsInput({ 'app.sql/m/0005_a.sql': sql }, { 'app.sql/m/0006_x.up.sql': sql, 'app.sql/m/0006_x.down.sql': sql }));
    expect(r).toMatchObject({ messageId: 'twin', file: 'app.sql/m/0006_x.down.sql', data: { twin: '0006_x.up.sql' } });
  });
});
