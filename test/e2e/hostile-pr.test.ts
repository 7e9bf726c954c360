// Issue 9, end to end: what a hostile PR does with the bytes and sizes of its files never gets it a green check.
import { describe, expect, it } from 'vitest';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { review } from '../../src/review.js';
import { openGitSource } from '../../src/source/git.js';
import { makeRepo } from '../helpers/git-repo.js';
import { reviewFiles } from '../helpers/review-files.js';
import { changesBetween, loadFixture } from '../drizzle/drizzle-input.js';

const base = {
  'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n',
  'src/users.ts': "export const byId = (db, id) => db.prepare('SELECT * FROM users WHERE id = ?').bind(id).first();\n",
};
const blamed = (r: Awaited<ReturnType<typeof reviewFiles>>) =>
  r.findings.filter((f) => !f.preexisting && !f.acknowledged).map((f) => `${f.rule}/${f.messageId} ${f.file}:${f.line ?? ''}`).sort();

describe('hostile PRs: NUL bytes and sizes', () => {
  // It used to be "not text", skipped with a notice, and the drop of a table the code uses passed.
  it('replays a migration up to its NUL byte, as SQLite does, and fails the drop of a used table', async () => {
    const r = await reviewFiles({ base, pr: { 'migrations/0002_drop.sql': 'DROP TABLE users;\n-- \0 nothing to see\n' } });
    expect(r.conclusion).toBe('failure');
    expect(r.databases[0].delta.tablesDropped).toEqual(['users']);
    expect(blamed(r)).toEqual([
      'destructive-change/dropTable migrations/0002_drop.sql:1',
      'drop-referenced-table/table migrations/0002_drop.sql:1',
      'replay-error/nulByte migrations/0002_drop.sql:2',
    ]);
  });

  it('fails closed on a migration over the size cap, without reading it', async () => {
    const huge = `DROP TABLE users;\n-- ${'x'.repeat(64 * 1024)}\n`;
    const r = await reviewFiles({ base, pr: { 'migrations/0002_huge.sql': huge }, options: { limits: { maxMigrationBytes: 32 * 1024 } } });
    expect(r.conclusion).toBe('failure');
    expect(blamed(r)).toEqual(['replay-error/tooLarge migrations/0002_huge.sql:']);
    expect(r.findings.find((f) => f.messageId === 'tooLarge')?.message).toMatch(/is 64 KB, over the 32 KB Safari reviews/);
  });
});

const wrangler = (name: string) => `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\n`;
const incomplete = (r: Awaited<ReturnType<typeof reviewFiles>>) =>
  r.findings.filter((f) => f.rule === 'review-incomplete').map((f) => `${f.messageId} ${f.database ?? f.file ?? ''}`).sort();

describe("hostile PRs: the review's limits", () => {
  it('replays the databases the PR touches first, and fails closed on those over the cap', async () => {
    const base = Object.fromEntries(
      ['a', 'b', 'c'].flatMap((n) => [[`${n}/wrangler.toml`, wrangler(`${n}-db`)], [`${n}/migrations/0001_t.sql`, `CREATE TABLE ${n}_t (id INTEGER);\n`]]),
    );
    const r = await reviewFiles({ base, pr: { 'c/migrations/0002_u.sql': 'CREATE TABLE c_u (id INTEGER);\n' }, options: { limits: { maxDatabases: 1 } } });
    expect(r.databases.map((d) => d.name)).toEqual(['c-db']);
    expect(incomplete(r)).toEqual(['database-cap a-db', 'database-cap b-db']);
    expect(r.conclusion).toBe('failure');
  });

  it('is neutral, never success, when the base config says so', async () => {
    const base = { 'a/wrangler.toml': wrangler('a-db'), 'a/migrations/0001_t.sql': 'CREATE TABLE t (id INTEGER);\n', 'b/wrangler.toml': wrangler('b-db'), 'b/migrations/0001_t.sql': 'CREATE TABLE t (id INTEGER);\n' };
    const r = await reviewFiles({ base: { ...base, '.github/safari.yml': 'limits:\n  maxDatabases: 1\n  onIncomplete: neutral\n' }, pr: { 'a/migrations/0002_u.sql': 'CREATE TABLE u (id INTEGER);\n' } });
    expect(incomplete(r)).toEqual(['database-cap b-db']);
    expect(r.findings.find((f) => f.rule === 'review-incomplete')?.severity).toBe('warning');
    expect(r.conclusion).toBe('neutral');
  });

  it('reads no more than the byte budget, and names what it left unread', async () => {
    const r = await reviewFiles({
      base,
      pr: { 'migrations/0002_drop.sql': 'DROP TABLE users;\n', 'src/generated.ts': `export const users = 1;\n// ${'x'.repeat(4096)}\n` },
      options: { limits: { maxReadBytes: 2048 } },
    });
    expect(incomplete(r)).toEqual(['read-budget src/generated.ts']);
    expect(r.conclusion).toBe('failure');
  });

  it('runs no schema.ts evaluation beyond the cap, and says which it skipped', async () => {
    const { base: drizzleBase, head } = loadFixture('stale-schema');
    const pr: Record<string, string | null> = {};
    for (const c of changesBetween(drizzleBase, head)) pr[c.path] = c.status === 'deleted' ? null : head[c.path];
    const r = await reviewFiles({ base: drizzleBase, pr, options: { evaluateSchema: true, limits: { maxSchemaEvaluations: 0 } } });
    expect(incomplete(r)).toEqual(['evaluation-cap drizzle']);
    expect(r.findings.some((f) => f.rule === 'drizzle-schema-stale' && f.messageId === 'stale')).toBe(false);
    expect(r.conclusion).toBe('failure');
  });

  // Six folders of hanging statements once took 61 s and ended as success. Each database here would hang until the
  // sandbox's 60 s limit; the review's 2 s deadline reports them all instead, and the check fails.
  it('stops at the review deadline and reports every database it did not replay', { timeout: 30_000 }, async () => {
    const hang = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n;\n';
    const files = Object.fromEntries(
      ['a', 'b', 'c'].flatMap((n) => [[`${n}/wrangler.toml`, wrangler(`${n}-db`)], [`${n}/migrations/0001_t.sql`, `CREATE TABLE ${n}_t (id INTEGER);\n`]]),
    );
    const repo = await makeRepo([
      { branch: 'main', files },
      { branch: 'pr', from: 'main', files: { 'a/migrations/0002_hang.sql': hang, 'b/migrations/0002_hang.sql': hang, 'c/migrations/0002_hang.sql': hang } },
    ]);
    const sandbox = new ReplaySandbox({ size: 1, timeoutMs: 60_000, log: () => {} });
    const source = await openGitSource(repo, 'main', 'pr');
    try {
      const r = await review(source, { sandbox, evaluateSchema: false, limits: { deadlineSeconds: 2 } });
      expect(incomplete(r)).toEqual(['deadline-replay a-db', 'deadline-replay b-db', 'deadline-replay c-db']);
      expect(r.databases.map((d) => [d.base.ok, d.head.ok])).toEqual([[false, false], [false, false], [false, false]]);
      expect(r.findings.find((f) => f.rule === 'review-incomplete')?.message).toBe('a-db was not replayed within the review deadline of 2 s; it is not reviewed.');
      expect(r.conclusion).toBe('failure');
    } finally {
      await source.close();
      await sandbox.close();
    }
  });
});
