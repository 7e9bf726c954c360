// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// tests of baseFailureBlocking. Drizzle's migrator runs a folder's pending migrations in one transaction, so a failure
// blocks the failing file and every later file of the same folder, nothing earlier and nothing in another folder.
import { describe, expect, it } from 'vitest';
import type { ReplayFailure } from '../../../src/replay/types.js';
import { baseFailureBlocking } from '../../../src/rules/history/never-applied.js';
import { makeRuleInput } from '../../helpers/rule-input.js';

const sql = 'SELECT 1;';
const failure = (file: string): ReplayFailure => ({ kind: 'sql', file, line: 1, statement: 'SELECT nope;', message: 'no such column: nope', more: 0 });

function drizzleDb(failingFile: string) {
  const files = { 'other/0000_x.sql': sql, 'd/0000_a.sql': sql, 'd/0001_b.sql': sql, 'd/0002_c.sql': sql };
  const db = makeRuleInput({ databases: [{ name: 'app', applier: 'drizzle', base: files, head: files }] }).databases[0];
  db.base.replay.failures = [failure(failingFile)];
  const file = (path: string) => db.base.files.find((f) => f.path === path)!;
  return { db, file };
}

describe('baseFailureBlocking (mutation cases)', () => {
  it('blocks the failing Drizzle file and the later ones of its folder, not the earlier ones', () => {
    const { db, file } = drizzleDb('d/0001_b.sql');
    expect(baseFailureBlocking(db, file('d/0000_a.sql'))).toBeUndefined();
    expect(baseFailureBlocking(db, file('d/0001_b.sql'))?.file).toBe('d/0001_b.sql');
    expect(baseFailureBlocking(db, file('d/0002_c.sql'))?.file).toBe('d/0001_b.sql');
  });

  it('does not let a failure in another folder block a Drizzle folder', () => {
    const { db, file } = drizzleDb('other/0000_x.sql');
    expect(baseFailureBlocking(db, file('d/0002_c.sql'))).toBeUndefined();
  });
});
