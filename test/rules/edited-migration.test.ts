import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/edited-migration.js';
import { lineDiff } from '../../src/rules/history/line-diff.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { drizzleMigrationsInput, migrationsInput } from '../helpers/prepared-input.js';
import { drizzleInput, loadFixture } from '../drizzle/drizzle-input.js';
import { reviewFiles } from '../helpers/review-files.js';

const P = 'libs/engine/migrations/076_meadow.sql';
const original = [
  '-- Meadow: the community feed',
  'CREATE TABLE meadow_posts (',
  '  id TEXT PRIMARY KEY,',
  '  body TEXT NOT NULL',
  ');',
  'CREATE INDEX idx_meadow_posts_body ON meadow_posts(body);',
].join('\n');

const input = (after: string) => migrationsInput({ [P]: original }, { [P]: after }, { database: 'grove-engine-db' });

describe('edited-migration', () => {
  it('passes when the PR leaves applied migrations alone', async () => {
    await expectPasses(rule, migrationsInput({ [P]: original }, { 'libs/engine/migrations/085_new.sql': 'SELECT 1;' }));
  });

  it('does not blame the PR for a file main changed itself', async () => {
    const i = migrationsInput({ [P]: original }, { 'src/app.ts': 'export {};' }, { mainAfter: { [P]: `${original}\n-- main's own note` } });
    await expectPasses(rule, i);
  });

  it('fires with the changed lines and the first changed line', async () => {
    const after = original.replace('  body TEXT NOT NULL', '  body TEXT NOT NULL,\n  visibility TEXT');
    const [r] = await expectFires(rule, input(after));
    expect(r).toMatchObject({ messageId: 'edited', file: P, line: 4, database: 'grove-engine-db', data: { changed: 3, s: 's' } });
    expect(r.severity).toBeUndefined();
    expect(r.details).toEqual(['-   body TEXT NOT NULL', '+   body TEXT NOT NULL,', '+   visibility TEXT']);
  });

  it('reports a comment or whitespace-only edit as a warning', async () => {
    const after = original.replace('-- Meadow: the community feed', '-- Meadow: community feed (v2)').replace('  id TEXT', '    id  TEXT');
    const [r] = await expectFires(rule, input(after));
    expect(r).toMatchObject({ messageId: 'cosmetic', severity: 'warning', line: 1 });
  });

  it('does not treat a changed string literal as cosmetic', async () => {
    const before = "CREATE TABLE flags (name TEXT);\nINSERT INTO flags VALUES ('Beta');";
    const i = migrationsInput({ 'm/001.sql': before }, { 'm/001.sql': before.replace("'Beta'", "'beta'") });
    const [r] = await expectFires(rule, i);
    expect(r.messageId).toBe('edited');
  });

  it('reports a line-ending-only edit as cosmetic', async () => {
    const [r] = await expectFires(rule, input(original.replace(/\n/g, '\r\n')));
    expect(r).toMatchObject({ messageId: 'cosmetic', details: ['(only line endings changed)'] });
  });

  it("stays silent when the PR only adds a safari-ignore acknowledgement to an old file", async () => {
    await expectPasses(rule, input(`-- safari-ignore: duplicate-number applied long ago\n${original}`));
  });

  it('caps long diffs', () => {
    const before = Array.from({ length: 40 }, (_, k) => `line ${k}`).join('\n');
    const after = Array.from({ length: 40 }, (_, k) => `LINE ${k}`).join('\n');
    const diff = lineDiff(before, after, 12)!;
    expect(diff.changed).toBe(80);
    expect(diff.lines).toHaveLength(13);
    expect(diff.lines.at(-1)).toBe('… 68 more changed lines');
  });

  it('calls an edit of a file main\'s replay fails in a repair: wrangler per file, Drizzle per transaction', async () => {
    // main's replay really fails in 0000_a (line 2); the PR edits 0001_b.
    const a = 'CREATE TABLE a (id);\nINSERT INTO missing VALUES (1);';
    const inputs = {
      wrangler: migrationsInput({ 'm/0000_a.sql': a, 'm/0001_b.sql': 'CREATE TABLE b (id);' }, { 'm/0001_b.sql': 'CREATE TABLE b (id, name);' }),
      drizzle: drizzleMigrationsInput({ '0000_a': a, '0001_b': 'CREATE TABLE b (id);' }, { '0001_b': 'CREATE TABLE b (id, name);' }),
    };
    for (const applier of ['wrangler', 'drizzle'] as const) {
      const i = await inputs[applier];
      expect(i.databases[0].base.replay.failures).toMatchObject([{ line: 2, message: expect.stringContaining('no such table: missing') }]);
      const [r] = await expectFires(rule, i);
      // wrangler recorded 0001 although 0000 failed (each file alone); Drizzle's one transaction never committed it.
      expect([applier, r.messageId]).toEqual([applier, applier === 'drizzle' ? 'repair' : 'edited']);
      if (applier === 'drizzle') expect(r).toMatchObject({ severity: 'warning', data: { failure: expect.stringContaining('no such table: missing'), failedAt: 'drizzle/0000_a.sql:2' } });
    }
  });

  it('calls an edit that takes a refused ADD COLUMN out of main\'s newest migration a repair, with the uncertainty', async () => {
    // A team that restores the older text instead of deleting: `ADD COLUMN … NOT NULL` without a default, which every
    // database with rows in `users` refused (hwld/evodo-openapi), edited to a form SQLite accepts on rows.
    const users = 'CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT);\n';
    const base = { 'migrations/0001_users.sql': users, 'migrations/0002_profile.sql': 'ALTER TABLE users ADD profile text NOT NULL;\n' };
    const repaired = await reviewFiles({ base, pr: { 'migrations/0002_profile.sql': "ALTER TABLE users ADD profile text NOT NULL DEFAULT '';\n" } });
    expect(repaired.findings.filter((f) => f.rule === 'edited-migration')).toEqual([
      expect.objectContaining({ messageId: 'repairRefused', severity: 'warning', data: expect.objectContaining({ table: 'users', column: 'profile', reason: 'NOT NULL without a default' }) }),
    ]);
    // An edit that keeps the refused statement repairs nothing; an older, applied file is still an ordinary edit.
    const kept = await reviewFiles({ base, pr: { 'migrations/0002_profile.sql': 'ALTER TABLE users ADD profile text NOT NULL;\nCREATE INDEX users_name ON users (name);\n' } });
    expect(kept.findings.filter((f) => f.rule === 'edited-migration').map((f) => f.messageId)).toEqual(['edited']);
    const older = await reviewFiles({ base: { ...base, 'migrations/0003_x.sql': 'CREATE TABLE x (id);\n' }, pr: { 'migrations/0002_profile.sql': "ALTER TABLE users ADD profile text NOT NULL DEFAULT '';\n" } });
    expect(older.findings.filter((f) => f.rule === 'edited-migration').map((f) => f.messageId)).toEqual(['edited']);
  });

  describe('a regenerated Drizzle migration, judged with the journal `when`', () => {
    const main = loadFixture('clean').head;
    const regenerate = (shift: number) => {
      const journal = JSON.parse(main['drizzle/meta/_journal.json']);
      journal.entries[1].when += shift;
      return { ...main, 'drizzle/0001_posts.sql': `${main['drizzle/0001_posts.sql']}\n--> statement-breakpoint\nCREATE INDEX \`posts_title_idx\` ON \`posts\` (\`title\`);`, 'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2) };
    };

    it('with a later date: re-run on databases that applied the old version', async () => {
      const [r] = await expectFires(rule, await drizzleInput(main, regenerate(60_000), { evaluate: false }));
      expect(r).toMatchObject({ messageId: 'rerun', file: 'drizzle/0001_posts.sql', data: { oldWhen: '2026-11-24T12:33:27.973Z', when: '2026-11-24T12:34:27.973Z' } });
    });

    it('with an earlier or the same date: skipped there, an ordinary edit', async () => {
      for (const shift of [-60_000, 0]) {
        const [r] = await expectFires(rule, await drizzleInput(main, regenerate(shift), { evaluate: false }));
        expect(r.messageId).toBe('edited');
      }
    });
  });
});
