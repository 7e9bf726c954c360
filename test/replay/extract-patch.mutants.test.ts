// Which tables a patch reads back: exactly those whose own row or index rows changed. The equality tests in
// extract-patch.test.ts cannot see a table read back needlessly (it reads back the same), nor which rows mark a table.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractSchema } from '../../src/replay/extract.js';
import { applyPatch, extractPatch } from '../../src/replay/extract-patch.js';
import { emptySchema } from '../../src/schema/model.js';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, x); CREATE INDEX moving ON a (x);
           CREATE TABLE b (id INTEGER PRIMARY KEY, x);
           CREATE TABLE keep (id INTEGER PRIMARY KEY, v UNIQUE); CREATE INDEX keep_v ON keep (v);
           CREATE TABLE logged (id INTEGER PRIMARY KEY);
           CREATE TRIGGER logged_old AFTER INSERT ON logged BEGIN SELECT 1; END;`);
});
afterEach(() => db.close());

/** The tables the patch of `step` reads back, and the patched schema (which must equal a full extraction). */
function step(sql: string): string[] {
  const first = extractPatch(db, new Map());
  const previous = applyPatch(emptySchema(), first.patch);
  db.exec(sql);
  const { patch } = extractPatch(db, first.state);
  expect(applyPatch(previous, patch)).toEqual(extractSchema(db));
  return Object.keys(patch.tables).sort();
}

describe('extractPatch: the tables it reads back', () => {
  it('none when nothing changed, indexed and UNIQUE tables included', () => {
    expect(step(`SELECT 1`)).toEqual([]);
  });

  it('only a new table, not the unchanged ones beside it', () => {
    expect(step(`CREATE TABLE c (y)`)).toEqual(['c']);
  });

  it('not the table a new trigger is on, nor the table a dropped trigger was on', () => {
    expect(step(`CREATE TRIGGER keep_new AFTER DELETE ON keep BEGIN SELECT 1; END; DROP TRIGGER logged_old;`)).toEqual([]);
  });

  it('both tables when an index name moves from one table to another', () => {
    expect(step(`DROP INDEX moving; CREATE INDEX moving ON b (x);`)).toEqual(['a', 'b']);
  });

  it('the table that lost an index', () => {
    expect(step(`DROP INDEX keep_v`)).toEqual(['keep']);
  });
});
