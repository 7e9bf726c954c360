// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests. Inputs go through the real pipeline, but for Drizzle tags without a number that share a journal idx
// (a hand-merged journal), numbered by hand.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/duplicate-number.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput, preparedInput, WRANGLER } from '../helpers/prepared-input.js';
import { makeRuleInput } from '../helpers/rule-input.js';

const sql = 'SELECT 1;\n';
const mine = async (input: Parameters<typeof rule.check>[0]) => (await rule.check(input)).filter((r) => !r.preexisting);

describe('duplicate-number (mutation cases)', () => {
  it('a plain "taken" is an error: only two files of the same PR are merely a warning', async () => {
    const input = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql }, pr: { 'migrations/0001_b.sql': sql } });
    const [r] = await expectFires(rule, input);
    expect(r.messageId).toBe('taken');
    expect(r.severity).toBeUndefined();
  });

  it('names the file on main, not another file of the PR, when both hold the number', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_x.sql': sql },
      pr: { 'migrations/0001_a.sql': sql, 'migrations/0001_b.sql': sql },
    });
    const reports = await mine(input);
    expect(reports.map((r) => [r.file, r.messageId, r.data?.other])).toEqual([
      ['migrations/0001_a.sql', 'taken', 'migrations/0001_x.sql'],
      ['migrations/0001_b.sql', 'taken', 'migrations/0001_x.sql'],
    ]);
  });

  it('does not list the PR\'s own duplicate among the pairs already on main', async () => {
    const input = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql }, pr: { 'migrations/0001_b.sql': sql } });
    expect((await rule.check(input)).filter((r) => r.preexisting)).toEqual([]);
  });

  it('asks for the merge-base only when a number is taken from main (a read the App pays for)', async () => {
    const quiet = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql }, pr: { 'migrations/0002_b.sql': sql } });
    expect(rule.needs!(quiet)).toEqual({ mergeBase: [] });
    await expectPasses(rule, quiet);
    const inPr = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql }, pr: { 'migrations/0002_b.sql': sql, 'migrations/0002_c.sql': sql } });
    expect(rule.needs!(inPr)).toEqual({ mergeBase: [] });
    expect((await expectFires(rule, inPr)).map((r) => r.messageId)).toEqual(['takenInPr']);
  });

  it('says "meanwhile" when the only finding is a number main gained after the PR branched', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql },
      pr: { 'migrations/0002_mine.sql': sql },
      mainAfter: { 'migrations/0002_theirs.sql': sql },
    });
    expect(rule.needs!(input).mergeBase).toEqual(['migrations/0002_theirs.sql']);
    input.atMergeBase = new Map([['migrations/0002_theirs.sql', false]]);
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'takenMeanwhile', data: { other: 'migrations/0002_theirs.sql', next: '0003' } });
  });

  it('blames a rename that moves a file onto a number already taken', async () => {
    const input = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/0001_a.sql': sql, 'migrations/0002_b.sql': 'CREATE TABLE b (id INTEGER);\n' },
      pr: { 'migrations/0002_b.sql': null, 'migrations/0001_b.sql': 'CREATE TABLE b (id INTEGER);\n' },
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ messageId: 'taken', file: 'migrations/0001_b.sql', data: { other: 'migrations/0001_a.sql' } });
  });

  it('does not call two files without a number a duplicate, in the PR or on main', async () => {
    const input = await preparedInput({ base: { 'wrangler.toml': WRANGLER, 'migrations/init.sql': sql }, pr: { 'migrations/seed.sql': sql } });
    await expectPasses(rule, input);
    const onMain = await preparedInput({
      base: { 'wrangler.toml': WRANGLER, 'migrations/init.sql': sql, 'migrations/seed.sql': sql },
      pr: { 'migrations/0001_a.sql': sql },
    });
    await expectPasses(rule, onMain);
  });

  it('handles Drizzle tags without a number (prefix "none"), numbered by their journal index', async () => {
    const i = makeRuleInput({
      databases: [{ name: 'app', applier: 'drizzle', base: { 'drizzle/alpha.sql': sql, 'drizzle/beta.sql': sql }, head: { 'drizzle/alpha.sql': sql, 'drizzle/beta.sql': sql, 'drizzle/gamma.sql': sql } }],
      changes: [{ path: 'drizzle/gamma.sql', status: 'added' }],
    });
    for (const side of [i.databases[0].base, i.databases[0].head]) side.files.forEach((f, idx) => (f.number = Math.min(idx, 1)));
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'takenDrizzle', file: 'drizzle/gamma.sql', data: { other: 'drizzle/beta.sql', number: '1' } });
  });

  describe('two folders of one database', () => {
    const E = 'engine/migrations';
    const L = 'landing/migrations';

    it('suggests the next number of the file\'s own folder, in that folder\'s width', async () => {
      // The folder on main is unpadded; the PR's padded file does not change its convention.
      const base = { [`${E}/084_latest.sql`]: sql, [`${L}/1_signups.sql`]: sql, [`${L}/2_porch.sql`]: sql };
      const [r] = await mine(await migrationsInput(base, { [`${L}/02_gate.sql`]: sql }, { database: 'db' }));
      expect(r).toMatchObject({ messageId: 'taken', data: { other: `${L}/2_porch.sql`, next: '3', suggested: '3_gate.sql' } });
    });

    it('takes the width from the files the PR adds when their folder is new', async () => {
      const base = { [`${E}/0084_latest.sql`]: sql };
      const [r] = await mine(await migrationsInput(base, { [`${L}/01_a.sql`]: sql, [`${L}/01_b.sql`]: sql }, { database: 'db' }));
      expect(r).toMatchObject({ messageId: 'takenInPr', data: { next: '02' } });
    });

    it('blames a file moved to another folder whose number is taken there', async () => {
      const base = { [`${E}/0001_a.sql`]: sql, [`${L}/0002_porch.sql`]: sql };
      const i = await migrationsInput({ ...base, [`${E}/0002_b.sql`]: 'CREATE TABLE b (id);\n' }, { [`${E}/0002_b.sql`]: null, [`${L}/0002_b.sql`]: 'CREATE TABLE b (id);\n' }, { database: 'db' });
      expect(i.changes).toEqual([{ path: `${L}/0002_b.sql`, oldPath: `${E}/0002_b.sql`, status: 'renamed' }]);
      const [r] = await mine(i);
      expect(r).toMatchObject({ messageId: 'taken', file: `${L}/0002_b.sql`, data: { other: `${L}/0002_porch.sql` } });
    });
  });
});
