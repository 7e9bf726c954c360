// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of regenerations (Drizzle migrations regenerated under a new name).
import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../../src/source/types.js';
import { regenerations } from '../../../src/rules/history/regenerated.js';
import { makeRuleInput } from '../../helpers/rule-input.js';

const sql = 'SELECT 1;';
type Side = Record<string, number | null>; // path → journal idx (null: no journal entry)

function pairs(base: Side, head: Side, changes: FileChange[], applier: 'drizzle' | 'wrangler' = 'drizzle') {
  const files = (side: Side) => Object.fromEntries(Object.keys(side).map((p) => [p, sql]));
  const input = makeRuleInput({ databases: [{ name: 'app', applier, base: files(base), head: files(head) }], changes });
  const db = input.databases[0];
  for (const [side, idx] of [[db.base, base], [db.head, head]] as const) {
    for (const f of side.files) if (idx[f.path] !== null) f.journal = { idx: idx[f.path]!, when: 0, tag: f.path.split('/').pop()!.replace(/\.sql$/, '') };
  }
  return regenerations(input, db).map((r) => [r.before.path, r.after.path]);
}

const base: Side = { 'd/0000_a.sql': 0, 'd/0001_old.sql': 1 };
const regenerated: FileChange[] = [{ path: 'd/0001_old.sql', status: 'deleted' }, { path: 'd/0001_new.sql', status: 'added' }];

describe('regenerations (mutation cases)', () => {
  it('pairs main\'s entry with the PR\'s new file of the same journal index', () => {
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, regenerated)).toEqual([['d/0001_old.sql', 'd/0001_new.sql']]);
    const renamed: FileChange[] = [{ path: 'd/0001_new.sql', oldPath: 'd/0001_old.sql', status: 'renamed' }];
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, renamed)).toEqual([['d/0001_old.sql', 'd/0001_new.sql']]);
  });

  it('pairs nothing when the old file stays, the index differs, or the new file is not the PR\'s', () => {
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_old.sql': 1, 'd/0001_new.sql': 1 }, [regenerated[1]])).toEqual([]);
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0002_new.sql': 2 }, [regenerated[0], { path: 'd/0002_new.sql', status: 'added' }])).toEqual([]);
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, [regenerated[0], { path: 'd/0001_new.sql', status: 'modified' }])).toEqual([]);
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, [regenerated[0]])).toEqual([]);
  });

  it('pairs nothing across folders, for a file already on main, or without journal entries', () => {
    const twoFolders: Side = { 'd/0000_a.sql': 0, 'd/0001_old.sql': 1, 'e/0000_x.sql': 0 };
    expect(pairs(twoFolders, { 'd/0000_a.sql': 0, 'e/0000_x.sql': 0, 'e/0001_new.sql': 1 }, [regenerated[0], { path: 'e/0001_new.sql', status: 'added' }])).toEqual([]);
    // The PR "adds" a path main already has (a revert of a deletion on main): not a regeneration.
    const onMain: Side = { ...base, 'd/0001_new.sql': 1 };
    expect(pairs(onMain, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, regenerated)).toEqual([]);
    expect(pairs({ 'd/0000_a.sql': 0, 'd/0001_old.sql': null }, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, regenerated)).toEqual([]);
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': null }, regenerated)).toEqual([]);
  });

  it('pairs nothing for files wrangler applies (it records file names, not journal entries)', () => {
    expect(pairs(base, { 'd/0000_a.sql': 0, 'd/0001_new.sql': 1 }, regenerated, 'wrangler')).toEqual([]);
  });
});
