import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-schema-stale.js';
import { drizzleInput, loadFixture } from '../drizzle/drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const SCHEMA = 'src/db/schema.ts';

describe('drizzle-schema-stale', () => {
  it('passes a schema change that comes with its generated migration', async () => {
    const f = loadFixture('clean');
    await expectPasses(rule, await drizzleInput(f.base, f.head));
  });

  it('fires for a schema change without a migration, with the differences, the missing SQL and the command', async () => {
    const f = loadFixture('stale-schema');
    const [r] = await expectFires(rule, await drizzleInput(f.base, f.head, { configFile: 'packages/db/drizzle.config.ts' }));
    expect(r).toMatchObject({
      messageId: 'stale',
      file: SCHEMA,
      preexisting: false,
      data: { schema: SCHEMA, snapshot: 'drizzle/meta/0000_snapshot.json', count: 1, command: 'npx drizzle-kit generate --config packages/db/drizzle.config.ts' },
    });
    // The first line of schema.ts the PR changed.
    expect(r.line).toBe(8);
    expect(r.details).toContain('  ALTER TABLE `users` ADD `display_name` text;');
  });

  it('still fires when drizzle-kit would need a rename prompt, and says why there is no SQL', async () => {
    const f = loadFixture('clean');
    const head = { ...f.head, [SCHEMA]: f.head[SCHEMA].replace("title: text('title')", "headline: text('headline')") };
    const [r] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(r.details?.slice(0, 2)).toEqual([
      'posts.headline: column in schema.ts, not in the latest snapshot',
      'posts.title: column in the latest snapshot, not in schema.ts',
    ]);
    // drizzle-kit's own error ("Interactive prompts require a TTY terminal") never reaches the user.
    expect(r.details?.at(-1)).toBe('No SQL shown: drizzle-kit would ask whether a table or column was renamed, and the SQL depends on the answer');
    expect(JSON.stringify(r)).not.toMatch(/TTY|prompts require/);
  });

  it('marks staleness main already had as pre-existing when the PR only touches the schema harmlessly', async () => {
    const f = loadFixture('stale-schema');
    const head = { ...f.head, [SCHEMA]: `// reformatted\n${f.head[SCHEMA]}` };
    const [r] = await expectFires(rule, await drizzleInput(f.head, head));
    expect(r).toMatchObject({ messageId: 'stale', preexisting: true });
  });

  it('does not evaluate when the PR touches neither the schema nor the folder', async () => {
    const f = loadFixture('stale-schema');
    const i = await drizzleInput(f.head, { ...f.head, 'README.md': 'x\n' });
    expect(i.drizzle.folders[0].evaluation).toEqual({ status: 'skipped', reason: 'untouched' });
    await expectPasses(rule, i);
  });

  it('does not evaluate fork PRs by default, and says so in a notice', async () => {
    const f = loadFixture('stale-schema');
    const [r] = await expectFires(rule, await drizzleInput(f.base, f.head, { origin: 'fork' }));
    expect(r).toMatchObject({ messageId: 'not-evaluated-fork', severity: 'notice' });
  });

  it('evaluates fork PRs with evaluateSchema: always, and never evaluates with never', async () => {
    const f = loadFixture('stale-schema');
    const always = await drizzleInput(f.base, f.head, { origin: 'fork', config: { drizzle: { evaluateSchema: 'always', evaluationFailure: 'warning' } } });
    expect((await rule.check(always)).map((r) => r.messageId)).toEqual(['stale']);
    const never = await drizzleInput(f.base, f.head, { config: { drizzle: { evaluateSchema: 'never', evaluationFailure: 'warning' } } });
    expect(never.drizzle.folders[0].evaluation).toEqual({ status: 'skipped', reason: 'disabled' });
    await expectPasses(rule, never);
  });

  it('evaluates a schema that imports another package (an inert stub), and reports a forbidden built-in at its line', async () => {
    const f = loadFixture('stale-schema');
    const head = { ...f.head, [SCHEMA]: `import { nanoid } from 'nanoid';\n${f.head[SCHEMA]}\nexport const id = nanoid;\n` };
    const [stale] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(stale).toMatchObject({ messageId: 'stale', file: SCHEMA });
    const fs = { ...f.head, [SCHEMA]: `import { readFileSync } from 'node:fs';\n${f.head[SCHEMA]}\nexport const id = readFileSync;\n` };
    const [r] = await expectFires(rule, await drizzleInput(f.base, fs));
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'warning', file: SCHEMA, line: 1 });
    expect(r.data?.message).toMatch(/node:fs, which the schema sandbox does not provide/);
  });

  it('says so when the config names a schema that no file matches', async () => {
    const f = loadFixture('clean');
    const [r] = await expectFires(rule, await drizzleInput(f.base, f.head, { schema: ['src/db/shema.ts'] }));
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'notice', file: 'drizzle.config.ts' });
    expect(r.data?.message).toBe("the config's schema (src/db/shema.ts) matches no file in the pull request's tree");
  });

  it('skips folders of dialects Safari does not evaluate', async () => {
    const f = loadFixture('stale-schema');
    const i = await drizzleInput(f.base, f.head, { dialect: 'postgresql' });
    expect(i.drizzle.folders[0].evaluation).toEqual({ status: 'skipped', reason: 'not-sqlite' });
    await expectPasses(rule, i);
  });

  it('says plainly when the evaluation ran with the network reachable (a host without unshare)', async () => {
    const f = loadFixture('clean');
    const i = await drizzleInput(f.base, f.head);
    const e = i.drizzle.folders[0].evaluation;
    expect(e).toMatchObject({ status: 'fresh', networkIsolated: true });
    if (e.status === 'fresh') e.networkIsolated = false;
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'network-reachable', severity: 'notice', data: { folder: 'drizzle' } });
  });

  describe('a folder wrangler applies, with hand-written SQL beside drizzle-kit\'s', () => {
    // Modelled on D1 apps whose drizzle.config.ts `out` is wrangler's `migrations_dir`: some migrations come from
    // drizzle-kit (with snapshots), later ones are written by hand, so the last snapshot lags behind the SQL.
    const f = loadFixture('stale-schema');
    const tags = "export const tags = sqliteTable('tags', {\n  id: integer('id').primaryKey(),\n  name: text('name').notNull(),\n});\n";
    const head = (sql: string, schema = f.head[SCHEMA]) => ({ ...f.head, [SCHEMA]: schema, 'drizzle/0001_hand.sql': sql });

    it('is not stale when the PR\'s hand-written SQL already does what schema.ts says', async () => {
      const i = await drizzleInput(f.base, head('ALTER TABLE users ADD COLUMN display_name TEXT;'), { applier: 'wrangler' });
      await expectPasses(rule, i);
    });

    it('shows only what is really missing, and never advises generate where it would re-create a table the PR creates', async () => {
      const sql = 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);';
      const [r] = await expectFires(rule, await drizzleInput(f.base, head(sql, `${f.head[SCHEMA]}\n${tags}`), { applier: 'wrangler' }));
      expect(r).toMatchObject({ messageId: 'missing-hand', data: { count: 1, created: ['tags'], folder: 'drizzle' }, file: SCHEMA, line: 8 });
      expect(r.details).toEqual(['users.display_name: column in schema.ts, not in the migrations', 'Missing SQL:', '  ALTER TABLE `users` ADD `display_name` text;']);
      expect(String((rule.meta.fix as Record<string, string>)['missing-hand'])).toMatch(/Don't use/);
    });

    describe('uniqueness, compared by columns whatever each side calls it', () => {
      // schema.ts's `.unique()` is drizzle-kit's unique index `tags_name_unique`; hand-written SQL says `UNIQUE` inline
      // (SQLite keeps it as an unnamed autoindex) or creates a unique index of its own name.
      const uniqueTags = tags.replace(".notNull(),", ".notNull().unique(),");
      const withTags = (tagsSql: string, schema = uniqueTags) =>
        drizzleInput(f.base, head(`ALTER TABLE users ADD COLUMN display_name TEXT;\n${tagsSql}`, `${f.head[SCHEMA]}\n${schema}`), { applier: 'wrangler' });

      it('passes an inline UNIQUE or a unique index of another name over the same column', async () => {
        await expectPasses(rule, await withTags('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);'));
        await expectPasses(rule, await withTags('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL, UNIQUE (name));'));
        await expectPasses(rule, await withTags('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE UNIQUE INDEX tags_name_idx ON tags (name);'));
      });

      it('fires when the SQL does not make the column unique, or makes unique what schema.ts does not', async () => {
        const [missing] = await expectFires(rule, await withTags('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);'));
        expect(missing.details).toContain('tags: index tags_name_unique in schema.ts, not in the migrations');
        const [extra] = await expectFires(rule, await withTags('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);', tags));
        expect(extra.details).toContain('tags: UNIQUE (name) in the migrations, not in schema.ts');
      });
    });

    it('with a drizzle-applied folder, still compares with the latest snapshot', async () => {
      const [r] = await expectFires(rule, await drizzleInput(f.base, head('ALTER TABLE users ADD COLUMN display_name TEXT;')));
      expect(r.messageId).toBe('stale');
    });
  });
});
