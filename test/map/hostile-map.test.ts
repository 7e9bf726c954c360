// A repository's SQL, configs and code are hostile: the map must still answer, never crash or hang.
import { afterAll, describe, expect, it } from 'vitest';
import { inventoryRepository } from '../../src/map/map.js';
import { renderMapMarkdown, renderMapText } from '../../src/map/render-map.js';
import { renderTableMarkdown, tableDetails } from '../../src/map/table-details.js';
import { leaks, PR } from '../helpers/markdown-leaks.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { openGitSource } from '../../src/source/git.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

const sandbox = new ReplaySandbox({ log: () => {} });
afterAll(async () => {
  await sandbox.close();
  cleanupRepos();
});

async function mapOf(files: Record<string, string>) {
  const repo = await makeRepo([{ branch: 'main', files }]);
  const source = await openGitSource(repo, 'main', 'main');
  try {
    return await inventoryRepository(source.head, sandbox);
  } finally {
    await source.close();
  }
}

describe('safari map on hostile input', () => {
  it('maps a table whose name is too long to search (70,000 characters), and says so', async () => {
    const long = `t${'x'.repeat(70_000)}`;
    const { map } = await mapOf({
      'wrangler.toml': `name = "w"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "db"\ndatabase_id = "x"\n`,
      'migrations/0001_init.sql': `CREATE TABLE ${long} (id INTEGER);\nCREATE TABLE users (id INTEGER);\n`,
      'src/index.ts': `export const q = 'SELECT * FROM users';\n`,
    });
    expect(map.databases[0].tables.map((t) => [t.name.length, t.references])).toEqual([[70_001, 0], [5, 1]]);
    expect(map.databases[0].unusedTables).toEqual([]);
    expect(map.notices).toEqual(['1 table name is longer than 512 characters: not searched in code, never listed as unused']);
    expect(renderMapMarkdown(map).length).toBeLessThanOrEqual(65_536);
  });

  it('draws hostile wrangler names and bindings without breaking the diagram', async () => {
    const { map } = await mapOf({
      'apps/x/wrangler.json': JSON.stringify({ name: 'w"]\n```\n<img src=x>', d1_databases: [{ binding: 'DB"] --> evil', database_name: 'db`x' }] }),
      'apps/x/migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n',
    });
    const md = renderMapMarkdown(map);
    const diagram = md.slice(md.indexOf('```mermaid'), md.indexOf('\n```\n', md.indexOf('```mermaid')) + 4);
    expect(diagram.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```']);
    expect(diagram).not.toContain('<img');
    expect(diagram).toContain('app0 -- "DB#34;#93; --#62; evil" --> db0');
  });

  it('says plainly when a repository has no database', async () => {
    const { map } = await mapOf({ 'README.md': '# nothing here\n' });
    expect(map.databases).toEqual([]);
    expect(map.totals.databases).toBe(0);
    const md = renderMapMarkdown(map);
    expect(md).toContain('No database found: no wrangler `d1_databases`');
    expect(md).not.toContain('### Each database');
    expect(renderMapText(map)).toContain('No database found');
  });

  it('keeps hostile table, column, index and default text inside code in the map and in safari table', async () => {
    const name = `${PR}</details><img src=x> @org/team ${PR}`;
    const q = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const inventory = await mapOf({
      'wrangler.toml': `name = "w"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "db"\ndatabase_id = "x"\n`,
      'migrations/0001_init.sql': [
        `CREATE TABLE ${q(name)} (id INTEGER PRIMARY KEY, ${q(`${PR} col # head`)} TEXT DEFAULT '${PR} <b>x</b> www.evil.example');`,
        `CREATE INDEX ${q(`${PR}_idx **bold**`)} ON ${q(name)}(${q(`${PR} col # head`)});`,
        `CREATE TABLE child (id INTEGER, parent INTEGER REFERENCES ${q(name)}(id));`,
        `ALTER TABLE ${q(name)} ADD COLUMN ${q(`${PR} [link](https://evil.example)`)} INTEGER;`,
        '',
      ].join('\n'),
      'src/app.ts': `export const q = 'SELECT * FROM child';\n`,
    });
    expect(leaks(renderMapMarkdown(inventory.map))).toEqual([]);
    const details = tableDetails(inventory, name);
    expect(details.found).toBe(true);
    expect(details.databases[0].history.map((h) => h.action)).toEqual(['created', 'created index {0}', 'added column {0}']);
    const md = renderTableMarkdown(details);
    expect(leaks(md)).toEqual([]);
    expect(md).toContain('**Referenced by**: `child` (`parent`)');
  });
});
