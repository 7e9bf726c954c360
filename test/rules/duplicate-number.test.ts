import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/duplicate-number.js';
import type { FileChange } from '../../src/source/types.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { makeRuleInput } from '../helpers/rule-input.js';
import { drizzleMigrationsInput, migrationsInput, prInput, sharedFolderWrangler, wranglerFor } from '../helpers/prepared-input.js';

const E = 'libs/engine/migrations';
const L = 'apps/landing/migrations';
const sql = 'SELECT 1;';

// The seed's engine folder: three old pairs (031, 032, 056) and main at 084.
const engineOnMain: Record<string, string> = {
  [`${E}/030_x.sql`]: sql,
  [`${E}/031_gallery_curio.sql`]: sql,
  [`${E}/031_petal_upload_gate.sql`]: sql,
  [`${E}/032_git_dashboard.sql`]: sql,
  [`${E}/032_sentinel.sql`]: sql,
  [`${E}/056_pulse_curio.sql`]: sql,
  [`${E}/056_storage_exports_updated_at.sql`]: sql,
  [`${E}/084_latest.sql`]: sql,
};

const added = (...paths: string[]): FileChange[] => paths.map((path) => ({ path, status: 'added' }));

/** A PR adding `head` to grove-engine-db, which holds `base` on main; `changes` may name other files it edits. */
function input(head: Record<string, string>, changes: FileChange[], base = engineOnMain) {
  const pr: Record<string, string | null> = { ...head };
  for (const c of changes) if (!(c.path in pr)) pr[c.path] = c.status === 'deleted' ? null : 'edited\n';
  return migrationsInput(base, pr, { database: 'grove-engine-db' });
}

describe('duplicate-number', () => {
  it('passes a PR that adds the next free number', async () => {
    const reports = rule.check(await input({ [`${E}/085_meadow_notes.sql`]: sql }, added(`${E}/085_meadow_notes.sql`)));
    expect(reports.filter((r) => !r.preexisting)).toEqual([]);
  });

  it('shows the three old pairs once each as already on main, and only on PRs that touch the database', async () => {
    const reports = rule.check(await input({ [`${E}/085_meadow_notes.sql`]: sql }, added(`${E}/085_meadow_notes.sql`)));
    expect(reports.map((r) => [r.messageId, r.file, r.preexisting])).toEqual([
      ['duplicateOnMain', `${E}/031_petal_upload_gate.sql`, true],
      ['duplicateOnMain', `${E}/032_sentinel.sql`, true],
      ['duplicateOnMain', `${E}/056_storage_exports_updated_at.sql`, true],
    ]);
    expect(reports[0].data).toMatchObject({ count: 2, number: '031', files: ['031_gallery_curio.sql', '031_petal_upload_gate.sql'] });
  });

  it('stays silent on a PR that only edits an unrelated file', async () => {
    await expectPasses(rule, input({}, [{ path: 'apps/web/src/index.ts', status: 'modified' }]));
  });

  it('does not blame the PR when main moved ahead with its own new migration', async () => {
    const base = { ...engineOnMain, [`${E}/085_main_moved.sql`]: sql };
    await expectPasses(rule, input({}, [{ path: 'README.md', status: 'modified' }], base));
  });

  it('fires when the PR reuses a number already on main, naming the holder and the next free number', async () => {
    const reports = await expectFires(rule, input({ [`${E}/030_again.sql`]: sql }, added(`${E}/030_again.sql`)));
    const mine = reports.filter((r) => !r.preexisting);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      messageId: 'taken',
      file: `${E}/030_again.sql`,
      database: 'grove-engine-db',
      data: { number: '030', other: `${E}/030_x.sql`, next: '085', suggested: '085_again.sql' },
    });
  });

  // Through the real prepare step: a git repository where main moves on after the PR branched.
  const repo = { 'libs/engine/wrangler.toml': wranglerFor('grove-engine-db'), ...engineOnMain };

  it('calls a number taken meanwhile when main gained the same number after the PR branched', async () => {
    const i = await prInput(repo, { [`${E}/085_my_feature.sql`]: sql }, { mainAfter: { [`${E}/085_main_feature.sql`]: sql } });
    expect(rule.needs!(i).mergeBase).toEqual([`${E}/085_main_feature.sql`]);
    const [r] = (await expectFires(rule, i)).filter((x) => !x.preexisting);
    expect(r).toMatchObject({ messageId: 'takenMeanwhile', data: { other: `${E}/085_main_feature.sql`, next: '086', suggested: '086_my_feature.sql' } });
  });

  it('does not say "meanwhile" when the other file was already on main when the PR branched (or when that is unknown)', async () => {
    // The author simply picked main's newest number: the file with it was there all along.
    const i = await prInput({ ...repo, [`${E}/085_main_feature.sql`]: sql }, { [`${E}/085_my_feature.sql`]: sql });
    expect(i.atMergeBase?.get(`${E}/085_main_feature.sql`)).toBe(true);
    expect((await expectFires(rule, i)).filter((x) => !x.preexisting)[0].messageId).toBe('taken');
    const unknown = await prInput(repo, { [`${E}/085_my_feature.sql`]: sql }, { mainAfter: { [`${E}/085_main_feature.sql`]: sql } });
    delete unknown.atMergeBase;
    expect((await expectFires(rule, unknown)).filter((x) => !x.preexisting)[0].messageId).toBe('taken');
  });

  it('asks for the merge-base only when a number the PR adds is taken on main', async () => {
    expect(rule.needs!(await prInput(repo, { [`${E}/085_next.sql`]: sql }))).toEqual({ mergeBase: [] });
  });

  it('reports two files the PR adds with one number once, on the later file', async () => {
    const reports = await expectFires(
      rule,
      input({ [`${E}/085_a.sql`]: sql, [`${E}/085_b.sql`]: sql }, added(`${E}/085_a.sql`, `${E}/085_b.sql`)),
    );
    const mine = reports.filter((r) => !r.preexisting);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ messageId: 'takenInPr', severity: 'warning', file: `${E}/085_b.sql`, data: { other: `${E}/085_a.sql`, next: '086' } });
  });

  it('treats 001 and 0001 as the same number, as wrangler does', async () => {
    const base = { 'auth/001_init.sql': sql, 'auth/0002_ba.sql': sql };
    const reports = await expectFires(rule, input({ 'auth/0001_better_auth.sql': sql }, added('auth/0001_better_auth.sql'), base));
    expect(reports[0]).toMatchObject({ messageId: 'taken', data: { other: 'auth/001_init.sql', next: '0003' } });
  });

  it('lets two folders of one database number independently (landing 0001 next to engine 001)', async () => {
    const base = { [`${E}/001_init.sql`]: sql, [`${L}/0000_signups.sql`]: sql };
    await expectPasses(rule, input({ [`${L}/0001_porch.sql`]: sql }, added(`${L}/0001_porch.sql`), base));
  });

  it('fires when a new file has the same name as a file in another folder of the same database', async () => {
    const base = { [`${E}/0001_porch.sql`]: sql, [`${L}/0000_signups.sql`]: sql };
    const [r] = await expectFires(rule, input({ [`${L}/0001_porch.sql`]: sql }, added(`${L}/0001_porch.sql`), base));
    expect(r).toMatchObject({ messageId: 'sameName', file: `${L}/0001_porch.sql`, data: { other: `${E}/0001_porch.sql` } });
  });

  // Mutation survivors (issue 11): the twin must be another folder's file, and both must be applied by wrangler (only
  // wrangler's table records files by name; Drizzle records journal hashes).
  it('does not call a Drizzle folder\'s file of the same name a twin, in either direction', async () => {
    const base = { [`${E}/0001_porch.sql`]: sql, [`${E}/0002_deck.sql`]: sql, [`${L}/0000_signups.sql`]: sql, [`${L}/0003_gate.sql`]: sql };
    const head = { ...base, [`${L}/0001_porch.sql`]: sql, [`${E}/0003_gate.sql`]: sql };
    const i = makeRuleInput({ databases: [{ name: 'grove-engine-db', base, head }], changes: added(`${L}/0001_porch.sql`, `${E}/0003_gate.sql`) });
    for (const side of [i.databases[0].base, i.databases[0].head]) for (const f of side.files) if (f.source === E) f.applier = 'drizzle';
    const reports = await rule.check(i);
    expect(reports.filter((r) => r.messageId === 'sameName')).toEqual([]);
  });

  it('still blames a PR that adds a third file to an old pair', async () => {
    const reports = await expectFires(rule, input({ [`${E}/031_third.sql`]: sql }, added(`${E}/031_third.sql`)));
    expect(reports.find((r) => !r.preexisting)).toMatchObject({ messageId: 'taken', data: { other: `${E}/031_gallery_curio.sql` } });
  });

  it('does not treat a rename that keeps its number as a new duplicate', async () => {
    const i = await input({ [`${E}/031_petal_gate.sql`]: sql }, [{ path: `${E}/031_petal_upload_gate.sql`, status: 'deleted' }]);
    expect(i.changes).toEqual([{ path: `${E}/031_petal_gate.sql`, oldPath: `${E}/031_petal_upload_gate.sql`, status: 'renamed' }]);
    const reports = rule.check(i);
    expect(reports.filter((r) => !r.preexisting)).toEqual([]);
  });

  it('catches Drizzle tags that share a number even when the journal idx differs, with a regenerate fix', async () => {
    // The journal gives the two tags distinct idx values (0 and 1); the tags' numbers still collide.
    const i = await drizzleMigrationsInput({ '0004_a': sql }, { '0004_b': sql });
    expect(i.databases[0].head.files.map((f) => [f.number, f.numberText])).toEqual([[0, '0004'], [1, '0004']]);
    const [r] = await expectFires(rule, i);
    expect(r.messageId).toBe('takenDrizzle');
  });

  it('reports once when one folder feeds two databases (a staging binding over the same migrations_dir)', async () => {
    const wrangler = sharedFolderWrangler('grove-engine-db', 'grove-engine-db-staging');
    const i = await prInput({ 'libs/engine/wrangler.toml': wrangler, [`${E}/084_latest.sql`]: sql }, { [`${E}/084_again.sql`]: sql });
    expect(i.databases.map((d) => d.spec.name)).toEqual(['grove-engine-db', 'grove-engine-db-staging']);
    const reports = await expectFires(rule, i);
    expect(reports.map((r) => r.database)).toEqual(['grove-engine-db']);
  });
});
