import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/discovery.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { prInput } from '../helpers/prepared-input.js';

describe('discovery', () => {
  it('passes when discovery had nothing to say', async () => {
    await expectPasses(rule, prInput({ 'migrations/0001_a.sql': 'SELECT 1;' }, { 'migrations/0002_b.sql': 'SELECT 1;' }));
  });

  it('reports guessed folders, unattributed folders, conflicts and config changes', async () => {
    const input = await prInput({ '.github/safari.yml': 'failOn: error\n' }, { '.github/safari.yml': 'failOn: warning\n' });
    input.discovery.notices.push({
      messageId: 'guessed-folder',
      data: { folder: 'workers/backup/migrations', config: 'workers/backup/wrangler.toml', bindings: 'DB, ENGINE', database: 'grove-backups-db' },
      file: 'workers/backup/wrangler.toml',
    });
    input.discovery.unattributed.push('libs/engine/migrations/manual');
    input.conflicts.push('drizzle/meta/_journal.json');
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => r.messageId).sort()).toEqual(['config-changed', 'guessed-folder', 'merge-conflict', 'unattributed-folder']);
    // the PR touched neither the backup worker's config nor the manual folder: those are old news
    expect(reports.filter((r) => r.preexisting).map((r) => r.messageId).sort()).toEqual(['guessed-folder', 'unattributed-folder']);
  });

  it("makes a notice the PR's when the PR touches the folder or config it is about", async () => {
    const input = await prInput({}, { 'libs/engine/migrations/manual/2025_fix.sql': 'SELECT 1;' });
    input.discovery.unattributed.push('libs/engine/migrations/manual');
    const [report] = await expectFires(rule, input);
    expect(report).toMatchObject({ messageId: 'unattributed-folder', preexisting: false });
  });
});
