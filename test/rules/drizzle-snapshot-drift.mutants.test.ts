// Behaviours of drizzle-snapshot-drift that its mutation run showed untested: the line it points at, new folders,
// folders that share their database, and what counts as main's drift.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-snapshot-drift.js';
import type { RuleInput } from '../../src/rules/types.js';
import { drizzleInput, loadFixture, type Tree } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const input = (base: Tree, head: Tree) => drizzleInput(base, head, { evaluate: false });
const clean = loadFixture('clean');
const SQL = 'drizzle/0001_posts.sql';
const SNAP = 'drizzle/meta/0001_snapshot.json';
const BREAK = '\n--> statement-breakpoint\n';
const withSql = (sql: string): Tree => ({ ...clean.head, [SQL]: sql });
const scoreReal = clean.head[SQL].replace('`score` integer', '`score` real');

describe('drizzle-snapshot-drift: where it points', () => {
  it('points at the first statement naming the drifted table, past statements about other tables or none', async () => {
    const sql = ["UPDATE `users` SET `plan` = 'free';", 'PRAGMA foreign_keys=OFF;', scoreReal].join(BREAK);
    const [r] = await expectFires(rule, await input(clean.head, withSql(sql)));
    expect(r).toMatchObject({ file: SQL, line: 5 });
    expect(r.details).toEqual(['posts.score: type REAL in the migrations, INTEGER in the snapshot']);
  });

  it('points at the CREATE TABLE of drizzle-kit\'s rebuild (`__new_users`) of a table an earlier file created', async () => {
    const rebuild = [
      'PRAGMA foreign_keys=OFF;',
      "CREATE TABLE `__new_users` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,\n\t`email` text NOT NULL,\n\t`plan` text DEFAULT 'pro' NOT NULL,\n\t`created_at` integer DEFAULT (unixepoch()) NOT NULL\n);",
      'INSERT INTO `__new_users`("id", "email", "plan", "created_at") SELECT "id", "email", "plan", "created_at" FROM `users`;',
      'DROP TABLE `users`;',
      'ALTER TABLE `__new_users` RENAME TO `users`;',
      'PRAGMA foreign_keys=ON;',
      'CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);',
    ].join(BREAK);
    const sql = `${clean.head[SQL]}${BREAK}${rebuild}`;
    const [r] = await expectFires(rule, await input(clean.head, withSql(sql)));
    expect(r.details).toEqual(["users.plan: default 'pro' in the migrations, 'free' in the snapshot"]);
    expect(r.line).toBe(sql.split('\n').findIndex((l) => l.startsWith('CREATE TABLE `__new_users`')) + 1);
  });

  it('points at the RENAME that gives the drifted table its name', async () => {
    const sql = `${scoreReal}${BREAK}ALTER TABLE \`posts\` RENAME TO \`articles\`;`;
    const snap = JSON.parse(clean.head[SNAP]);
    snap.tables.articles = { ...snap.tables.posts, name: 'articles' };
    delete snap.tables.posts;
    const [r] = await expectFires(rule, await input(clean.head, { ...withSql(sql), [SNAP]: JSON.stringify(snap) }));
    expect(r.details).toEqual(['articles.score: type REAL in the migrations, INTEGER in the snapshot']);
    expect(r.line).toBe(sql.split('\n').findIndex((l) => l.startsWith('ALTER TABLE')) + 1);
  });

  it('points at the last SQL file the PR touched, even when it is not the newest', async () => {
    const init = clean.head['drizzle/0000_init.sql'].replace('`email` text NOT NULL', '`email` text');
    const [r] = await expectFires(rule, await input(clean.head, { ...clean.head, 'drizzle/0000_init.sql': init }));
    expect(r).toMatchObject({ file: 'drizzle/0000_init.sql', line: 1 });
    expect(r.details).toEqual(['users.email: nullable in the migrations, NOT NULL in the snapshot']);
  });
});

describe('drizzle-snapshot-drift: which folders and which drift', () => {
  it('fires, not pre-existing, for a PR that adds the whole Drizzle folder with a hand edit', async () => {
    const head = loadFixture('hand-edited-sql').head;
    const i = await input({}, head);
    expect(i.drizzle.folders[0].base).toBeUndefined();
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ file: SQL, preexisting: false, data: { count: 2 } });
  });

  it('stays silent when an entry lost its snapshot, although the replay then differs from the older latest snapshot', async () => {
    const head = Object.fromEntries(Object.entries(clean.head).filter(([p]) => p !== SNAP));
    const i = await input(clean.base, head);
    expect(i.drizzle.folders[0].head.latest?.path).toBe('drizzle/meta/0000_snapshot.json');
    await expectPasses(rule, i);
  });

  it('reports a table only the migrations have when the folder is the database\'s sole source, not when it shares it', async () => {
    const sql = `${clean.head[SQL]}${BREAK}CREATE TABLE \`audit\` (\`id\` integer PRIMARY KEY);`;
    const sole = await input(clean.head, withSql(sql));
    const [r] = await expectFires(rule, sole);
    expect(r.details).toEqual(['table audit: in the migrations, not in the snapshot']);
    // Another source of the same database (a wrangler folder, hand-written SQL) may create tables Drizzle never sees.
    const shared = await input(clean.head, withSql(sql));
    shared.drizzle.folders[0].soleSource = false;
    await expectPasses(rule, shared);
  });

  it('is not pre-existing when the PR adds drift to main\'s', async () => {
    const main = loadFixture('hand-edited-sql').head;
    const head = { ...main, [SQL]: main[SQL].replace('`title` text NOT NULL', '`title` text') };
    const [r] = await expectFires(rule, await input(main, head));
    expect(r).toMatchObject({ preexisting: false, data: { count: 3 } });
  });

  it('compares each folder with the replay of its own database', async () => {
    const f = loadFixture('hand-edited-sql');
    const i = await input(f.base, f.head);
    const other = (await input(clean.base, clean.head)).databases[0];
    // A database listed first whose replay matches the snapshot: judging by it would miss the drift.
    (i as { databases: RuleInput['databases'] }).databases = [{ ...other, spec: { ...other.spec, name: 'other' } }, ...i.databases];
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ database: 'app', data: { count: 2 } });
  });
});
