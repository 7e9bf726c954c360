// The numbering and history rules through the whole pipeline (git source → discovery → replay → rules) on temp git
// repos: one case per rule, plus the no-false-alarm cases that only a real merge of main and the PR can show.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/findings.js';
import { reviewFiles } from '../../helpers/review-files.js';

const WRANGLER = [
  'name = "engine"',
  '[[d1_databases]]',
  'binding = "DB"',
  'database_name = "grove-engine-db"',
  'database_id = "00000000-0000-0000-0000-000000000000"',
  'migrations_dir = "migrations"',
  '',
].join('\n');

const base: Record<string, string> = {
  'wrangler.toml': WRANGLER,
  'migrations/0001_tenants.sql': 'CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n',
  'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, tenant_id INTEGER REFERENCES tenants(id));\n',
  'migrations/NEXT_MIGRATION_NUMBER.txt': '0003\n',
};

const RULES = new Set(['duplicate-number', 'mixed-number-width', 'out-of-order', 'edited-migration', 'deleted-migration', 'down-migration-applied', 'reservation-file']);
const mine = (findings: Finding[]) =>
  findings.filter((f) => RULES.has(f.rule)).map((f) => ({ rule: f.rule, messageId: f.messageId, severity: f.severity, file: f.file, preexisting: f.preexisting }));

describe('numbering and history rules, end to end', () => {
  it('duplicate-number: main took the PR\'s number after it branched', async () => {
    // Both branches bumped the reservation file to the same value, so git merges it silently: only Safari notices.
    const result = await reviewFiles({
      base,
      pr: { 'migrations/0003_pr_feature.sql': 'CREATE TABLE pr_things (id INTEGER PRIMARY KEY);\n', 'migrations/NEXT_MIGRATION_NUMBER.txt': '0004\n' },
      mainAfter: { 'migrations/0003_main_feature.sql': 'CREATE TABLE main_things (id INTEGER PRIMARY KEY);\n', 'migrations/NEXT_MIGRATION_NUMBER.txt': '0004\n' },
    });
    expect(mine(result.findings)).toEqual([
      { rule: 'duplicate-number', messageId: 'takenMeanwhile', severity: 'error', file: 'migrations/0003_pr_feature.sql', preexisting: false },
    ]);
    const dup = result.findings.find((f) => f.rule === 'duplicate-number')!;
    expect(dup.data).toMatchObject({ other: 'migrations/0003_main_feature.sql', next: '0004' });
    expect(result.conclusion).toBe('failure');
  });

  it('old duplicate pairs on main are notices only, and main moving ahead is not the PR\'s doing', async () => {
    const result = await reviewFiles({
      base: { ...base, 'migrations/0002_sentinel.sql': 'CREATE TABLE sentinel_runs (id INTEGER PRIMARY KEY);\n' },
      pr: { 'migrations/0003_meadow.sql': 'CREATE TABLE meadow_posts (id INTEGER PRIMARY KEY);\n', 'migrations/NEXT_MIGRATION_NUMBER.txt': '0005\n' },
      mainAfter: { 'migrations/0004_main.sql': 'CREATE TABLE later (id INTEGER PRIMARY KEY);\n', 'migrations/NEXT_MIGRATION_NUMBER.txt': '0005\n' },
    });
    // The PR's 0003 sorts below main's new 0004: that is out-of-order, and the only thing blamed on the PR.
    expect(mine(result.findings)).toEqual([
      { rule: 'out-of-order', messageId: 'lower', severity: 'warning', file: 'migrations/0003_meadow.sql', preexisting: false },
      { rule: 'duplicate-number', messageId: 'duplicateOnMain', severity: 'notice', file: 'migrations/0002_sentinel.sql', preexisting: true },
    ]);
    expect(result.conclusion).not.toBe('failure');
  });

  it('mixed-number-width and reservation-file: a 3-digit file in a 4-digit folder, reservation not bumped', async () => {
    const result = await reviewFiles({ base, pr: { 'migrations/003_gallery.sql': 'CREATE TABLE gallery (id INTEGER PRIMARY KEY);\n' } });
    expect(mine(result.findings)).toEqual([
      { rule: 'mixed-number-width', messageId: 'padded', severity: 'warning', file: 'migrations/003_gallery.sql', preexisting: false },
      { rule: 'reservation-file', messageId: 'stale', severity: 'warning', file: 'migrations/NEXT_MIGRATION_NUMBER.txt', preexisting: false },
    ]);
  });

  it('edited-migration and deleted-migration: history rewritten', async () => {
    const result = await reviewFiles({
      base: { ...base, 'migrations/0003_pages.sql': 'CREATE TABLE pages (id INTEGER PRIMARY KEY);\n', 'migrations/NEXT_MIGRATION_NUMBER.txt': '0004\n' },
      pr: {
        'migrations/0001_tenants.sql': 'CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT);\n',
        'migrations/0003_pages.sql': null,
      },
    });
    expect(mine(result.findings)).toEqual([
      { rule: 'edited-migration', messageId: 'edited', severity: 'error', file: 'migrations/0001_tenants.sql', preexisting: false },
      { rule: 'deleted-migration', messageId: 'deleted', severity: 'error', file: 'migrations/0003_pages.sql', preexisting: false },
    ]);
    const edited = result.findings.find((f) => f.rule === 'edited-migration')!;
    expect(edited.line).toBe(1);
    expect(edited.details).toEqual([
      '- CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL);',
      '+ CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plan TEXT);',
    ]);
  });

  it('down-migration-applied: a rollback script next to its forward migration', async () => {
    const result = await reviewFiles({
      base,
      pr: {
        'migrations/0003_porch.sql': 'CREATE TABLE porch_visits (id INTEGER PRIMARY KEY);\n',
        'migrations/0003_porch_rollback.sql': 'DROP TABLE porch_visits;\n',
        'migrations/NEXT_MIGRATION_NUMBER.txt': '0004\n',
      },
    });
    // Both share 0003 too; the rollback is what the PR should hear about first.
    const found = mine(result.findings);
    expect(found).toContainEqual({ rule: 'down-migration-applied', messageId: 'twin', severity: 'error', file: 'migrations/0003_porch_rollback.sql', preexisting: false });
    expect(found).toContainEqual({ rule: 'duplicate-number', messageId: 'takenInPr', severity: 'warning', file: 'migrations/0003_porch_rollback.sql', preexisting: false });
    expect(found).toHaveLength(2);
  });

  it('a PR that only edits unrelated files gets nothing from these rules', async () => {
    const result = await reviewFiles({
      base: { ...base, 'migrations/0002_sentinel.sql': 'CREATE TABLE sentinel_runs (id INTEGER PRIMARY KEY);\n', 'src/index.ts': 'export {};\n' },
      pr: { 'src/index.ts': 'export const x = 1;\n' },
    });
    expect(mine(result.findings)).toEqual([]);
  });

  it('out-of-order (Drizzle): main generated a newer entry meanwhile, so the migrator would skip the PR\'s', async () => {
    const T0 = Date.UTC(2026, 0, 1);
    const journal = (entries: Array<[string, number]>) =>
      JSON.stringify({ version: '7', dialect: 'sqlite', entries: entries.map(([tag, when], idx) => ({ idx, version: '6', when, tag, breakpoints: true })) });
    const result = await reviewFiles({
      base: {
        'packages/db/drizzle.config.ts': "export default { dialect: 'sqlite', schema: './src/schema.ts', out: './drizzle' };\n",
        'packages/db/drizzle/0000_init.sql': 'CREATE TABLE `users` (`id` integer PRIMARY KEY);\n',
        'packages/db/drizzle/meta/_journal.json': journal([['0000_init', T0]]),
      },
      pr: {
        'packages/db/drizzle/0001_pr_tags.sql': 'CREATE TABLE `tags` (`id` integer PRIMARY KEY);\n',
        'packages/db/drizzle/meta/_journal.json': journal([['0000_init', T0], ['0001_pr_tags', T0 + 1000]]),
      },
      mainAfter: {
        'packages/db/drizzle/0001_main_billing.sql': 'CREATE TABLE `billing` (`id` integer PRIMARY KEY);\n',
        'packages/db/drizzle/meta/_journal.json': journal([['0000_init', T0], ['0001_main_billing', T0 + 2000]]),
      },
    });
    const skipped = result.findings.find((f) => f.rule === 'out-of-order');
    expect(skipped).toMatchObject({ messageId: 'drizzleSkipped', severity: 'error', file: 'packages/db/drizzle/0001_pr_tags.sql', preexisting: false });
    expect(skipped?.data).toMatchObject({ name: '0001_pr_tags', latest: '0001_main_billing' });
    expect(result.conclusion).toBe('failure');
  });
});
