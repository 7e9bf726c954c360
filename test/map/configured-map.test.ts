// The map with a .github/safari.yml: configured domains and owners come first; a broken config becomes a notice.
import { afterAll, describe, expect, it } from 'vitest';
import { inventoryRepository } from '../../src/map/map.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { openGitSource } from '../../src/source/git.js';
import { cleanupRepos, makeRepo } from '../helpers/git-repo.js';

const sandbox = new ReplaySandbox({ log: () => {} });
afterAll(async () => {
  await sandbox.close();
  cleanupRepos();
});

const wrangler = `name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "x"\n`;
const migration = `CREATE TABLE users (id INTEGER PRIMARY KEY);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
CREATE TABLE auth_tokens (id INTEGER PRIMARY KEY);
CREATE TABLE meadow_posts (id INTEGER PRIMARY KEY);
CREATE TABLE meadow_votes (id INTEGER PRIMARY KEY);
CREATE TABLE feedback (id INTEGER PRIMARY KEY);
`;

async function mapOf(files: Record<string, string>) {
  const repo = await makeRepo([{ branch: 'main', files: { 'wrangler.toml': wrangler, 'migrations/0001_init.sql': migration, ...files } }]);
  const source = await openGitSource(repo, 'main', 'main');
  try {
    return (await inventoryRepository(source.head, sandbox)).map;
  } finally {
    await source.close();
  }
}

describe('safari map with .github/safari.yml', () => {
  it('uses configured domains and owners, and infers the rest', async () => {
    const map = await mapOf({
      '.github/safari.yml': `databases:\n  app-db: { owner: "@org/app" }\ndomains:\n  auth: { tables: [users, sessions], prefixes: [auth_], database: app-db }\n`,
    });
    const db = map.databases[0];
    expect(db.owner).toBe('@org/app');
    expect(db.domains).toEqual([
      { name: 'auth', configured: true, tables: ['auth_tokens', 'sessions', 'users'] },
      { name: 'meadow', configured: false, tables: ['meadow_posts', 'meadow_votes'] },
      { name: 'other', configured: false, tables: ['feedback'] },
    ]);
    expect(map.notices).toEqual([]);
  });

  it('maps with the defaults when the config is broken, and says why', async () => {
    const map = await mapOf({ '.github/safari.yml': 'domains: [not, a, map]\n' });
    expect(map.databases[0].domains).toEqual([
      { name: 'meadow', configured: false, tables: ['meadow_posts', 'meadow_votes'] },
      { name: 'other', configured: false, tables: ['auth_tokens', 'feedback', 'sessions', 'users'] },
    ]);
    expect(map.notices).toEqual([expect.stringMatching(/^\.github\/safari\.yml:1: domains.*\(the map uses the default configuration\)$/)]);
  });
});
