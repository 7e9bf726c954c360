import { describe, expect, it } from 'vitest';
import { isComplete, splitDrizzle, splitStatements } from '../../src/replay/split.js';

const sqls = (text: string) => splitStatements(text).statements.map((s) => s.sql);

describe('splitStatements', () => {
  it('keeps a trigger body with BEGIN … END and inner semicolons as one statement', () => {
    const text = [
      'CREATE TABLE a (x INTEGER);',
      'CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN',
      '  UPDATE a SET x = x + 1;',
      '  SELECT CASE WHEN new.x > 1 THEN 1 ELSE 0 END;',
      'END;',
      'CREATE TEMP TRIGGER b BEFORE DELETE ON a BEGIN SELECT 1; END;',
      'SELECT 2;',
    ].join('\n');
    const { statements, incomplete } = splitStatements(text);
    expect(incomplete).toBeNull();
    expect(statements.map((s) => [s.line, s.keyword])).toEqual([
      [1, 'CREATE'],
      [2, 'CREATE'],
      [6, 'CREATE'],
      [7, 'SELECT'],
    ]);
    expect(statements[1].sql).toBe(text.split('\n').slice(1, 5).join('\n'));
  });

  it('does not split on semicolons inside strings, quoted identifiers, brackets or comments', () => {
    const text = `INSERT INTO t VALUES ('a;b', 'it''s; fine');\nCREATE TABLE "x;y" ([c;d] TEXT, \`e;f\` INT); -- trailing; comment\n/* a ; b */ SELECT 1;`;
    expect(sqls(text)).toEqual([
      `INSERT INTO t VALUES ('a;b', 'it''s; fine');`,
      'CREATE TABLE "x;y" ([c;d] TEXT, `e;f` INT);',
      'SELECT 1;',
    ]);
  });

  it('treats CASE … END outside a trigger as an ordinary expression', () => {
    expect(sqls('SELECT CASE WHEN 1 THEN 2 END;\nSELECT 3;')).toEqual(['SELECT CASE WHEN 1 THEN 2 END;', 'SELECT 3;']);
  });

  it('drops statements made only of comments, whitespace and semicolons, and starts each at its first token', () => {
    const { statements } = splitStatements('-- header\n\n;;\n/* note */\n  CREATE TABLE t (x);\n-- footer\n');
    expect(statements).toEqual([{ sql: 'CREATE TABLE t (x);', offset: 27, line: 5, keyword: 'CREATE' }]);
  });

  it('reports the 1-based line of the first token even after multi-line comments and strings', () => {
    const text = "/* one\ntwo\nthree */ SELECT 'a\nb';\n\n\nSELECT 2;";
    expect(splitStatements(text).statements.map((s) => s.line)).toEqual([3, 7]);
  });

  it('accepts a last statement without its semicolon', () => {
    const r = splitStatements('SELECT 1;\nCREATE TABLE t (x) -- no semicolon');
    expect(r.incomplete).toBeNull();
    expect(r.statements.map((s) => s.sql)).toEqual(['SELECT 1;', 'CREATE TABLE t (x)']);
  });

  it('reports an unterminated string, bracket or trigger body as incomplete', () => {
    expect(splitStatements("SELECT 1;\n\nINSERT INTO t VALUES ('oops);").incomplete).toEqual({
      line: 3,
      sql: "INSERT INTO t VALUES ('oops);",
    });
    expect(splitStatements('SELECT [x;').incomplete?.line).toBe(1);
    const trigger = splitStatements('CREATE TRIGGER t AFTER INSERT ON a BEGIN\n SELECT 1;\n');
    expect(trigger.statements).toEqual([]);
    expect(trigger.incomplete?.sql).toBe('CREATE TRIGGER t AFTER INSERT ON a BEGIN\n SELECT 1;');
  });

  it('ignores an unterminated block comment with nothing else in it', () => {
    expect(splitStatements('SELECT 1; /* trailing').incomplete).toBeNull();
  });

  it('gives an empty keyword when a statement does not start with a word', () => {
    expect(splitStatements('(SELECT 1);').statements[0].keyword).toBe('');
    expect(splitStatements('explain select 1;').statements[0].keyword).toBe('EXPLAIN');
  });
});

describe('splitDrizzle', () => {
  it('splits on statement-breakpoint markers and keeps lines of the whole file', () => {
    const text = [
      'CREATE TABLE `users` (',
      '\t`id` integer PRIMARY KEY NOT NULL',
      ');',
      '--> statement-breakpoint',
      'CREATE UNIQUE INDEX `users_id` ON `users` (`id`);--> statement-breakpoint',
      'CREATE TABLE `b` (`x` text DEFAULT \'--> not a breakpoint in SQLite\')',
    ].join('\n');
    const { statements, incomplete } = splitDrizzle(text);
    expect(incomplete).toBeNull();
    expect(statements.map((s) => [s.line, s.sql.slice(0, 20)])).toEqual([
      [1, 'CREATE TABLE `users`'],
      [5, 'CREATE UNIQUE INDEX '],
      [6, 'CREATE TABLE `b` (`x'],
    ]);
    // The migrator splits on the raw text, even inside a string: so do we (the string is then unterminated).
    const inString = splitDrizzle("INSERT INTO t VALUES ('a--> statement-breakpoint b');");
    expect(inString.incomplete).toEqual({ line: 1, sql: "INSERT INTO t VALUES ('a" });
  });

  it('still splits several statements inside one chunk', () => {
    expect(splitDrizzle('SELECT 1; SELECT 2;\n--> statement-breakpoint\nSELECT 3;').statements.map((s) => s.line)).toEqual([
      1, 1, 3,
    ]);
  });
});

describe('isComplete', () => {
  it.each([
    ['SELECT 1;', true],
    ['SELECT 1', false],
    ['SELECT 1; -- done', true],
    ["SELECT ';'", false],
    ['CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;', false],
    ['CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;', true],
    ['/* unterminated ;', false],
    ['', false],
  ])('%j → %s', (sql, expected) => {
    expect(isComplete(sql)).toBe(expected);
  });
});
