// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the other
// gate tests.
import { describe, expect, it } from 'vitest';
import { gateStatement, identifierName, significantTokens } from '../../src/replay/gate.js';
import { splitStatements } from '../../src/replay/split.js';

const sqlite = { dialect: 'sqlite' as const };
const d1 = { dialect: 'd1' as const };
const gate = (sql: string, ctx: { dialect: 'sqlite' | 'd1' } = sqlite) => gateStatement(sql, ctx);

describe('gateStatement (mutation cases)', () => {
  it('judges a split statement as it judges its text', () => {
    const [stmt] = splitStatements("SELECT 'a\0b';").statements;
    expect(gateStatement(stmt, sqlite)).toEqual({ action: 'refuse', reason: 'the statement contains a NUL character' });
    expect(gateStatement(splitStatements('PRAGMA user_version = 3;').statements[0], sqlite)).toEqual({ action: 'run' });
  });

  it('allows PRAGMAs on main and temp only, and says which schema it refused', () => {
    expect(gate('PRAGMA main.user_version = 1;')).toEqual({ action: 'run' });
    expect(gate('PRAGMA temp.recursive_triggers = ON;')).toEqual({ action: 'run' });
    expect(gate('PRAGMA aux.user_version = 1;')).toEqual({ action: 'refuse', reason: 'PRAGMA on schema "aux" is not allowed' });
  });

  it('reads a PRAGMA name written as a word, a quoted name or a string, and refuses one without a name', () => {
    for (const sql of ['PRAGMA user_version;', 'PRAGMA "user_version";', "PRAGMA 'user_version';", 'PRAGMA [user_version];']) expect(gate(sql)).toEqual({ action: 'run' });
    for (const sql of ['PRAGMA;', 'PRAGMA (x);', 'PRAGMA main.;']) expect(gate(sql)).toEqual({ action: 'refuse', reason: 'a PRAGMA without a readable name is not allowed' });
  });

  it('lets a read-only PRAGMA be read but not set, and names the PRAGMA it refuses', () => {
    expect(gate('PRAGMA schema_version;')).toEqual({ action: 'run' });
    expect(gate('PRAGMA schema_version = 7;')).toEqual({ action: 'refuse', reason: 'PRAGMA schema_version may only be read, not set' });
    expect(gate('PRAGMA journal_mode = OFF;')).toEqual({ action: 'refuse', reason: "PRAGMA journal_mode is not on the sandbox's allowlist" });
  });

  it('refuses load_extension called through a string, but not the word inside a string value', () => {
    expect(gate("SELECT 'load_extension'('x');")).toEqual({ action: 'refuse', reason: 'load_extension() is never allowed in the sandbox' });
    expect(gate("INSERT INTO t VALUES ('load_extension');")).toEqual({ action: 'run' });
    expect(gate("SELECT 'load_extension'")).toEqual({ action: 'run' });
  });

  it('reads a read-only PRAGMA on a schema as read, not set', () => {
    expect(gate('PRAGMA main.schema_version;')).toEqual({ action: 'run' });
    expect(gate('PRAGMA main.schema_version = 7;')).toEqual({ action: 'refuse', reason: 'PRAGMA schema_version may only be read, not set' });
  });

  it('skips only EXPLAIN QUERY PLAN as a whole, and judges every word after EXPLAIN or QUERY', () => {
    expect(gate('EXPLAIN QUERY PLAN PRAGMA plan;')).toEqual({ action: 'refuse', reason: "PRAGMA plan is not on the sandbox's allowlist" });
    // A PRAGMA named `plan` is not a query plan.
    expect(gate('EXPLAIN PRAGMA plan;')).toEqual({ action: 'refuse', reason: "PRAGMA plan is not on the sandbox's allowlist" });
    // QUERY without PLAN: what follows QUERY is still searched.
    expect(gate("EXPLAIN QUERY load_extension('x');")).toEqual({ action: 'refuse', reason: 'load_extension() is never allowed in the sandbox' });
  });

  it('says why D1 skips transaction statements and PRAGMA foreign_keys', () => {
    expect(gate('BEGIN TRANSACTION;', d1)).toEqual({ action: 'skip', note: 'transaction-statement', reason: 'D1 refuses BEGIN: it runs each migration in a transaction itself' });
    expect(gate('PRAGMA foreign_keys = OFF;', d1)).toEqual({
      action: 'skip',
      note: 'foreign-keys-pragma',
      reason: 'D1 ignores PRAGMA foreign_keys and always enforces foreign keys (use PRAGMA defer_foreign_keys)',
    });
  });
});

describe('identifierName (mutation cases)', () => {
  const name = (sql: string) => identifierName(significantTokens(sql)[0]);

  it('reads names as SQLite does, unterminated ones to the end', () => {
    expect(['users', '[a b]', '"a""b"', '`x``y`', "'it''s'"].map(name)).toEqual(['users', 'a b', 'a"b', 'x`y', "it's"]);
    expect(['[abc', '"abc', '`abc'].map(name)).toEqual(['abc', 'abc', 'abc']);
  });
});
