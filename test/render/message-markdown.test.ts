import { describe, expect, it } from 'vitest';
import { formatMessage, parseTemplate } from '../../src/findings.js';
import { findingTextMarkdown, templateMarkdown } from '../../src/render/message-markdown.js';
import { fixTemplate, rules } from '../../src/rules/registry.js';
import { finding, ruleFinding } from './sample-result.js';

describe('rule messages in Markdown', () => {
  it("shows Safari's words as text and every value as code, a backticked part of the template as one span", () => {
    expect(templateMarkdown('Drop `{table}.{column}` from {database} ({count} rows)', { table: 't', column: 'c`x', database: 'db_1', count: 3 })).toBe(
      'Drop ``t.c`x`` from `db_1` (3 rows)',
    );
  });

  it('shows each name of a list in its own span, at most ten, and an empty list as none', () => {
    const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
    expect(templateMarkdown('drops {tables}.', { tables: ['a', 'b`c'] })).toBe('drops `a`, ``b`c``.');
    expect(templateMarkdown('drops {tables}.', { tables: names })).toBe(`drops ${names.slice(0, 10).map((n) => `\`${n}\``).join(', ')} and 2 more.`);
    expect(templateMarkdown('drops {tables}.', { tables: [] })).toBe('drops none.');
    expect(formatMessage('drops {tables}.', { tables: ['a', 'b'] })).toBe('drops `a`, `b`.');
  });

  it('drops the quotes around a value that code already sets apart', () => {
    expect(templateMarkdown('Journal entry {idx} ("{tag}") has no {expected}.', { idx: 2, tag: '0002_x', expected: '0002_x.sql' })).toBe(
      'Journal entry 2 (`0002_x`) has no `0002_x.sql`.',
    );
    expect(formatMessage('entry ("{tag}")', { tag: 't' })).toBe('entry ("t")');
  });

  it('keeps two values that touch two spans', () => {
    // "`a``b`" would read as one span holding a``b
    expect(templateMarkdown('{a}{b}', { a: 'a', b: 'b' })).toBe('`a`&#8203;`b`');
  });

  it("escapes a rule's own words as text (they are still never markup), and leaves a missing value visible", () => {
    expect(templateMarkdown('{n} line{s} <b>{x}</b>', { n: 2, s: 's*' }, ['s'])).toBe('2 lines\\* &lt;b&gt;{x}&lt;/b&gt;');
  });

  it('reads a finding through its rule, and shows a message its template did not make whole as code', () => {
    const made = ruleFinding('replay-error', 'sql', { data: { statement: 'DROP TABLE x', message: 'no such table: x', more: '', database: 'd' } });
    expect(findingTextMarkdown(made, 'message')).toBe('SQLite refuses `DROP TABLE x`: `no such table: x`');
    expect(findingTextMarkdown(made, 'fix')).toContain('test with `safari review`.');
    const edited = { ...made, message: `${made.message} <b>` };
    expect(findingTextMarkdown(edited, 'message')).toBe('``SQLite refuses `DROP TABLE x`: no such table: x <b>``');
    expect(findingTextMarkdown(finding({ rule: 'no-such-rule', severity: 'notice', message: '# hi' }), 'message')).toBe('`# hi`');
  });

  it('every registered template pairs its backticks, and every declared wording key is a placeholder', () => {
    for (const rule of rules) {
      const templates = Object.keys(rule.meta.messages).flatMap((id) => [rule.meta.messages[id], fixTemplate(rule.meta, id) ?? '']);
      for (const template of templates) expect((template.match(/`/g) ?? []).length % 2, `${rule.meta.id}: ${template}`).toBe(0);
      const keys = new Set(templates.flatMap((t) => parseTemplate(t).flatMap((run) => run.pieces.flatMap((p) => ('key' in p ? [p.key] : [])))));
      for (const key of rule.meta.wording ?? []) expect(keys.has(key), `${rule.meta.id}: wording ${key}`).toBe(true);
    }
  });
});
