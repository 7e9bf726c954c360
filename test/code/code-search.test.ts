import { describe, expect, it } from 'vitest';
import { createCodeSearch, isSearchable } from '../../src/code/code-search.js';
import { MAX_SQL_DEPTH, parseable, parserWorkersStarted, sqlNamesOf } from '../../src/code/sql-names.js';
import { Deadline } from '../../src/deadline.js';
import { memoryTree } from './memory-tree.js';
import { memoryTree as recordingTree } from '../helpers/memory-tree.js';

const noExclude = () => false;
const search = (files: Record<string, string>, exclude: (p: string) => boolean = noExclude) =>
  createCodeSearch(memoryTree(files), { exclude });
const refsOf = async (files: Record<string, string>, names: string[], options?: { limit?: number; column?: boolean }) =>
  search(files).references(names, options);

describe('createCodeSearch', () => {
  it('finds a table name used in a SQL string, with file, line and text', async () => {
    const refs = await refsOf(
      { 'src/billing.ts': "import x from 'y';\n\nconst row = await db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?1').first();\n" },
      ['platform_billing'],
    );
    expect(refs.get('platform_billing')).toEqual([
      { file: 'src/billing.ts', line: 3, text: "const row = await db.prepare('SELECT * FROM platform_billing WHERE tenant_id = ?1').first();" },
    ]);
  });

  it('does not take meadow_posts or posts_count for posts', async () => {
    const refs = await refsOf(
      {
        'a.ts': "db.prepare('SELECT * FROM meadow_posts')\nconst posts_count = 1;\nconst meadowPosts = 2;\n",
        'b.ts': "db.prepare(`SELECT id, posts_count FROM tenants WHERE id = ${id}`)\n",
      },
      ['posts'],
    );
    expect(refs.get('posts')).toEqual([]);
  });

  it('reads SQL literals with the parser: a column named like the table is not a reference', async () => {
    const refs = await refsOf({ 'a.ts': "db.prepare('SELECT posts FROM stats WHERE id = ?')\n" }, ['posts']);
    expect(refs.get('posts')).toEqual([]);
  });

  it('falls back to the identifier match when the SQL does not parse', async () => {
    const refs = await refsOf(
      { 'a.ts': "db.prepare('INSERT INTO posts (id) VALUES (?) ON CONFLICT(id) DO UPDATE SET id = excluded.id')\n" },
      ['posts'],
    );
    expect(refs.get('posts')?.map((r) => r.line)).toEqual([1]);
  });

  it('counts identifiers and non-SQL strings in code (Drizzle table names, constants)', async () => {
    const refs = await refsOf(
      {
        'schema.ts': "export const billing = sqliteTable('platform_billing', {});\n",
        'use.py': 'TABLE = "platform_billing"\n',
        'q.go': 'const q = `SELECT 1 FROM platform_billing`\n',
      },
      ['platform_billing'],
    );
    expect(refs.get('platform_billing')?.map((r) => r.file)).toEqual(['q.go', 'schema.ts', 'use.py']);
  });

  it('does not take a path or route in a string (an import, a URL, a link) for the table', async () => {
    const refs = await refsOf(
      {
        'src/a.ts': "import { list } from './posts.js';\nexport const r = () => fetch(`${base}/api/posts/${id}`);\nconst dir = 'posts/drafts';\n",
        'src/routes/+page.svelte': '<a href="/posts">All</a>\n',
      },
      ['posts'],
    );
    expect(refs.get('posts')).toEqual([]);
  });

  it('ignores comments in every syntax', async () => {
    const refs = await refsOf(
      {
        'a.ts': '// platform_billing is legacy\n/* platform_billing */\nconst x = 1;\n',
        'b.py': '# platform_billing\n',
        'c.sql': '-- platform_billing\nSELECT 1;\n',
        'd.svelte': '<!-- platform_billing -->\n<p>hi</p>\n',
      },
      ['platform_billing'],
    );
    expect(refs.get('platform_billing')).toEqual([]);
  });

  it('keeps going after a regular expression literal holding a quote', async () => {
    const refs = await refsOf({ 'a.ts': "const re = /'/g;\nconst t = 'orders';\n" }, ['orders']);
    expect(refs.get('orders')?.map((r) => r.line)).toEqual([2]);
  });

  it('skips migration folders, dependencies, build output, fixtures and lock files', async () => {
    const files = {
      'libs/engine/migrations/0001_init.sql': 'CREATE TABLE orders(id);',
      'node_modules/pkg/index.js': "q('SELECT * FROM orders')",
      'dist/app.js': "q('SELECT * FROM orders')",
      'apps/x/.svelte-kit/out.js': "q('SELECT * FROM orders')",
      'test/fixtures/repo/a.ts': "q('SELECT * FROM orders')",
      'package-lock.json': '"orders"',
      'README.md': 'orders',
      'src/shop.ts': "q('SELECT * FROM orders')",
    };
    const refs = await search(files, (p) => p.startsWith('libs/engine/migrations/')).references(['orders']);
    expect(refs.get('orders')?.map((r) => r.file)).toEqual(['src/shop.ts']);
    expect(isSearchable('src/app.min.js', noExclude)).toBe(false);
  });

  it('does all names in one pass and honours the limit per name', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`src/f${i}.ts`] = `q('SELECT * FROM orders JOIN refunds ON 1')\n`;
    const tree = memoryTree(files);
    const cs = createCodeSearch(tree, { exclude: noExclude });
    const refs = await cs.references(['orders', 'refunds', 'absent'], { limit: 3 });
    expect(refs.get('orders')).toHaveLength(3);
    expect(refs.get('refunds')).toHaveLength(3);
    expect(refs.get('absent')).toEqual([]);
    await cs.references(['orders']);
    expect(tree.reads).toBe(1);
  });

  it('finds a column only where its table is referenced too', async () => {
    const refs = await refsOf(
      {
        'a.ts': "db.prepare('UPDATE user_onboarding SET lemonsqueezy_customer_id = ? WHERE id = ?')\n",
        'b.ts': "const lemonsqueezy_customer_id = 'x'; // unrelated module without the table\n",
        'c.ts': "const t = 'user_onboarding';\nconst c = row.lemonsqueezy_customer_id;\n",
        'd.ts': "db.prepare('SELECT lemonsqueezy_customer_id FROM other_table')\n",
      },
      ['user_onboarding.lemonsqueezy_customer_id'],
      { column: true },
    );
    // c.ts names the table, but `row.lemonsqueezy_customer_id` is a property of some row, not tied to the table.
    expect(refs.get('user_onboarding.lemonsqueezy_customer_id')?.map((r) => `${r.file}:${r.line}`)).toEqual(['a.ts:1']);
  });

  describe('column references tied to their table (a Drizzle app with camelCase column names)', () => {
    // Modelled on a Workers + Drizzle rules engine: two tables declare a `listId` column, the PR drops it from one.
    const schema = [
      "import { sqliteTable, text } from 'drizzle-orm/sqlite-core';",
      "export const ruleEngineLists = sqliteTable('rule_engine_lists', {",
      '  id: text().primaryKey(),',
      '  listId: text(),',
      '});',
      "export const rules = sqliteTable('rule_engine_rules', {",
      '  id: text().primaryKey(),',
      '  name: text(),',
      '});',
    ].join('\n');
    const files = {
      'src/db/schema.ts': schema,
      'src/rules/service.ts': "import { rules, ruleEngineLists } from '../db/schema';\nconst x = await db.select().from(ruleEngineLists).get();\nreturn x.listId;\n",
      'src/rules/legacy.ts': "import { rules } from '../db/schema';\nawait db.select().from(rules).where(eq(rules.listId, id));\n",
      'src/rules/raw.ts': "await env.DB.prepare('SELECT listId FROM rule_engine_rules').all();\n",
      'src/rules/__tests__/rules.test.ts': "import { rules } from '../../db/schema';\nexpect(rules.listId).toBeUndefined();\n",
      'test/seed.spec.ts': "await db.insert(rules).values({ listId: 'x' }); rules.listId;\n",
    };

    it('counts a property access on the table\'s own binding and SQL naming the table, not `x.listId` of another table', async () => {
      const refs = (await refsOf(files, ['rule_engine_rules.listId'], { column: true })).get('rule_engine_rules.listId') ?? [];
      expect(refs.filter((r) => !r.test).map((r) => `${r.file}:${r.line}`)).toEqual(['src/rules/legacy.ts:2', 'src/rules/raw.ts:1']);
    });

    it('counts the column inside the table\'s own definition (schema.ts still declares it), not another table\'s', async () => {
      const still = { ...files, 'src/db/schema.ts': schema.replace('  name: text(),', '  name: text(),\n  listId: text(),') };
      const refs = (await refsOf(still, ['rule_engine_rules.listId'], { column: true })).get('rule_engine_rules.listId') ?? [];
      expect(refs.filter((r) => !r.test).map((r) => `${r.file}:${r.line}`)).toContain('src/db/schema.ts:9');
      expect(refs.map((r) => `${r.file}:${r.line}`)).not.toContain('src/db/schema.ts:4');
    });

    it('does not count a string value in the table\'s definition (an enum member, a default) as the column', async () => {
      // Modelled on hwld/evodo-openapi: the PR replaces `tasks.done` with `status`, whose enum holds the value "done".
      const tasks = [
        "import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';",
        "export const tasks = sqliteTable('tasks', {",
        "  id: text('id').primaryKey(),",
        '  status: text("status", { enum: ["done", "todo"] })',
        '    .notNull()',
        '    .default("done"),',
        '});',
      ].join('\n');
      const gone = (await refsOf({ 'src/db/schema.ts': tasks }, ['tasks.done'], { column: true })).get('tasks.done') ?? [];
      expect(gone).toEqual([]);
      const kept = tasks.replace("  id: text('id').primaryKey(),", "  id: text('id').primaryKey(),\n  isDone: t.integer(\n    'done', { mode: 'boolean' }),");
      const still = (await refsOf({ 'src/db/schema.ts': kept }, ['tasks.done'], { column: true })).get('tasks.done') ?? [];
      expect(still.map((r) => `${r.file}:${r.line}`)).toEqual(['src/db/schema.ts:5']);
    });

    it('marks references in test files (__tests__/, test/, *.spec.*) as tests', async () => {
      const refs = (await refsOf(files, ['rule_engine_rules.listId'], { column: true })).get('rule_engine_rules.listId') ?? [];
      expect(refs.filter((r) => r.test).map((r) => `${r.file}:${r.line}`)).toEqual(['src/rules/__tests__/rules.test.ts:2', 'test/seed.spec.ts:1']);
      const tables = (await refsOf({ 'tests/db.ts': 'SELECT * FROM orders', 'src/x.test.ts': 'orders', 'src/api.ts': 'orders' }, ['orders'])).get('orders') ?? [];
      expect(tables.map((r) => [r.file, r.test === true])).toEqual([['src/api.ts', false], ['src/x.test.ts', true], ['tests/db.ts', true]]);
    });
  });

  it('does not count a table name written as an object key or typed parameter (a field of something else)', async () => {
    // Modelled on an Elysia + Drizzle (Turso) blog: the request model has a `tags` field; the PR drops table `tags`.
    const refs = await refsOf(
      {
        'src/posts.model.ts': 'const create = t.Object({\n  title: t.String(),\n  tags: t.Array(t.String()),\n});\nfunction f(tags: string[]) {}\n',
        'src/posts.service.ts': "import { tags } from './schema';\nawait db.select().from(tags);\nconst x = cond ? tags : [];\n",
      },
      ['tags'],
    );
    expect(refs.get('tags')?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/posts.service.ts:1', 'src/posts.service.ts:2', 'src/posts.service.ts:3']);
  });

  it('ignores quoted data in non-migration .sql files but counts names', async () => {
    const refs = await refsOf({ 'db/seed.sql': "INSERT INTO settings VALUES ('orders');\nSELECT * FROM orders;\n" }, ['orders']);
    expect(refs.get('orders')?.map((r) => r.line)).toEqual([2]);
  });

  it('reads Python triple-quoted SQL and Svelte script blocks', async () => {
    const refs = await refsOf(
      {
        'jobs/report.py': 'QUERY = """\nSELECT id\nFROM meadow_posts\n"""\nOTHER = """SELECT * FROM posts"""\n',
        'src/routes/+page.svelte': "<script>\n  const rows = db.prepare('SELECT * FROM posts').all();\n</script>\n<p>Don't show posts_count</p>\n",
      },
      ['posts'],
    );
    expect(refs.get('posts')?.map((r) => `${r.file}:${r.line}`)).toEqual(['jobs/report.py:5', 'src/routes/+page.svelte:2']);
  });

  // Issue 9: dropped names come from the PR. A 60 KB name (or thousands of names) used to make one combined pattern
  // that V8 refuses ("Regular expression too large"): the rule crashed and the drop passed unchecked.
  it('finds a 60 KB dropped name without building a pattern from it', async () => {
    const huge = `t${'x'.repeat(60_000)}`;
    const refs = await refsOf({ 'a.ts': `const a = 1;\nuse(${huge});\n`, 'b.ts': `use(${huge}y);\n` }, [huge, 'other']);
    expect(refs.get(huge)?.map((r) => `${r.file}:${r.line}`)).toEqual(['a.ts:2']);
  });

  it('searches 5,000 dropped names at once', async () => {
    const names = Array.from({ length: 5000 }, (_, i) => `dropped_table_with_a_long_name_${i}`);
    const refs = await refsOf({ 'a.ts': 'x(dropped_table_with_a_long_name_4999);\nx(dropped_table_with_a_long_name_49990);\n' }, names);
    expect(refs.get('dropped_table_with_a_long_name_4999')?.map((r) => r.line)).toEqual([1]);
    expect([...refs.values()].flat()).toHaveLength(1);
  });

  it('finds names holding spaces or dashes as whole names, in text order', async () => {
    const refs = await refsOf(
      { 'a.py': 'q = "SELECT * FROM [audit-log]"\nr = "audit-logs"\nuse(posts)\nuse("My Table")\n' },
      ['audit-log', 'My Table', 'posts'],
    );
    expect(refs.get('audit-log')?.map((r) => r.line)).toEqual([1]);
    expect(refs.get('My Table')?.map((r) => r.line)).toEqual([4]);
    expect(refs.get('posts')?.map((r) => r.line)).toEqual([3]);
  });

  // Issue 9: node-sql-parser is exponential on nested sub-selects; 20 deep it ran for minutes and then killed the
  // process with a V8 fatal error. Such literals are never parsed: the identifier match decides, in milliseconds.
  it('never hands a deeply nested SQL literal to the parser', { timeout: 10_000 }, async () => {
    const evil = `SELECT ${'(SELECT '.repeat(20)}1 FROM posts`;
    expect(parseable(evil)).toBe(false);
    expect(await sqlNamesOf(evil)).toBeNull();
    const refs = await refsOf({ 'a.ts': `db.prepare("${evil}");\n` }, ['posts']);
    expect(refs.get('posts')?.map((r) => r.line)).toEqual([1]);
  });

  it('parses what real queries nest, and nothing longer than the cap', () => {
    expect(parseable(`SELECT ${'('.repeat(MAX_SQL_DEPTH)}1${')'.repeat(MAX_SQL_DEPTH)} FROM t`)).toBe(true);
    expect(parseable(`SELECT ${'('.repeat(MAX_SQL_DEPTH + 1)}1${')'.repeat(MAX_SQL_DEPTH + 1)} FROM t`)).toBe(false);
    expect(parseable(`SELECT ${'a, '.repeat(700)}b FROM t`)).toBe(false);
  });

  it('falls back to the identifier match once the parse budget is spent', async () => {
    const files = { 'a.ts': "db.prepare('SELECT posts FROM stats WHERE id = ?')\n" };
    const parsed = await createCodeSearch(memoryTree(files), { exclude: noExclude }).references(['posts']);
    expect(parsed.get('posts')).toEqual([]);
    const unparsed = await createCodeSearch(memoryTree(files), { exclude: noExclude, parseBudgetMs: 0 }).references(['posts']);
    expect(unparsed.get('posts')?.map((r) => r.line)).toEqual([1]);
  });

  // Issue 9: every file used to be read before the 1 MB skip; 200 files of 10 MB took the process to 4 GB.
  it('skips files over the size cap without reading them, and binary files', async () => {
    const tree = recordingTree({ 'big.ts': `use(posts);\n${'x'.repeat(2000)}`, 'small.ts': 'use(posts);\n', 'bin.ts': 'use(posts);\0' });
    const refs = await createCodeSearch(tree, { exclude: noExclude, maxFileBytes: 1000 }).references(['posts']);
    expect(refs.get('posts')?.map((r) => r.file)).toEqual(['small.ts']);
    expect(tree.reads.flat()).not.toContain('big.ts');
  });

  it('stops between files at the review deadline and says how far it got', async () => {
    const stopped: number[][] = [];
    const search = createCodeSearch(memoryTree({ 'a.ts': 'use(posts);\n', 'b.ts': 'use(posts);\n' }), {
      exclude: noExclude,
      deadline: new Deadline(0),
      onDeadline: (searched, total) => stopped.push([searched, total]),
    });
    expect((await search.references(['posts'])).get('posts')).toEqual([]);
    expect(stopped).toEqual([[0, 2]]);
  });

  // Issue 9: within the caps a literal can still take seconds (4 sub-selects and 2,800 characters took 2.3 s). The
  // parse runs in a worker thread that is terminated when it outlives its timeout; the next parse gets a new one.
  it('stops a parse that outlives its timeout by terminating its worker, and parses on with a new one', async () => {
    const cols = Array.from({ length: 40 }, (_, i) => `c${i}`).join(', ');
    const slow = `SELECT ${`(SELECT ${cols} FROM t WHERE x = 1 AND `.repeat(4)}1`;
    expect(parseable(slow)).toBe(true);
    expect((await sqlNamesOf('SELECT * FROM warm_up'))?.tables).toEqual(new Set(['warm_up']));
    const before = parserWorkersStarted();
    expect(await sqlNamesOf(slow, { timeoutMs: 1 })).toBeNull();
    expect(await sqlNamesOf('SELECT id FROM after_the_stop')).toEqual({ tables: new Set(['after_the_stop']), columns: new Set(['.id']) });
    expect(parserWorkersStarted()).toBe(before + 1);
  });
});
