// Incremental extraction (extract-patch.ts) against a full extractSchema, at every cut of histories that change
// tables in every way SQLite allows: the patched schema must be deep-equal, in the same key order.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { extractSchema } from '../../src/replay/extract.js';
import { applyPatch, definitionState, extractPatch } from '../../src/replay/extract-patch.js';
import { emptySchema, type Schema } from '../../src/schema/model.js';
import { HISTORIES } from './schema-histories.js';

function run(db: Database.Database, sql: string): void {
  try {
    db.exec(sql);
  } catch {
    // best effort, as a replay
  }
}

/** What the parent receives: every result crosses the pipe as JSON. */
const viaPipe = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Keys in order, at every level, so a different insertion order fails too. */
const keyOrder = (s: Schema) => [Object.keys(s.tables), Object.keys(s.views), Object.keys(s.triggers)];

describe('extractPatch + applyPatch', () => {
  for (const [name, steps] of Object.entries(HISTORIES)) {
    it(`equals a full extraction after every step of ${name}, sharing unchanged tables`, () => {
      const db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      try {
        // The first patch is against nothing: it must be the whole schema.
        let { patch, state } = extractPatch(db, new Map());
        let previous = applyPatch(emptySchema(), viaPipe(patch));
        expect(previous).toEqual(viaPipe(extractSchema(db)));
        for (const step of steps) {
          run(db, step);
          ({ patch, state } = extractPatch(db, state));
          const sent = viaPipe(patch);
          const patched = applyPatch(previous, sent);
          const full = viaPipe(extractSchema(db));
          expect(patched).toEqual(full);
          expect(keyOrder(patched)).toEqual(keyOrder(full));
          // Only what changed is read back; the rest is the very same object.
          for (const [table, value] of Object.entries(patched.tables)) {
            const before = Object.hasOwn(previous.tables, table) ? previous.tables[table] : undefined;
            if (!Object.hasOwn(sent.tables, table)) expect(value).toBe(before);
          }
          previous = patched;
        }
        // The state of a restored copy equals the state the replay ended with.
        const copy = new Database(db.serialize());
        try {
          expect(definitionState(copy)).toEqual(state);
        } finally {
          copy.close();
        }
      } finally {
        db.close();
      }
    });
  }

  it('reads back only the tables a step touched', () => {
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
               CREATE TABLE c (id INTEGER PRIMARY KEY); CREATE TABLE d (x);`);
      const { state } = extractPatch(db, new Map());
      db.exec(`ALTER TABLE a RENAME COLUMN id TO a_pk; CREATE INDEX c_id ON c (id); CREATE TABLE e (y); DROP TABLE d;`);
      const { patch } = extractPatch(db, state);
      // a: own text; b: its REFERENCES was rewritten; c: a new index; e: new. d is gone from the order.
      expect(Object.keys(patch.tables).sort()).toEqual(['a', 'b', 'c', 'e']);
      expect([...patch.order].sort()).toEqual(['a', 'b', 'c', 'e']);
    } finally {
      db.close();
    }
  });

  it('refuses a patch that leans on a table the previous schema lacks', () => {
    expect(() => applyPatch(emptySchema(), { order: ['ghost'], tables: {}, views: {}, triggers: {} })).toThrow(/ghost/);
  });
});
