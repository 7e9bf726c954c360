// Which of the PR's .sql files no replay covers, and the one safari.yml line for each folder.
import { describe, expect, it } from 'vitest';
import { notReviewedFolders } from '../../src/discover/not-reviewed.js';
import type { DatabaseSpec, Discovery } from '../../src/discover/types.js';

const source = (path: string, applier: 'wrangler' | 'drizzle' = 'drizzle') => ({ kind: 'drizzle' as const, applier, path, attributions: [] });
const db = (name: string, paths: string[], notReplayed?: string): DatabaseSpec => ({
  name,
  dialect: 'sqlite',
  sources: paths.map((p) => source(p)),
  ...(notReplayed ? { notReplayed } : {}),
});
const PG = 'its drizzle dialect is "postgresql"; Safari replays SQLite and D1 only';
const added = (...paths: string[]) => paths.map((path) => ({ path, status: 'added' as const }));

describe('notReviewedFolders', () => {
  it('names the innermost folder holding the file (a PR that moves drizzle/ to drizzle/migrations/)', () => {
    const discovery: Discovery = { databases: [db('drizzle', ['drizzle'], PG), db('drizzle/migrations', ['drizzle/migrations'], PG)], unattributed: [], notices: [] };
    expect(notReviewedFolders(added('drizzle/migrations/0000_x.sql'), discovery)).toEqual([
      { folder: 'drizzle/migrations', files: ['drizzle/migrations/0000_x.sql'], database: 'drizzle/migrations', reason: PG, configLine: 'ignore: [drizzle/migrations]' },
    ]);
  });

  it('a replayed folder inside one that is not replayed is reviewed', () => {
    const discovery: Discovery = { databases: [db('old', ['db'], PG), db('app', ['db/sqlite'])], unattributed: [], notices: [] };
    expect(notReviewedFolders(added('db/sqlite/0001.sql', 'db/0001.sql'), discovery).map((f) => f.files)).toEqual([['db/0001.sql']]);
  });

  it('an unreadable dialect gets the line that replays it as SQLite; ignored files and non-SQL files never count', () => {
    const discovery: Discovery = { databases: [db('packages/db', ['packages/db/drizzle'], 'its drizzle `dialect` is not statically readable')], unattributed: [], notices: [] };
    const changes = added('packages/db/drizzle/0001_a.sql', 'packages/db/drizzle/meta/_journal.json', 'packages/db/drizzle/0002_b.sql');
    expect(notReviewedFolders(changes, discovery)).toEqual([
      expect.objectContaining({ files: ['packages/db/drizzle/0001_a.sql', 'packages/db/drizzle/0002_b.sql'], configLine: 'databases: { packages/db: { migrations: [packages/db/drizzle], dialect: sqlite } }' }),
    ]);
    expect(notReviewedFolders(changes, discovery, ['packages/db/drizzle'])).toEqual([]);
  });

  it('an unattributed folder beside the databases gets a database of its own, named so it pins no other', () => {
    const discovery: Discovery = { databases: [db('scripts', ['scripts/migrations'])], unattributed: ['scripts/migrations-manual'], notices: [] };
    expect(notReviewedFolders(added('scripts/migrations-manual/fix.sql'), discovery)).toEqual([
      expect.objectContaining({ folder: 'scripts/migrations-manual', configLine: 'databases: { scripts-migrations-manual: { migrations: [scripts/migrations-manual] } }' }),
    ]);
  });
});
