// Whole-pipeline reviews of patterns seen in public Cloudflare D1 / Drizzle repositories (issue 7): each case is a
// small repository modelled on one of them, reviewed as the PR's author would see it.
import { describe, expect, it } from 'vitest';
import { reviewFiles as review } from '../helpers/review-files.js';
import { loadFixture } from '../drizzle/drizzle-input.js';

const WRANGLER = [
  'name = "api"',
  'main = "src/index.ts"',
  '',
  '[[d1_databases]]',
  'binding = "DB"',
  'database_name = "app-db"',
  'database_id = "00000000-0000-0000-0000-000000000000"',
  'migrations_dir = "migrations"',
  '',
].join('\n');

/** Every review here also checks that each finding about a file carries a line (issue 7 item 18). */
async function reviewFiles(opts: Parameters<typeof review>[0]) {
  const result = await review(opts);
  for (const f of result.findings) if (f.file && /\.\w+$/.test(f.file)) expect(f.line, `${f.rule}/${f.messageId} at ${f.file}`).toBeGreaterThan(0);
  return result;
}

const brief = (findings: { rule: string; messageId: string; severity: string; preexisting: boolean }[]) =>
  findings.map((f) => `${f.rule}/${f.messageId}/${f.severity}${f.preexisting ? '/main' : ''}`);

describe('real repository patterns', () => {
  it('a PR that repairs a migration failing on main is a warning saying so, not an edited-migration error', async () => {
    // A Workers app whose 0002 dropped an indexed column (SQLite refuses: "error in index … after drop column"):
    // wrangler never recorded it as applied anywhere, and the follow-up PR fixed it by dropping the index first.
    const base = {
      'wrangler.toml': WRANGLER,
      'migrations/0001_init.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, legacy TEXT);\nCREATE INDEX posts_legacy_idx ON posts (legacy);\n',
      'migrations/0002_drop_legacy.sql': '-- legacy is unused since v2\nALTER TABLE posts DROP COLUMN legacy;\n',
    };
    const result = await reviewFiles({
      base,
      pr: { 'migrations/0002_drop_legacy.sql': '-- legacy is unused since v2\nDROP INDEX posts_legacy_idx;\nALTER TABLE posts DROP COLUMN legacy;\n' },
    });
    const edited = result.findings.filter((f) => f.rule === 'edited-migration');
    expect(brief(edited)).toEqual(['edited-migration/repair/warning']);
    expect(edited[0].message).toContain('posts_legacy_idx');
    expect(edited[0]).toMatchObject({ file: 'migrations/0002_drop_legacy.sql', line: 2 });
    const drop = result.findings.find((f) => f.rule === 'destructive-change');
    expect(drop).toMatchObject({ messageId: 'dropColumn', severity: 'warning', file: 'migrations/0002_drop_legacy.sql', line: 3 });
    expect(drop?.details?.at(-1)).toMatch(/fails on main .* no database ran it yet/);
    expect(result.conclusion).toBe('neutral');
  });

  describe('a D1 app whose migrations start from a schema.sql kept outside the folder', () => {
    // Modelled on Workers apps that bootstrap with `wrangler d1 execute DB --file=schema.sql` and only later adopted
    // `migrations/`: the first migration alters a table no migration creates, so main's own replay already fails.
    const base = {
      'wrangler.toml': WRANGLER,
      'schema.sql': 'CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL);\n',
      'migrations/0001_add_name.sql': 'ALTER TABLE users ADD COLUMN name TEXT;\n',
    };
    const pr = { 'migrations/0002_users_email.sql': 'CREATE UNIQUE INDEX users_email_unique ON users (email);\n' };

    it('does not blame the PR for the missing table: a warning naming main\'s failure and the baseline setting', async () => {
      const result = await reviewFiles({ base, pr });
      const mine = result.findings.filter((f) => !f.preexisting);
      expect(brief(mine)).toEqual(['replay-error/missingOnMain/warning']);
      expect(mine[0]).toMatchObject({ file: 'migrations/0002_users_email.sql', line: 1 });
      expect(mine[0].message).toContain('migrations/0001_add_name.sql:1');
      expect(mine[0].fix).toContain('baseline: [path/to/schema.sql]');
      expect(result.conclusion).toBe('neutral');
    });

    it('replays `databases.<name>.baseline` before the migrations: nothing fails any more', async () => {
      const config = 'databases:\n  app-db:\n    baseline: [schema.sql]\n';
      const result = await reviewFiles({ base: { ...base, '.github/safari.yml': config }, pr });
      expect(brief(result.findings)).toEqual([]);
      expect(result.conclusion).toBe('success');
      expect(result.databases[0].delta.tablesChanged[0]).toMatchObject({ table: 'users', indexesAdded: ['users_email_unique'] });
      expect(result.databases[0].head.migrations).toBe(2);
    });
  });

  describe('Drizzle on Turso / libSQL', () => {
    // Modelled on Turso apps whose drizzle.config.ts says `dialect: 'turso'` (dbCredentials from the environment):
    // drizzle-kit writes `ALTER TABLE … ALTER COLUMN … TO …`, which libSQL accepts and stock SQLite refuses.
    const turso = () => {
      const main = loadFixture('clean').head;
      const config = main['drizzle.config.ts'].replace("dialect: 'sqlite',", "dialect: 'turso',\n  dbCredentials: { url: process.env.TURSO_DATABASE_URL!, authToken: process.env.TURSO_AUTH_TOKEN },");
      const snap = JSON.parse(main['drizzle/meta/0001_snapshot.json']);
      const next = { ...snap, id: '7a0c4b8e-1d2f-4e5a-9b6c-0d1e2f3a4b5c', prevId: snap.id };
      next.tables = JSON.parse(JSON.stringify(snap.tables));
      next.tables.users.columns.plan.default = "'pro'";
      const journal = JSON.parse(main['drizzle/meta/_journal.json']);
      journal.entries.push({ idx: 2, version: '6', when: journal.entries[1].when + 60_000, tag: '0002_plan_default', breakpoints: true });
      return {
        base: { ...main, 'drizzle.config.ts': config },
        pr: {
          'drizzle/0002_plan_default.sql': 'ALTER TABLE `users` ALTER COLUMN "plan" TO "plan" text DEFAULT \'pro\' NOT NULL;',
          'drizzle/meta/0002_snapshot.json': JSON.stringify(next, null, 2),
          'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2),
        },
      };
    };

    it('replays the database with libSQL: ALTER COLUMN … TO … is no replay error, and the new default is seen', async () => {
      const result = await reviewFiles(turso());
      expect(brief(result.findings)).toEqual([]);
      expect(result.databases[0].head.ok).toBe(true);
      expect(result.databases[0].delta.tablesChanged).toEqual([expect.objectContaining({ table: 'users', columnsChanged: [{ column: 'plan', changes: ["default 'free' → 'pro'"] }] })]);
    });

    it('still replays a plain sqlite drizzle config with stock SQLite, which refuses the statement', async () => {
      const { base, pr } = turso();
      const result = await reviewFiles({ base: { ...base, 'drizzle.config.ts': loadFixture('clean').head['drizzle.config.ts'] }, pr });
      expect(brief(result.findings.filter((f) => f.rule === 'replay-error'))).toEqual(['replay-error/sql/error']);
    });
  });

  it('a PR regenerating main\'s newest Drizzle migration under a new name is judged as an edit with the journal `when`', async () => {
    // Modelled on a pre-release Workers + D1 app that squashes its only migration on each change: drizzle-kit writes
    // `0000_bouncy_frank_castle.sql` in place of `0000_early_ricochet.sql`, a new snapshot id, a later `when`.
    const main = loadFixture('clean').head;
    const journal = JSON.parse(main['drizzle/meta/_journal.json']);
    journal.entries[1] = { ...journal.entries[1], tag: '0001_brave_wolf', when: journal.entries[1].when + 86_400_000 };
    const snap = JSON.parse(main['drizzle/meta/0001_snapshot.json']);
    snap.id = '3f0e8d7c-6b5a-4a39-8271-605f4e3d2c1b';
    const result = await reviewFiles({
      base: main,
      pr: {
        'drizzle/0001_posts.sql': null,
        'drizzle/0001_brave_wolf.sql': main['drizzle/0001_posts.sql'].replace('`score` integer DEFAULT 0,', '`score` integer DEFAULT 1,'),
        'drizzle/meta/0001_snapshot.json': JSON.stringify({ ...snap, tables: { ...snap.tables, posts: { ...snap.tables.posts, columns: { ...snap.tables.posts.columns, score: { ...snap.tables.posts.columns.score, default: 1 } } } } }, null, 2),
        'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2),
      },
    });
    const mine = result.findings.filter((f) => !f.preexisting && f.severity !== 'notice');
    expect(brief(mine)).toEqual(['edited-migration/rerun/error']);
    expect(mine[0]).toMatchObject({ file: 'drizzle/0001_brave_wolf.sql', data: { name: '0001_posts.sql' } });
  });

  it('the same regeneration in drizzle-kit 1.x\'s layout (a new timestamped folder replacing main\'s newest one)', async () => {
    // v1 has no journal: the folder's timestamp is what the migrator compares (a later one re-runs where the old ran).
    const main = loadFixture('v1-layout').head;
    const old = 'drizzle/20261124123332_posts';
    const snap = JSON.parse(main[`${old}/snapshot.json`]);
    const ddl = snap.ddl.map((e: { entityType: string; table?: string; name: string }) => (e.entityType === 'columns' && e.table === 'posts' && e.name === 'score' ? { ...e, default: '1' } : e));
    const regenerated = (folder: string) =>
      reviewFiles({
        base: main,
        pr: {
          [`${old}/migration.sql`]: null,
          [`${old}/snapshot.json`]: null,
          [`${folder}/migration.sql`]: main[`${old}/migration.sql`].replace('`score` integer DEFAULT 0,', '`score` integer DEFAULT 1,'),
          [`${folder}/snapshot.json`]: JSON.stringify({ ...snap, id: '3f0e8d7c-6b5a-4a39-8271-605f4e3d2c1b', ddl }, null, 2),
        },
      });
    const later = await regenerated('drizzle/20261125090000_brave_wolf');
    const mine = later.findings.filter((f) => !f.preexisting && f.severity !== 'notice');
    expect(brief(mine)).toEqual(['edited-migration/rerun/error']);
    expect(mine[0]).toMatchObject({ file: 'drizzle/20261125090000_brave_wolf/migration.sql', data: { name: '20261124123332_posts/migration.sql' } });
    // The same second (not later) is skipped where the old one ran: an ordinary edit of an applied migration.
    const same = await regenerated('drizzle/20261124123332_brave_wolf');
    expect(brief(same.findings.filter((f) => !f.preexisting && f.severity !== 'notice'))).toEqual(['edited-migration/edited/error']);
  });
});
