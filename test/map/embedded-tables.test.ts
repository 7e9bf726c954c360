import { describe, expect, it } from 'vitest';
import { createdTables, findEmbeddedTables, isTestFile } from '../../src/map/embedded-tables.js';

const file = (path: string, text: string) => ({ path, text });

describe('findEmbeddedTables', () => {
  it('finds CREATE TABLE in every storage form a Durable Object uses, per file and class', () => {
    const found = findEmbeddedTables([
      file(
        'src/counter.ts',
        `export class Counter extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (path TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)");
  }
}
export class Limiter {
  sql: SqlStorage;
  constructor(private state: DurableObjectState) {
    this.sql = state.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS windows (key TEXT, at INTEGER, PRIMARY KEY (key, at))');
  }
  reset() {
    this.state.storage.sql.exec(\`CREATE TABLE IF NOT EXISTS "resets" ([key] TEXT, at INTEGER, CHECK (at > 0), FOREIGN KEY (key) REFERENCES windows(key))\`);
  }
}
`,
      ),
    ]);
    expect(found).toEqual([
      { file: 'src/counter.ts', class: 'Counter', durableObject: true, tables: [{ name: 'hits', line: 4, columns: ['path', 'n'] }] },
      {
        file: 'src/counter.ts',
        class: 'Limiter',
        durableObject: true,
        tables: [
          { name: 'windows', line: 11, columns: ['key', 'at'] },
          { name: 'resets', line: 14, columns: ['key', 'at'] },
        ],
      },
    ]);
  });

  it('reads a schema constant outside the class, and a statement that spans lines, at the line it starts', () => {
    const [found] = findEmbeddedTables([
      file(
        'src/store.js',
        `const SCHEMA = \`
  CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    body TEXT
  );
  CREATE INDEX IF NOT EXISTS items_body ON items(body);
  CREATE TABLE IF NOT EXISTS \${prefix}_log (at INTEGER);
\`;
export class Store { constructor(state) { state.storage.sql.exec(SCHEMA); } }
`,
      ),
    ]);
    expect(found.class).toBeNull();
    expect(found.tables).toEqual([
      { name: 'items', line: 2, columns: ['id', 'body'] },
      { name: '${…}_log', line: 7, columns: ['at'] },
    ]);
  });

  it('ignores CREATE TABLE in comments, tests, .sql files and code that only mentions it', () => {
    const found = findEmbeddedTables([
      file('src/a.ts', `// ctx.storage.sql.exec("CREATE TABLE old (x)")\n/* CREATE TABLE older (y) */\nconst note = 'run create table yourself';\n`),
      file('src/a.test.ts', `ctx.storage.sql.exec("CREATE TABLE in_test (x INTEGER)");\n`),
      file('test/helpers/db.ts', `db.exec("CREATE TABLE helper (x INTEGER)");\n`),
      file('src/__tests__/do.ts', `db.exec("CREATE TABLE mocked (x INTEGER)");\n`),
      file('db/schema.sql', `CREATE TABLE plain (x INTEGER);\n`),
    ]);
    expect(found).toEqual([]);
  });

  it('marks a table created by code that is not a Durable Object', () => {
    const [found] = findEmbeddedTables([file('scripts/bootstrap.ts', `await env.DB.exec('CREATE TABLE IF NOT EXISTS cache (k TEXT PRIMARY KEY, v TEXT)');\n`)]);
    expect(found).toEqual({ file: 'scripts/bootstrap.ts', class: null, durableObject: false, tables: [{ name: 'cache', line: 1, columns: ['k', 'v'] }] });
  });
});

describe('createdTables', () => {
  it('skips table constraints, keeps quoted and bracketed names, and gives no columns for CREATE TABLE AS', () => {
    expect(createdTables('CREATE TABLE t ("a b" TEXT, [c] INT, CONSTRAINT pk PRIMARY KEY (c), UNIQUE (c))')).toEqual([
      { name: 't', line: 1, columns: ['a b', 'c'] },
    ]);
    expect(createdTables('CREATE TEMP TABLE copy AS SELECT * FROM t')).toEqual([{ name: 'copy', line: 1, columns: [] }]);
    expect(createdTables('SELECT 1')).toEqual([]);
  });
});

describe('isTestFile', () => {
  it.each([
    ['src/do.test.ts', true],
    ['src/do.spec.js', true],
    ['packages/x/tests/do.ts', true],
    ['e2e/smoke.ts', true],
    ['pkg/store_test.go', true],
    ['tests_util/x.ts', false],
    ['src/latest.ts', false],
    ['src/contest/entry.ts', false],
  ])('%s → %s', (path, expected) => expect(isTestFile(path)).toBe(expected));
});

describe('findEmbeddedTables on hostile input', () => {
  it('stays linear: 100,000 unclosed classes and a CREATE TABLE', () => {
    const text = `${'class A extends B { '.repeat(100_000)}\nctx.storage.sql.exec("CREATE TABLE t (x INTEGER)");\n`;
    const [found] = findEmbeddedTables([{ path: 'src/evil.ts', text }]);
    expect(found.class).toBe('A');
    expect(found.tables).toEqual([{ name: 't', line: 2, columns: ['x'] }]);
  });
});
