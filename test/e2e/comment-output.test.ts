// The PR comment from real reviews: hostile names, Drizzle table names and SQLite messages that quote them stay
// inside code (issue 9 §4), old problems of databases the PR doesn't touch are one count line (issue 7, item 15),
// and rule links are absolute and configurable (item 16).
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_URL } from '../../src/docs-url.js';
import { MARKDOWN_MARKER, renderMarkdown } from '../../src/render/markdown.js';
import { leaks, parser, PR } from '../helpers/markdown-leaks.js';
import { reviewFiles } from '../helpers/review-files.js';
import { drizzleInput, loadFixture } from '../drizzle/drizzle-input.js';
import type { ReviewResult } from '../../src/result.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { ruleById } from '../../src/rules/registry.js';

const wrangler = (name: string, dir: string) =>
  `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\nmigrations_dir = "${dir}"\n`;

const sql = (s: string) => s.replace(/'/g, "''");

describe('the PR comment of a real review', () => {
  it('keeps a table name holding line breaks, mentions, links and the marker inside code, SQLite message included', async () => {
    const name = `${PR}x\n# ${PR} All checks passed\n${PR}@org/security ${PR}https://evil.com ${PR}<!-- migration-safari --> ${PR}</details>`;
    const result = await reviewFiles({
      base: { 'wrangler.toml': wrangler('app-db', 'migrations'), 'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' },
      pr: {
        'migrations/0002_names.sql': [
          `CREATE TABLE "${name.replace(/"/g, '""')}" (id INTEGER PRIMARY KEY);`,
          `DROP TABLE users;`,
          // SQLite's message quotes the missing table's name: PR text in the message.
          `INSERT INTO "${PR}nope\n## ${PR} www.evil.com" VALUES ('${sql(`${PR}`)}');`,
          '',
        ].join('\n'),
      },
    });
    const replayError = result.findings.find((f) => f.rule === 'replay-error');
    expect(replayError?.message).toContain(`no such table: ${PR}nope\n## ${PR} www.evil.com`);
    expect(result.databases[0].delta.tablesAdded).toContain(name);
    const md = renderMarkdown(result);
    expect(leaks(md)).toEqual([]);
    expect(md.split(MARKDOWN_MARKER)).toHaveLength(2);
    // The name is shown as written (line breaks as spaces), in code.
    const code = parser
      .parse(md, {})
      .flatMap((t) => [t, ...(t.children ?? [])])
      .filter((t) => t.type === 'code_inline')
      .map((t) => t.content);
    expect(code).toContain(`no such table: ${PR}nope ## ${PR} www.evil.com`);
  });

  it('keeps hostile file names, edited lines and code references inside code too', async () => {
    const evil = `${PR}\n# ${PR} heading @org/team https://evil.com <!-- migration-safari -->`;
    const result = await reviewFiles({
      base: {
        'wrangler.toml': wrangler('app-db', 'migrations'),
        'migrations/0001_init.sql': `CREATE TABLE users (id INTEGER PRIMARY KEY, note TEXT DEFAULT '${sql(evil)}');\n`,
        'src/users.ts': `// ${evil}\nexport const q = db.prepare('SELECT * FROM users');\n`,
      },
      pr: {
        // edits an applied migration (its changed lines are details), drops a table code still uses, and adds a file
        // whose name holds a line break
        'migrations/0001_init.sql': `CREATE TABLE users (id INTEGER PRIMARY KEY, note TEXT DEFAULT '${sql(evil)} edited');\n`,
        [`migrations/0002_${PR}\n# ${PR}.sql`]: 'DROP TABLE users;\n',
      },
    });
    const rulesFired = new Set(result.findings.map((f) => f.rule));
    expect(rulesFired).toContain('edited-migration');
    expect(rulesFired).toContain('drop-referenced-table');
    expect(result.findings.some((f) => f.file?.includes('\n'))).toBe(true);
    const md = renderMarkdown(result, { explainDiscovery: true });
    expect(leaks(md)).toEqual([]);
    expect(md.split(MARKDOWN_MARKER)).toHaveLength(2);
  });

  it('keeps a Drizzle table name holding line breaks inside the details fence of a stale schema', async () => {
    const f = loadFixture('clean');
    const evil = `${PR}x\n# ${PR} heading\n${PR}@org/team ${PR}<!-- migration-safari -->\n\`\`\`\n${PR}`;
    const schema = 'src/db/schema.ts';
    const head = { ...f.head, [schema]: `${f.head[schema]}\nexport const evil = sqliteTable(${JSON.stringify(evil)}, { id: integer('id').primaryKey() });\n` };
    const rule = ruleById.get('drizzle-schema-stale')!;
    const reports = await rule.check(await drizzleInput(f.base, head));
    expect(reports.map((r) => r.messageId)).toEqual(['stale']);
    expect(reports[0].details?.join('\n')).toContain(`${PR}x\n# ${PR} heading`);
    const result: ReviewResult = {
      schemaVersion: 1,
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
      conclusion: 'failure',
      databases: [],
      findings: reports.map((r) => toFinding(rule, r, undefined)),
      unattributed: [],
      discovery: [],
      docsUrl: DEFAULT_DOCS_URL,
    };
    const md = renderMarkdown(result);
    expect(leaks(md)).toEqual([]);
    expect(md.split(MARKDOWN_MARKER)).toHaveLength(2);
    const fences = parser.parse(md, {}).filter((t) => t.type === 'fence').map((t) => t.content);
    expect(fences.join('\n')).toContain(`${PR}x\n# ${PR} heading\n${PR}@org/team`);
  });

  it('lists old problems only of the databases the PR touches and counts the others on one line', async () => {
    const base = {
      'apps/a/wrangler.toml': wrangler('a-db', 'migrations'),
      'apps/a/migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n',
      'apps/b/wrangler.toml': wrangler('b-db', 'migrations'),
      'apps/b/migrations/0001_init.sql': 'CREATE TABLE b (id INTEGER PRIMARY KEY);\n',
      // broken on main: SQLite refuses it on base and head alike
      'apps/b/migrations/0002_index.sql': 'CREATE INDEX b_missing ON missing_table(id);\n',
    };
    const touchingA = await reviewFiles({ base, pr: { 'apps/a/migrations/0002_more.sql': 'CREATE TABLE a2 (id INTEGER PRIMARY KEY);\n' } });
    const touched = Object.fromEntries(touchingA.databases.map((db) => [db.name, db.touched]));
    expect(touched).toEqual({ 'a-db': true, 'b-db': false });
    const old = touchingA.findings.filter((f) => f.preexisting);
    expect(old.map((f) => [f.rule, f.database])).toEqual([['replay-error', 'b-db']]);
    const md = renderMarkdown(touchingA);
    expect(md).not.toContain('<summary>Already on main');
    expect(md).not.toContain('missing_table');
    expect(md).toContain('Already on main in 1 database this PR does not touch: 1 finding (`b-db` 1)');

    // A PR that only edits a data row of b (no schema change) touches b: its old problem is listed.
    const touchingB = await reviewFiles({ base, pr: { 'apps/b/migrations/0003_seed.sql': 'INSERT INTO b (id) VALUES (1);\n' } });
    expect(Object.fromEntries(touchingB.databases.map((db) => [db.name, db.touched]))).toEqual({ 'a-db': false, 'b-db': true });
    const mdB = renderMarkdown(touchingB);
    expect(mdB).toContain('<summary>Already on main (1)</summary>');
    expect(mdB).toContain('`apps/b/migrations/0002_index.sql:1`');
    expect(mdB).toContain('`no such table: main.missing_table`');
    expect(mdB).not.toContain('does not touch');
  });

  it('links rules to the docs base from safari.yml on main, unless the caller names another', async () => {
    const files = {
      'wrangler.toml': wrangler('app-db', 'migrations'),
      'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n',
    };
    const pr = { 'migrations/0002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' };
    const byDefault = await reviewFiles({ base: files, pr });
    expect(byDefault.docsUrl).toBe(DEFAULT_DOCS_URL);
    expect(renderMarkdown(byDefault)).toContain(`(${DEFAULT_DOCS_URL}destructive-change.md)`);

    const configured = { ...files, '.github/safari.yml': 'docsUrl: https://docs.example.com/safari/{rule}\n' };
    const fromConfig = await reviewFiles({ base: configured, pr });
    expect(fromConfig.docsUrl).toBe('https://docs.example.com/safari/{rule}');
    expect(renderMarkdown(fromConfig)).toContain('(https://docs.example.com/safari/destructive-change)');

    const overridden = await reviewFiles({ base: configured, pr, options: { docsUrl: 'https://mirror.example.com/rules/' } });
    expect(renderMarkdown(overridden)).toContain('(https://mirror.example.com/rules/destructive-change.md)');

    // The PR's own safari.yml does not move its links.
    const prConfig = await reviewFiles({ base: files, pr: { ...pr, '.github/safari.yml': 'docsUrl: https://evil.example.com/\n' } });
    expect(prConfig.docsUrl).toBe(DEFAULT_DOCS_URL);
  });
});
