// Object names come from the PR's SQL: names that collide with JavaScript's object machinery or with Markdown must
// still reach the review, exactly, and render inert.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { reviewFiles } from '../helpers/review-files.js';

const wrangler = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\n`;

describe('hostile object names', () => {
  it('reviews tables named __proto__, constructor and markup like any other', async () => {
    const result = await reviewFiles({
      base: { 'wrangler.toml': wrangler, 'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' },
      pr: {
        'migrations/0002_names.sql': [
          'CREATE TABLE "__proto__" (id INTEGER PRIMARY KEY);',
          'CREATE TABLE "constructor" (id INTEGER PRIMARY KEY, "hasOwnProperty" TEXT);',
          'CREATE TABLE "x<img src=x onerror=alert(1)>" (id INTEGER PRIMARY KEY);',
          'CREATE INDEX "toString" ON "constructor"("hasOwnProperty");',
          '',
        ].join('\n'),
      },
    });
    const [db] = result.databases;
    expect(db.delta.tablesAdded).toEqual(['__proto__', 'constructor', 'x<img src=x onerror=alert(1)>']);
    expect(db.head.tables).toBe(4);
    // no rule stumbles over names that are also Object.prototype's (a crash would surface as a rule-crashed notice)
    expect(result.findings).toEqual([]);
    const markdown = renderMarkdown(result);
    expect(markdown).toContain('`__proto__`');
    // markup only ever appears inside code spans, where GitHub shows it as text
    expect(markdown.replace(/`[^`\n]*`/g, '')).not.toContain('<img');
  });
});
