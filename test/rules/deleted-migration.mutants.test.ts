// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline (git shows a moved file with the same content as a rename).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/deleted-migration.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleJournal, migrationsInput, preparedInput, prInput, WRANGLER } from '../helpers/prepared-input.js';

const sql = 'SELECT 1;\n';
/** A migration long enough that git still calls it a rename when one line changes on the way. */
const long = (last: string) => `CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\nCREATE TABLE c (id INTEGER);\nCREATE TABLE d (id INTEGER);\nCREATE TABLE e (id INTEGER);\n${last}`;
const drizzleConfig = (out: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ out: '${out}', dialect: 'sqlite' });\n`;
const journal = (...tags: string[]) => drizzleJournal(tags.map((tag, i) => [tag, 1_700_000_000_000 + i * 60_000]));

describe('deleted-migration (mutation cases)', () => {
  describe('a deletion of a migration that fails on main', () => {
    it('points at the failing line of the deleted file itself', async () => {
      const input = prInput({ 'migrations/0001_a.sql': sql, 'migrations/0002_b.sql': 'SELECT 1;\nCREATE TABLE t (x, x);\n' }, { 'migrations/0002_b.sql': null });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({
        messageId: 'deletedNeverApplied',
        severity: 'warning',
        file: 'migrations/0002_b.sql',
        line: 2,
        data: { name: '0002_b.sql', failedAt: 'line 2', failure: expect.stringContaining('duplicate column') },
      });
    });

    it('names the earlier Drizzle file that fails (the migrator runs the folder in one transaction) and puts the finding on line 1', async () => {
      const input = preparedInput({
        base: {
          'drizzle.config.ts': drizzleConfig('./drizzle'),
          'drizzle/0000_a.sql': 'SELECT 1;\nCREATE TABLE t (x, x);\n',
          'drizzle/0001_b.sql': 'CREATE TABLE u (id INTEGER);\n',
          'drizzle/meta/_journal.json': journal('0000_a', '0001_b'),
        },
        pr: { 'drizzle/0001_b.sql': null, 'drizzle/meta/_journal.json': journal('0000_a') },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'deletedNeverApplied', file: 'drizzle/0001_b.sql', line: 1, data: { name: '0001_b.sql', failedAt: 'drizzle/0000_a.sql:2' } });
    });

    it('still calls a rename of it a rename (wrangler runs the new name)', async () => {
      const input = prInput({ 'migrations/0001_a.sql': sql, 'migrations/0002_b.sql': 'CREATE TABLE t (x, x);\n' }, { 'migrations/0002_b.sql': null, 'migrations/0002_c.sql': 'CREATE TABLE t (x, x);\n' });
      const reports = await expectFires(rule, input);
      expect(reports.map((r) => [r.messageId, r.file])).toEqual([['renamed', 'migrations/0002_c.sql']]);
    });
  });

  it("calls a rename of main's newest, refused migration a rename, not a harmless revert", async () => {
    const pinned = 'ALTER TABLE posts ADD COLUMN pinned_at INTEGER DEFAULT (unixepoch());\n';
    const input = prInput(
      { 'migrations/0001_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n', 'migrations/0002_pinned.sql': pinned },
      { 'migrations/0002_pinned.sql': null, 'migrations/0002_pin.sql': pinned },
    );
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['renamed', 'migrations/0002_pin.sql']]);
  });

  it('does not call a regenerated Drizzle migration (journal idx now names a new tag) deleted', async () => {
    const input = preparedInput({
      base: {
        'drizzle.config.ts': drizzleConfig('./drizzle'),
        'drizzle/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n',
        'drizzle/0001_old_name.sql': 'CREATE TABLE b (id INTEGER);\n',
        'drizzle/meta/_journal.json': journal('0000_a', '0001_old_name'),
      },
      pr: { 'drizzle/0001_old_name.sql': null, 'drizzle/0001_new_name.sql': 'CREATE TABLE b (id INTEGER, x TEXT);\n', 'drizzle/meta/_journal.json': journal('0000_a', '0001_new_name') },
    });
    await expectPasses(rule, input);
  });

  describe('a Drizzle folder moved with its config into a database named anew', () => {
    const files = (dir: string, second: string) => ({
      [`${dir}/0000_free_baron.sql`]: 'CREATE TABLE users (id TEXT PRIMARY KEY);\n',
      [`${dir}/0001_second.sql`]: second,
      [`${dir}/meta/_journal.json`]: journal('0000_free_baron', '0001_second'),
    });
    const move = (second: string, more: Record<string, string> = {}) =>
      preparedInput({
        base: { 'drizzle.config.ts': drizzleConfig('./drizzle'), ...files('drizzle', long('CREATE TABLE posts (id TEXT PRIMARY KEY);\n')) },
        pr: {
          'drizzle.config.ts': null,
          'drizzle/0000_free_baron.sql': null,
          'drizzle/0001_second.sql': null,
          'drizzle/meta/_journal.json': null,
          'config/drizzle/drizzle.config.ts': drizzleConfig('../../infra/drizzle'),
          ...files('infra/drizzle', second),
          ...more,
        },
      });

    it('pairs each file with its own moved copy', async () => {
      await expectPasses(rule, move(long('CREATE TABLE posts (id TEXT PRIMARY KEY);\n')));
    });

    it('finds the moved copy when the PR adds another new database too', async () => {
      const more = { 'a/wrangler.toml': WRANGLER.replace('app-db', 'a-db'), 'a/migrations/0001_x.sql': sql, 'z/wrangler.toml': WRANGLER.replace('app-db', 'z-db'), 'z/migrations/0001_x.sql': sql };
      const input = await move(long('CREATE TABLE posts (id TEXT PRIMARY KEY);\n'), more);
      expect(input.databases.filter((d) => d.base.files.length === 0 && d.head.files.length > 0)).toHaveLength(3);
      await expectPasses(rule, input);
    });

    it('reports a file edited during the move', async () => {
      const reports = await expectFires(rule, move(long('CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT);\n')));
      expect(reports.map((r) => [r.messageId, r.file, r.data?.name])).toEqual([['movedAndEdited', 'infra/drizzle/0001_second.sql', '0001_second.sql']]);
    });
  });

  it("calls a wrangler file moved into a new Drizzle database's folder a move out (only Drizzle files keep their history that way)", async () => {
    const input = preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n' },
      pr: {
        'migrations/0000_a.sql': null,
        'drizzle.config.ts': drizzleConfig('./drizzle'),
        'drizzle/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n',
        'drizzle/meta/_journal.json': journal('0000_a'),
      },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['movedOut', 'drizzle/0000_a.sql']]);
  });

  it("calls a Drizzle file moved into a new wrangler database's folder a move out", async () => {
    const input = preparedInput({
      base: { 'drizzle.config.ts': drizzleConfig('./drizzle'), 'drizzle/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n', 'drizzle/meta/_journal.json': journal('0000_a') },
      pr: { 'drizzle.config.ts': null, 'drizzle/meta/_journal.json': null, 'drizzle/0000_a.sql': null, 'wrangler.toml': WRANGLER, 'migrations/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n' },
    });
    const reports = await expectFires(rule, input);
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['movedOut', 'migrations/0000_a.sql']]);
  });

  it("calls a Drizzle file moved into another database's folder, which had migrations on main, a move out", async () => {
    const at = (dir: string, tags: string[]) => ({
      [`${dir}/drizzle.config.ts`]: drizzleConfig('./drizzle'),
      ...Object.fromEntries(tags.map((t) => [`${dir}/drizzle/${t}.sql`, `CREATE TABLE ${t.slice(5)} (id INTEGER);\n`])),
      [`${dir}/drizzle/meta/_journal.json`]: journal(...tags),
    });
    const input = preparedInput({
      base: { ...at('a', ['0000_aa', '0001_ab']), ...at('b', ['0000_ba']) },
      pr: {
        'a/drizzle/0001_ab.sql': null,
        'a/drizzle/meta/_journal.json': journal('0000_aa'),
        'b/drizzle/0001_ab.sql': 'CREATE TABLE ab (id INTEGER);\n',
        'b/drizzle/meta/_journal.json': journal('0000_ba', '0001_ab'),
      },
    });
    const reports = (await input).databases.length > 1 ? rule.check(await input) : [];
    expect(reports.map((r) => [r.messageId, r.file])).toEqual([['movedOut', 'b/drizzle/0001_ab.sql']]);
  });

  describe('a Drizzle folder moved with its config `out` (the same database: named after the folder above)', () => {
    const config = (out: string) => `export default { out: '${out}', dialect: 'sqlite', schema: './src/schema.ts' };\n`;

    it('reports a file edited during the move', async () => {
      const input = preparedInput({
        base: { 'packages/db/drizzle.config.ts': config('./drizzle'), 'packages/db/drizzle/0000_a.sql': long(''), 'packages/db/drizzle/meta/_journal.json': journal('0000_a') },
        pr: {
          'packages/db/drizzle.config.ts': config('./migrations'),
          'packages/db/drizzle/0000_a.sql': null,
          'packages/db/drizzle/meta/_journal.json': null,
          'packages/db/migrations/0000_a.sql': long('CREATE TABLE f (id INTEGER);\n'),
          'packages/db/migrations/meta/_journal.json': journal('0000_a'),
        },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'movedAndEdited', file: 'packages/db/migrations/0000_a.sql', data: { name: '0000_a.sql', to: 'packages/db/migrations/0000_a.sql' } });
    });

    it('warns when the journal stayed behind (no entry names the moved file)', async () => {
      const input = preparedInput({
        base: { 'packages/db/drizzle.config.ts': config('./drizzle'), 'packages/db/drizzle/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n', 'packages/db/drizzle/meta/_journal.json': journal('0000_a') },
        pr: { 'packages/db/drizzle.config.ts': config('./migrations'), 'packages/db/drizzle/0000_a.sql': null, 'packages/db/drizzle/meta/_journal.json': null, 'packages/db/migrations/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n' },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'renamedDrizzle', severity: 'warning', file: 'packages/db/migrations/0000_a.sql' });
    });

    it('warns for a folder without a journal, moved', async () => {
      const input = preparedInput({
        base: { 'packages/db/drizzle.config.ts': config('./drizzle'), 'packages/db/drizzle/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n' },
        pr: { 'packages/db/drizzle.config.ts': config('./migrations'), 'packages/db/drizzle/0000_a.sql': null, 'packages/db/migrations/0000_a.sql': 'CREATE TABLE a (id INTEGER);\n' },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'renamedDrizzle', severity: 'warning', file: 'packages/db/migrations/0000_a.sql' });
    });
    it('warns for a timestamp-tagged file moved into the drizzle-kit 1.x layout (same tag, another file name)', async () => {
      const tag = '20240101123456_init';
      const input = preparedInput({
        base: { 'packages/db/drizzle.config.ts': config('./drizzle'), [`packages/db/drizzle/${tag}.sql`]: long(''), 'packages/db/drizzle/meta/_journal.json': journal(tag) },
        pr: {
          'packages/db/drizzle.config.ts': config('./migrations'),
          [`packages/db/drizzle/${tag}.sql`]: null,
          'packages/db/drizzle/meta/_journal.json': null,
          [`packages/db/migrations/${tag}/migration.sql`]: long(''),
        },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'renamedDrizzle', severity: 'warning', file: `packages/db/migrations/${tag}/migration.sql`, data: { name: `${tag}/migration.sql` } });
    });
  });

  describe('one database fed by a wrangler folder and a Drizzle folder (a project moving to Drizzle), both drizzle-kit folders with journals', () => {
    const base = {
      '.github/safari.yml': 'databases:\n  app:\n    migrations: [migrations, drizzle]\n',
      'wrangler.toml': WRANGLER,
      'drizzle.config.ts': drizzleConfig('./drizzle'),
      'old/drizzle.config.ts': drizzleConfig('../migrations'),
      'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n',
      'migrations/meta/_journal.json': journal('0001_a'),
      'drizzle/0000_d.sql': 'CREATE TABLE d (id INTEGER);\n',
      'drizzle/meta/_journal.json': journal('0000_d'),
    };

    it("is an error to move a file wrangler ran into the Drizzle folder: Drizzle's migrator runs it again", async () => {
      const input = await preparedInput({
        base,
        pr: { 'migrations/0001_a.sql': null, 'migrations/meta/_journal.json': journal(), 'drizzle/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n', 'drizzle/meta/_journal.json': journal('0000_d', '0001_a') },
      });
      expect(input.databases.map((d) => [d.base.files.map((f) => f.applier), d.head.files.map((f) => f.applier)])).toEqual([[['wrangler', 'drizzle'], ['drizzle', 'drizzle']]]);
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'renamedIntoDrizzle', file: 'drizzle/0001_a.sql', data: { from: 'migrations/0001_a.sql', name: '0001_a.sql' } });
      expect(r.severity).toBeUndefined();
    });

    it('is an error to move a file Drizzle ran into the wrangler folder: wrangler runs it again', async () => {
      const input = preparedInput({
        base,
        pr: { 'drizzle/0000_d.sql': null, 'drizzle/meta/_journal.json': journal(), 'migrations/0000_d.sql': 'CREATE TABLE d (id INTEGER);\n', 'migrations/meta/_journal.json': journal('0000_d', '0001_a') },
      });
      const [r] = await expectFires(rule, input);
      expect(r).toMatchObject({ messageId: 'renamed', file: 'migrations/0000_d.sql', data: { from: 'drizzle/0000_d.sql', name: '0000_d.sql' } });
      expect(r.severity).toBeUndefined();
    });
  });

  describe('deleting several files', () => {
    it('reports each file when not the whole folder goes', async () => {
      const reports = await expectFires(rule, migrationsInput({ 'm/001_a.sql': sql, 'm/002_b.sql': sql, 'm/003_c.sql': sql }, { 'm/002_b.sql': null, 'm/003_c.sql': null }, { database: 'db' }));
      expect(reports.map((r) => [r.messageId, r.file])).toEqual([
        ['deleted', 'm/002_b.sql'],
        ['deleted', 'm/003_c.sql'],
      ]);
    });

    it('reports a removed folder once and a deletion in another folder on its own', async () => {
      const base = { 'm/001_a.sql': sql, 'm/002_b.sql': sql, 'n/001_x.sql': sql, 'n/002_y.sql': sql };
      const reports = await expectFires(rule, migrationsInput(base, { 'm/001_a.sql': null, 'm/002_b.sql': null, 'n/002_y.sql': null }, { database: 'db' }));
      expect(reports.map((r) => [r.messageId, r.file])).toEqual([
        ['folderDeleted', 'm'],
        ['deleted', 'n/002_y.sql'],
      ]);
    });
  });

  describe('moved wrangler files (paired by name)', () => {
    it('pairs a moved file with its new copy even when a same-named file stays on main', async () => {
      const base = { 'a/001_x.sql': sql, 'm/001_x.sql': sql };
      await expectPasses(rule, migrationsInput(base, { 'm/001_x.sql': null, 'n/001_x.sql': sql }, { database: 'db' }));
    });

    it('pairs each moved file with the copy of the same content first', async () => {
      const x = 'CREATE TABLE x (id INTEGER);\n';
      const y = 'CREATE TABLE y (id INTEGER);\n';
      const input = migrationsInput({ 'm/001_a.sql': x, 'o/001_a.sql': y }, { 'm/001_a.sql': null, 'o/001_a.sql': null, 'n/001_a.sql': y, 'p/001_a.sql': x }, { database: 'db' });
      await expectPasses(rule, input);
    });

    it('pairs each new copy with one old file: two files left, one copy, one finding', async () => {
      const input = migrationsInput({ 'm/001_a.sql': sql, 'o/001_a.sql': sql, 'o/002_b.sql': sql }, { 'm/001_a.sql': null, 'o/001_a.sql': null, 'n/001_a.sql': sql }, { database: 'db' });
      const reports = await expectFires(rule, input);
      expect(reports).toHaveLength(1);
    });

    it('keeps a pairing made on content when a later pass looks again', async () => {
      const x = 'CREATE TABLE x (id INTEGER);\n';
      const y = 'CREATE TABLE y (id INTEGER);\n';
      const input = migrationsInput({ 'm/001_a.sql': x, 'o/001_a.sql': y }, { 'm/001_a.sql': null, 'o/001_a.sql': null, 'n/001_a.sql': x, 'p/001_a.sql': `${y}-- edited\nSELECT 1;\n` }, { database: 'db' });
      const reports = await expectFires(rule, input);
      expect(reports.map((r) => [r.messageId, r.file, r.data?.name])).toEqual([['movedAndEdited', 'p/001_a.sql', '001_a.sql']]);
    });

    it('ignores a move that only adds an acknowledgement', async () => {
      await expectPasses(rule, migrationsInput({ 'm/001_a.sql': sql }, { 'm/001_a.sql': null, 'n/001_a.sql': `-- safari-ignore: destructive-change fine\n${sql}` }, { database: 'db' }));
    });

    it('counts the changed lines of a moved file (plural)', async () => {
      const [r] = await expectFires(rule, migrationsInput({ 'm/001_a.sql': 'SELECT 1;\nSELECT 2;\n' }, { 'm/001_a.sql': null, 'n/001_a.sql': 'SELECT 3;\nSELECT 4;\n' }, { database: 'db' }));
      expect(r).toMatchObject({ messageId: 'movedAndEdited', line: 1, data: { changed: 4, s: 's' } });
      const [one] = await expectFires(rule, migrationsInput({ 'm/001_a.sql': 'SELECT 1;\nSELECT 2;\n' }, { 'm/001_a.sql': null, 'n/001_a.sql': 'SELECT 1;\nSELECT 2;\nSELECT 3;\n' }, { database: 'db' }));
      expect(one).toMatchObject({ messageId: 'movedAndEdited', line: 3, data: { changed: 1, s: '' } });
    });

    it('warns for a move that only changes line endings', async () => {
      const [r] = await expectFires(rule, migrationsInput({ 'm/001_a.sql': 'SELECT 1;\nSELECT 2;\n' }, { 'm/001_a.sql': null, 'n/001_a.sql': 'SELECT 1;\r\nSELECT 2;\r\n' }, { database: 'db' }));
      expect(r).toMatchObject({ messageId: 'movedAndEdited', severity: 'warning', line: 1, data: { changed: 1, s: '' }, details: ['(only line endings changed)'] });
    });
  });
});
