import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/replay-error.js';
import type { ReplayFailure } from '../../src/replay/types.js';
import type { MigrationFile } from '../../src/discover/types.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';
import { migrationsInput } from '../helpers/prepared-input.js';
import { reviewFiles } from '../helpers/review-files.js';

const failure = (file: string, over: Partial<ReplayFailure> = {}): ReplayFailure => ({
  kind: 'sql',
  file,
  line: 3,
  statement: 'CREATE INDEX ix ON t(missing)',
  message: 'no such column: missing',
  more: 0,
  ...over,
});

/** A hand-made input with injected failures (kinds and counts a repository can't produce on demand). */
function input(opts: { base?: ReplayFailure[]; head?: ReplayFailure[]; touched?: string[] }) {
  const i = makeRuleInput({
    databases: [{ name: 'db', base: { 'm/0001_a.sql': 'CREATE TABLE t(a);' }, head: { 'm/0001_a.sql': 'CREATE TABLE t(a);', 'm/0002_b.sql': 'SELECT 1;' } }],
    changes: (opts.touched ?? []).map((path) => ({ path, status: 'added' as const })),
  });
  i.databases[0].base.replay.failures = opts.base ?? [];
  i.databases[0].head.replay.failures = opts.head ?? [];
  return i;
}

/** The prepared input of a PR making `pr`'s changes to `base` (the failures are the real replay's). */
const real = (pr: Record<string, string | null>, base: Record<string, string> = { 'm/0001_a.sql': 'CREATE TABLE t(a);' }) =>
  migrationsInput(base, pr, { database: 'db' });
const missing = 'CREATE TABLE t(a);\n\nCREATE INDEX ix ON t(missing);';

describe('replay-error', () => {
  it('passes when every migration replays', async () => {
    await expectPasses(rule, real({ 'm/0002_b.sql': 'SELECT 1;' }));
  });

  it("fires as the PR's error for a failure in a file the PR added", async () => {
    const [r] = await expectFires(rule, input({ head: [failure('m/0002_b.sql', { more: 2 })], touched: ['m/0002_b.sql'] }));
    expect(r).toMatchObject({ messageId: 'sql', file: 'm/0002_b.sql', line: 3, database: 'db', preexisting: false });
    expect(r.data?.more).toBe(' (and 2 more failures in this file)');
  });

  it('marks a failure that already happens on base in an untouched file as already on main', async () => {
    const [r] = await expectFires(rule, real({ 'm/0002_b.sql': 'SELECT 1;' }, { 'm/0001_a.sql': missing }));
    expect(r).toMatchObject({ messageId: 'sql', file: 'm/0001_a.sql', line: 3, preexisting: true });
  });

  it('keeps a failure already on main as already on main when the PR only edits that file', async () => {
    const [r] = await expectFires(rule, real({ 'm/0001_a.sql': missing.replace('\n\n', '\n-- moved down\n\n') }, { 'm/0001_a.sql': missing }));
    expect(r).toMatchObject({ messageId: 'sql', line: 4, preexisting: true });
  });

  it('blames the PR for an untouched file that only fails after its changes', async () => {
    const base = { 'm/0001_a.sql': 'CREATE TABLE t(a);', 'm/0003_later.sql': 'CREATE INDEX ix ON t(a);' };
    const [r] = await expectFires(rule, real({ 'm/0002_b.sql': 'ALTER TABLE t RENAME COLUMN a TO b;' }, base));
    expect(r).toMatchObject({ messageId: 'brokenByPr', file: 'm/0003_later.sql', preexisting: false });
  });

  it('reports sandbox refusals and timeouts with their kind', async () => {
    const reports = await expectFires(
      rule,
      input({
        head: [failure('m/0002_b.sql', { kind: 'refused', message: 'ATTACH is not allowed' }), failure('m/0002_b.sql', { kind: 'timeout', line: 9 })],
        touched: ['m/0002_b.sql'],
      }),
    );
    expect(reports.map((r) => r.messageId)).toEqual(['refused', 'timeout']);
  });

  // Issue 9: a migration Safari can't take as written is reported, never silently skipped.
  describe('migrations not reviewed as written', () => {
    const withFile = (over: Partial<MigrationFile>, opts: { onBase?: Partial<MigrationFile>; touched?: boolean } = {}) => {
      const i = input({ touched: opts.touched === false ? [] : ['m/0002_b.sql'] });
      Object.assign(i.databases[0].head.files.find((f) => f.path === 'm/0002_b.sql')!, over);
      if (opts.onBase) i.databases[0].base.files.push({ ...i.databases[0].head.files[1], ...opts.onBase });
      return i;
    };

    it('fails the PR for a migration over the size cap it adds', async () => {
      const [r] = await expectFires(rule, withFile({ content: '', unread: { reason: 'too-large', bytes: 50 * 1024 * 1024, limit: 5 * 1024 * 1024 } }));
      expect(r).toMatchObject({ messageId: 'tooLarge', file: 'm/0002_b.sql', database: 'db', preexisting: false, data: { size: '50 MB', limit: '5 MB' } });
    });

    it('reports an unreadable migration', async () => {
      const [r] = await expectFires(rule, withFile({ content: '', unread: { reason: 'unreadable' } }));
      expect(r).toMatchObject({ messageId: 'unreadable', file: 'm/0002_b.sql', preexisting: false });
    });

    it('reports the NUL byte SQLite stops at, with its line', async () => {
      const [r] = await expectFires(rule, withFile({ content: 'DROP TABLE users;\n-- \n', nulLine: 2 }));
      expect(r).toMatchObject({ messageId: 'nulByte', file: 'm/0002_b.sql', line: 2, preexisting: false });
    });

    it('leaves the same problem in an untouched file to main', async () => {
      const [r] = await expectFires(rule, withFile({ nulLine: 2 }, { onBase: { nulLine: 2 }, touched: false }));
      expect(r).toMatchObject({ messageId: 'nulByte', preexisting: true });
    });
  });

  describe('a folder that starts from a schema kept outside it', () => {
    // Modelled on NAinfini/Guild_Management: `D1 schema/D1_Schema.sql` is applied by hand, and `D1 schema/migrations/`
    // holds seed scripts run on top of it with `wrangler d1 execute --file` (0001 seeds users, 0002 cleans audit_log).
    const files = {
      'D1 schema/D1_Schema.sql': 'CREATE TABLE users (user_id TEXT PRIMARY KEY);\nCREATE TABLE audit_log (entity_id TEXT);\n',
      'D1 schema/migrations/0001_seed_mock_data.sql': "INSERT INTO users (user_id) VALUES ('usr_admin001');\n",
    };
    const messages = (r: Awaited<ReturnType<typeof reviewFiles>>) => r.findings.filter((f) => f.rule === 'replay-error' && !f.preexisting).map((f) => `${f.messageId}/${f.severity}`);

    it('is a warning naming the baseline setting when the first migration needs a table no migration creates', async () => {
      const first = await reviewFiles({ base: {}, pr: files });
      expect(messages(first)).toEqual(['missingBaseline/warning']);
      const second = await reviewFiles({ base: files, pr: { 'D1 schema/migrations/0002_create_admin_account.sql': "DELETE FROM audit_log WHERE entity_id = 'x';\n" } });
      expect(messages(second)).toEqual(['missingBaseline/warning']);
    });

    it('stays an error in a folder whose migrations build their own schema', async () => {
      const own = { 'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' };
      const typo = await reviewFiles({ base: own, pr: { 'migrations/0002_seed.sql': 'INSERT INTO user (id) VALUES (1);\n' } });
      expect(messages(typo)).toEqual(['sql/error']);
    });
  });
});
