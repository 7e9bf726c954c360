// Issue 7 item 11: Drizzle folders that no `drizzle.config.*` names are still found — through the `--config` of a
// package.json script that runs drizzle-kit, or through the folder's own meta/_journal.json — instead of passing
// silently as unreviewed SQL. Fixtures modelled on real repositories (a D1 app with `drizzle.d1.config.ts`, a
// monorepo whose db package generates with `--config=`, a generated folder whose config was deleted).
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { drizzleConfigsInScripts } from '../../src/discover/package-scripts.js';
import { reviewFiles } from '../helpers/review-files.js';
import { memoryTree } from '../helpers/memory-tree.js';

const journal = (dialect: string, tags: string[]) =>
  JSON.stringify({ version: '7', dialect, entries: tags.map((tag, idx) => ({ idx, version: '6', when: 1_700_000_000_000 + idx, tag, breakpoints: true })) }, null, 2);

describe('package.json scripts that name a drizzle config', () => {
  it('reads --config x, --config=x and quoted values, relative to the package, only for drizzle-kit commands', () => {
    const pkg = JSON.stringify({
      scripts: {
        'db:generate': 'drizzle-kit generate --config=./drizzle.d1.config.ts',
        'db:studio': 'dotenv -e .env -- drizzle-kit studio --config "config/drizzle prod.ts"',
        'db:both': 'tsc --config tsconfig.json && npx drizzle-kit push --config ../shared/drizzle.ts',
        build: 'vite build --config vite.config.ts',
      },
    });
    expect(drizzleConfigsInScripts('apps/api/package.json', pkg).sort()).toEqual([
      'apps/api/config/drizzle prod.ts',
      'apps/api/drizzle.d1.config.ts',
      'apps/shared/drizzle.ts',
    ]);
    expect(drizzleConfigsInScripts('package.json', '{ not json')).toEqual([]);
    expect(drizzleConfigsInScripts('package.json', JSON.stringify({ scripts: { x: 'drizzle-kit generate --config ../../etc/x.ts' } }))).toEqual([]);
  });

  it('discovers the config a script names, its out folder and schema, as for drizzle.config.ts', async () => {
    const d = await discover(
      memoryTree({
        'apps/api/package.json': JSON.stringify({ scripts: { 'db:generate': 'drizzle-kit generate --config ./drizzle.d1.config.ts' } }),
        'apps/api/drizzle.d1.config.ts': "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './src/schema.ts', out: './migrations/d1' });\n",
        'apps/api/migrations/d1/0000_init.sql': 'CREATE TABLE users (id integer PRIMARY KEY);\n',
        'apps/api/src/schema.ts': 'export {}\n',
      }),
    );
    expect(d.databases).toHaveLength(1);
    expect(d.databases[0]).toMatchObject({ name: 'apps/api', dialect: 'sqlite' });
    expect(d.databases[0].sources[0]).toMatchObject({
      kind: 'drizzle',
      applier: 'drizzle',
      path: 'apps/api/migrations/d1',
      drizzle: { configFile: 'apps/api/drizzle.d1.config.ts', schema: ['apps/api/src/schema.ts'] },
    });
    expect(d.unattributed).toEqual([]);
  });
});

describe('folders holding meta/_journal.json without a config', () => {
  it('are Drizzle folders, replayed in journal order when the dialect is sqlite', async () => {
    const d = await discover(
      memoryTree({
        'packages/db/src/migrations/0000_init.sql': 'CREATE TABLE a (id integer);\n',
        'packages/db/src/migrations/meta/_journal.json': journal('sqlite', ['0000_init']),
      }),
    );
    expect(d.databases.map((db) => [db.name, db.dialect, db.notReplayed, db.sources.map((s) => `${s.kind}:${s.applier}:${s.path}`)])).toEqual([
      ['packages/db/src', 'sqlite', undefined, ['drizzle:drizzle:packages/db/src/migrations']],
    ]);
    expect(d.unattributed).toEqual([]);
  });

  it('with a postgresql or mysql journal, are listed as not replayed, with the dialect as the reason', async () => {
    const d = await discover(
      memoryTree({
        'server/drizzle/0000_init.sql': 'CREATE TABLE "a" ("id" serial PRIMARY KEY);\n',
        'server/drizzle/meta/_journal.json': journal('postgresql', ['0000_init']),
      }),
    );
    expect(d.databases).toEqual([expect.objectContaining({ name: 'server', notReplayed: expect.stringContaining('"postgresql"') })]);
    expect(d.notices).toContainEqual(expect.objectContaining({ messageId: 'not-replayed', database: 'server', file: 'server/drizzle/meta/_journal.json' }));
  });

  it('a folder wrangler applies stays wrangler\'s (it runs every file by name, journal or not)', async () => {
    const d = await discover(
      memoryTree({
        'wrangler.toml': 'name = "x"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "1"\nmigrations_dir = "drizzle"\n',
        'drizzle/0000_init.sql': 'CREATE TABLE a (id integer);\n',
        'drizzle/meta/_journal.json': journal('sqlite', ['0000_init']),
      }),
    );
    expect(d.databases.map((db) => [db.name, db.sources.map((s) => `${s.kind}:${s.applier}:${s.path}`)])).toEqual([['app', ['wrangler:wrangler:drizzle']]]);
  });

  it('a PR adding a broken migration to such a folder fails, in journal order (a wrong order would pass)', async () => {
    // File names sort 0000_b before 0000_z, the journal applies z first: b uses z's table.
    const base = {
      'db/migrations/0000_z.sql': 'CREATE TABLE users (id integer PRIMARY KEY);\n',
      'db/migrations/meta/_journal.json': journal('sqlite', ['0000_z']),
    };
    const ok = await reviewFiles({
      base,
      pr: {
        'db/migrations/0000_b.sql': 'CREATE INDEX users_id ON users (id);\n',
        'db/migrations/meta/_journal.json': journal('sqlite', ['0000_z', '0000_b']),
      },
    });
    expect(ok.findings.filter((f) => f.rule === 'replay-error')).toEqual([]);
    expect(ok.databases.map((db) => [db.name, db.head.migrations])).toEqual([['db', 2]]);
    const bad = await reviewFiles({
      base,
      pr: {
        'db/migrations/0001_bad.sql': 'CREATE INDEX users_email ON users (email);\n',
        'db/migrations/meta/_journal.json': journal('sqlite', ['0000_z', '0001_bad']),
      },
    });
    expect(bad.conclusion).toBe('failure');
    expect(bad.findings).toContainEqual(expect.objectContaining({ rule: 'replay-error', file: 'db/migrations/0001_bad.sql', line: 1 }));
  });
});
