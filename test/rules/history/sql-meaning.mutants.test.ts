// Cases found by mutation testing (`npm run mutation`, issue 11): what an edit of applied SQL means is read the way
// SQLite reads the text. Each case failed under a mutant that survived the rule tests (most never saw a block comment,
// a quoted name or a comment at the end of a file).
import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/edited-migration.js';
import { sqlMeaning } from '../../../src/rules/history/sql-meaning.js';
import { expectFires } from '../../helpers/lint.js';
import { migrationsInput } from '../../helpers/prepared-input.js';

const same = (a: string, b: string) => expect(sqlMeaning(a), `${a} / ${b}`).toBe(sqlMeaning(b));
const differ = (a: string, b: string) => expect(sqlMeaning(a), `${a} / ${b}`).not.toBe(sqlMeaning(b));

describe('sqlMeaning (mutation cases)', () => {
  it('gives the tokens lower-cased and joined by one space, string literals as written', () => {
    expect(sqlMeaning(`CREATE  TABLE "Users" (Id INTEGER, [Full Name] TEXT DEFAULT 'Ann');`)).toBe(
      `create table "users" ( id integer , [full name] text default 'Ann' ) ;`,
    );
    // '' and "" are one literal and one name; a [bracket] name ends at its first ] (SQLite doubles nothing there).
    expect(sqlMeaning(`SELECT 'it''s', "a""B", [a]]`)).toBe(`select 'it''s' , "a""b" , [a] ]`);
  });

  it('drops a line comment up to its newline, also at the end of the file', () => {
    same('SELECT 1; -- first note', 'SELECT 1; -- second note');
    differ('SELECT 1 -- note\n, 2', 'SELECT 1 -- note\n, 3');
  });

  it('drops block comments, also one /*/ does not close and one that runs to the end', () => {
    same('SELECT 1 /* first note */ , 2', 'SELECT 1 /* second note */ , 2');
    differ('SELECT 1 /* note */ , 2', 'SELECT 1 /* note */ , 3');
    same('SELECT 1 /*/ first note */', 'SELECT 1 /*/ second note */');
    same('SELECT 1; /* unfinished first note', 'SELECT 1; /* unfinished second note');
    same('/* first draft', '/* second draft');
  });

  it('keeps minus, slash and star that start no comment', () => {
    differ('SELECT 3 - 1', 'SELECT 3 - 2');
    differ('SELECT 1-2', 'SELECT 1-3');
    differ('SELECT 6/2', 'SELECT 6/3');
    differ('SELECT 2*3', 'SELECT 2*4');
  });

  it('keeps what is inside a string literal, folds what follows it', () => {
    differ(`SELECT 'a  b'`, `SELECT 'a b'`);
    differ(`SELECT 'ab'`, `SELECT 'ac'`);
    differ(`SELECT 'Beta'`, `SELECT 'beta'`);
    same(`SELECT 'a' ,  1`, `SELECT 'a' , 1`);
  });

  it('folds the case of quoted names but keeps what is inside their quotes, and folds what follows them', () => {
    for (const [open, close] of [['"', '"'], ['`', '`'], ['[', ']']]) {
      same(`SELECT ${open}Name${close}`, `SELECT ${open}name${close}`);
      differ(`SELECT ${open}my  col${close}`, `SELECT ${open}my col${close}`);
      same(`SELECT ${open}a${close}  FROM t`, `SELECT ${open}a${close} FROM t`);
    }
  });

  it('folds the case of words and keeps them apart', () => {
    same('CREATE TABLE T (A)', 'create table t (a)');
    // A blob's hex digits are one value in either case.
    same(`INSERT INTO t VALUES (X'AB')`, `insert into t values (x'ab')`);
    differ('SELECT ab', 'SELECT a b');
  });

  it('reads as whitespace only what SQLite does: a no-break space or a vertical tab is not', () => {
    // An indent pasted with U+00A0 is a name to SQLite: this table gets a column named U+00A0 of type `a TEXT`.
    differ('CREATE TABLE t (\n  a TEXT\n)', 'CREATE TABLE t (\n\u00a0 a TEXT\n)');
    differ('SELECT 1;', 'SELECT 1;\u00a0');
    differ('SELECT 1', 'SELECT\v1');
  });
});

describe('edited-migration through sqlMeaning', () => {
  it('reports an edit inside a block comment as cosmetic', async () => {
    const before = '/* Meadow: the community feed */\nCREATE TABLE meadow_posts (id TEXT PRIMARY KEY);';
    const i = migrationsInput({ 'm/001.sql': before }, { 'm/001.sql': before.replace('community feed', 'feed (v2)') });
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'cosmetic', severity: 'warning', file: 'm/001.sql', line: 1 });
  });

  it('reports an indent turned into a no-break space as an edit: SQLite reads a new column name', async () => {
    const before = 'CREATE TABLE meadow_posts (\n  id TEXT PRIMARY KEY,\n  body TEXT\n);';
    const i = migrationsInput({ 'm/001.sql': before }, { 'm/001.sql': before.replace('  body', '\u00a0 body') });
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'edited', file: 'm/001.sql', line: 3 });
    expect(r.severity).toBeUndefined();
  });
});
