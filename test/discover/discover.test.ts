import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import type { Discovery } from '../../src/discover/types.js';
import { parseConfig } from '../../src/config/load-config.js';
import { safariConfig } from '../../src/config/schema.js';
import { memoryTree } from '../helpers/memory-tree.js';
import { groveTree } from './grove-tree.js';

const sql = 'CREATE TABLE t (id INTEGER);\n';
const summary = (d: Discovery) => d.databases.map((db) => [db.name, db.dialect, db.sources.map((s) => `${s.kind}:${s.path}`)]);
const db = (d: Discovery, name: string) => {
  const found = d.databases.find((x) => x.name === name);
  if (!found) throw new Error(`no database ${name}`);
  return found;
};

describe('discover: a seed-like monorepo, zero config', () => {
  it('finds every database and the folders that feed it', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    expect(summary(d)).toEqual([
      ['grove-engine-db', 'd1', ['wrangler:apps/clearing/migrations', 'wrangler:apps/landing/migrations', 'wrangler:libs/engine/migrations']],
      ['grove-backups-db', 'd1', ['wrangler:workers/backup/migrations']],
      ['grove-observability-db', 'd1', []],
      ['grove-curios-db', 'd1', ['wrangler:libs/engine/curio-migrations']],
      ['forage-jobs', 'd1', ['wrangler:services/forage/migrations']],
      ['groveauth', 'd1', ['wrangler:services/heartwood/migrations']],
      ['zephyr-logs', 'd1', ['wrangler:db/zephyr']],
      ['grove-warden', 'd1', []],
      ['packages/db', 'sqlite', ['drizzle:packages/db/drizzle']],
      ['tools/analytics', 'sqlite', ['drizzle:tools/analytics/pg']],
      ['legacy', 'sqlite', ['directory:legacy/migrations']],
    ]);
    // Configs are read in one batch; nothing under node_modules or build output is even read.
    expect(tree.reads).toHaveLength(1);
    expect(tree.reads[0].some((p) => p.includes('node_modules') || p.includes('.svelte-kit'))).toBe(false);
  });

  it('guesses once per shared implicit folder and says so', async () => {
    const d = await discover(memoryTree(groveTree()));
    const guesses = d.notices.filter((n) => n.messageId === 'guessed-folder');
    expect(guesses).toEqual([
      {
        messageId: 'guessed-folder',
        file: 'apps/landing/wrangler.toml',
        line: 9,
        database: 'grove-engine-db',
        data: { folder: 'apps/landing/migrations', config: 'apps/landing/wrangler.toml', bindings: 'OBS_DB, DB', count: 2, database: 'grove-engine-db', binding: 'DB' },
      },
      expect.objectContaining({
        file: 'workers/backup/wrangler.toml',
        database: 'grove-backups-db',
        data: expect.objectContaining({ folder: 'workers/backup/migrations', count: 8, binding: 'DB' }),
      }),
    ]);
    const backup = db(d, 'grove-backups-db').sources[0];
    expect(backup.attributions).toEqual([
      expect.objectContaining({ configFile: 'workers/backup/wrangler.toml', binding: 'DB', guessed: true, reason: expect.stringMatching(/^guessed: .*migrations_dir/) }),
    ]);
  });

  it('counts a folder reached twice once, and keeps every attribution', async () => {
    const d = await discover(memoryTree(groveTree()));
    const engine = db(d, 'grove-engine-db').sources.find((s) => s.path === 'libs/engine/migrations');
    expect(engine?.attributions.map((a) => [a.configFile, a.binding, a.env, a.guessed])).toEqual([
      ['libs/engine/wrangler.toml', 'DB', undefined, false],
      ['libs/engine/wrangler.toml', 'DB', 'staging', false],
    ]);
    const clearing = db(d, 'grove-engine-db').sources.find((s) => s.path === 'apps/clearing/migrations');
    expect(clearing?.attributions).toEqual([
      { configFile: 'apps/clearing/wrangler.jsonc', binding: 'DB', env: undefined, guessed: false, reason: 'migrations_dir = "migrations" in apps/clearing/wrangler.jsonc (binding DB)' },
    ]);
  });

  it('keeps the migrations_pattern, lists unattributed nested folders, reports not-replayed dialects', async () => {
    const d = await discover(memoryTree(groveTree()));
    expect(db(d, 'forage-jobs').sources[0]).toMatchObject({ pattern: 'migrations/*/migration.sql', patternBase: 'services/forage' });
    expect(d.unattributed).toEqual(['libs/engine/migrations/manual']);
    expect(db(d, 'tools/analytics').notReplayed).toMatch(/postgresql/);
    expect(d.notices.filter((n) => n.messageId === 'not-replayed')).toEqual([
      { messageId: 'not-replayed', database: 'tools/analytics', file: 'tools/analytics/drizzle.config.ts', data: { database: 'tools/analytics', reason: expect.stringMatching(/postgresql/) } },
    ]);
    expect(db(d, 'packages/db').sources[0]).toMatchObject({
      applier: 'drizzle',
      drizzle: { configFile: 'packages/db/drizzle.config.ts', schema: ['packages/db/src/schema/index.ts'], dialect: 'sqlite' },
    });
    expect(d.notices.map((n) => n.messageId).sort()).toEqual(['guessed-folder', 'guessed-folder', 'not-replayed']);
  });
});

describe('discover: wrangler rules in isolation', () => {
  it('merges many configs naming one database into one', async () => {
    const files: Record<string, string> = { 'libs/engine/migrations/0001_a.sql': sql };
    for (const w of ['a', 'b', 'c', 'd']) files[`workers/${w}/wrangler.toml`] = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "engine"\n`;
    files['libs/engine/wrangler.toml'] = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "engine"\n`;
    const d = await discover(memoryTree(files));
    expect(summary(d)).toEqual([['engine', 'd1', ['wrangler:libs/engine/migrations']]]);
    expect(d.notices).toEqual([]);
  });

  it('gives an implicit folder shared by bindings without DB to the first, with one notice', async () => {
    const d = await discover(
      memoryTree({
        'workers/backup/wrangler.toml': ['alpha', 'beta', 'gamma'].map((n) => `[[d1_databases]]\nbinding = "${n.toUpperCase()}"\ndatabase_name = "${n}"\n`).join(''),
        'workers/backup/migrations/0001_runs.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([
      ['alpha', 'd1', ['wrangler:workers/backup/migrations']],
      ['beta', 'd1', []],
      ['gamma', 'd1', []],
    ]);
    expect(d.notices).toEqual([expect.objectContaining({ messageId: 'guessed-folder', database: 'alpha', data: expect.objectContaining({ bindings: 'ALPHA, BETA, GAMMA', count: 3 }) })]);
  });

  it('names the env of each reach of a guessed folder, so --explain-discovery never repeats a line', async () => {
    const bindings = (prefix: string) => ['DB', 'OTHER'].map((b) => `[[${prefix}d1_databases]]\nbinding = "${b}"\ndatabase_name = "${b.toLowerCase()}"\n`).join('');
    const d = await discover(
      memoryTree({ 'workers/backup/wrangler.toml': bindings('') + bindings('env.staging.'), 'workers/backup/migrations/0001_runs.sql': sql }),
    );
    const reasons = d.databases.find((db) => db.name === 'db')!.sources[0].attributions.map((a) => a.reason);
    expect(reasons).toEqual([expect.stringContaining('given to db (binding DB), not to other'), expect.stringContaining('given to db (binding DB, env staging), not to other')]);
  });

  it('reviews a binding\'s env databases (staging, preview) once, as the top-level database, without a guess', async () => {
    const d = await discover(
      memoryTree({
        'wrangler.toml': `[[d1_databases]]
binding = "DB"
database_name = "app"

[[env.staging.d1_databases]]
binding = "DB"
database_name = "app-staging"

[[env.preview.d1_databases]]
binding = "DB"
database_name = "app-preview"
`,
        'migrations/0001_init.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([
      ['app', 'd1', ['wrangler:migrations']],
      ['app-staging', 'd1', []],
      ['app-preview', 'd1', []],
    ]);
    expect(d.notices).toEqual([]);
    expect(d.databases[0].sources[0].attributions).toEqual([
      expect.objectContaining({ binding: 'DB', guessed: false, reason: expect.stringMatching(/env databases \(app-staging, app-preview\) apply the same folder/) }),
    ]);
  });

  it('reviews env-only copies of one binding (no top-level database) once, as the first environment\'s, without a guess', async () => {
    const d = await discover(
      memoryTree({
        'wrangler.toml': `name = "w"\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "app-prod"\n\n[[env.staging.d1_databases]]\nbinding = "DB"\ndatabase_name = "app-staging"\n`,
        'migrations/0001_init.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([
      ['app-prod', 'd1', ['wrangler:migrations']],
      ['app-staging', 'd1', []],
    ]);
    expect(d.notices).toEqual([]);
    expect(d.databases[0].sources[0].attributions).toEqual([
      expect.objectContaining({ binding: 'DB', env: 'production', guessed: false, reason: expect.stringMatching(/env databases \(app-staging\) apply the same folder/) }),
    ]);
  });

  it('reviews env copies of one binding that repeat migrations_dir once, as the top-level database', async () => {
    const binding = (prefix: string, name: string) => `[[${prefix}d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\nmigrations_dir = "db"\n`;
    const d = await discover(
      memoryTree({
        'wrangler.toml': binding('env.staging.', 'app-staging') + binding('', 'app') + binding('env.preview.', 'app-preview'),
        'db/0001_init.sql': sql,
      }),
    );
    expect(summary(d).filter(([, , sources]) => sources.length > 0)).toEqual([['app', 'd1', ['wrangler:db']]]);
    expect(d.notices).toEqual([]);
    expect(d.databases.find((db) => db.name === 'app')!.sources[0].attributions).toEqual([
      expect.objectContaining({ binding: 'DB', env: undefined, reason: 'migrations_dir = "db" in wrangler.toml (binding DB); its env databases (app-staging, app-preview) apply the same folder and are reviewed as app' }),
    ]);
  });

  it('lets an explicit migrations_dir win over other bindings reaching the folder by default', async () => {
    const d = await discover(
      memoryTree({
        'w/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "one"\n[[d1_databases]]\nbinding = "OTHER"\ndatabase_name = "two"\nmigrations_dir = "migrations"\n`,
        'w/migrations/0001_a.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([
      ['one', 'd1', []],
      ['two', 'd1', ['wrangler:w/migrations']],
    ]);
    expect(d.notices).toEqual([]);
  });

  it('says nothing about implicit default folders that do not exist, but reports a stated one that is missing', async () => {
    const d = await discover(
      memoryTree({
        'a/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\n`,
        'b/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "y"\nmigrations_dir = "sql"\n`,
      }),
    );
    expect(summary(d)).toEqual([
      ['x', 'd1', []],
      ['y', 'd1', []],
    ]);
    expect(d.notices).toEqual([{ messageId: 'missing-folder', file: 'b/wrangler.toml', line: 2, database: 'y', data: { folder: 'b/sql', database: 'y' } }]);
  });

  it('keeps reading other configs when one is broken', async () => {
    const d = await discover(
      memoryTree({
        'a/wrangler.toml': `[[d1_databases]\nbinding = "DB"\n`,
        'b/wrangler.jsonc': `{ "d1_databases": [ { "binding": "DB", "database_name": "b-db", }, ], }`,
        'b/migrations/0001_x.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([['b-db', 'd1', ['wrangler:b/migrations']]]);
    expect(d.notices).toEqual([expect.objectContaining({ messageId: 'config-unreadable', file: 'a/wrangler.toml', line: 1 })]);
  });

  it('joins a drizzle out folder that wrangler applies into that database, keeping wrangler as the applier', async () => {
    const d = await discover(
      memoryTree({
        'apps/ivy/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "ivy-db"\nmigrations_dir = "drizzle"\n`,
        'apps/ivy/drizzle.config.ts': `export default defineConfig({ dialect: 'sqlite', driver: 'd1-http', schema: './src/schema.ts' })`,
        'apps/ivy/drizzle/0000_init.sql': sql,
        'apps/ivy/drizzle/meta/_journal.json': '{"entries":[]}',
      }),
    );
    expect(summary(d)).toEqual([['ivy-db', 'd1', ['wrangler:apps/ivy/drizzle']]]);
    const source = d.databases[0].sources[0];
    expect(source.applier).toBe('wrangler');
    expect(source.drizzle).toEqual({ configFile: 'apps/ivy/drizzle.config.ts', schema: ['apps/ivy/src/schema.ts'], dialect: 'sqlite', driver: 'd1-http' });
    expect(source.attributions.map((a) => a.configFile)).toEqual(['apps/ivy/wrangler.toml', 'apps/ivy/drizzle.config.ts']);
  });

  it('names a root drizzle config after its out folder, and leaves an unreadable out unattributed rather than guessed', async () => {
    const d = await discover(
      memoryTree({
        'drizzle.config.ts': `export default defineConfig({ dialect: 'sqlite' })`,
        'drizzle/0000_a.sql': sql,
        'pkg/drizzle.config.ts': `export default defineConfig({ dialect: 'sqlite', out: process.env.OUT })`,
        'pkg/drizzle/0000_b.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([['drizzle', 'sqlite', ['drizzle:drizzle']]]);
    expect(d.unattributed).toEqual(['pkg/drizzle']);
    expect(d.notices).toEqual([expect.objectContaining({ messageId: 'config-unreadable', file: 'pkg/drizzle.config.ts', line: 1 })]);
  });

  it('treats a nested */migration.sql layout named by migrations_pattern as attributed', async () => {
    const d = await discover(
      memoryTree({
        'wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\nmigrations_pattern = "migrations/*/migration.sql"\n`,
        'migrations/0001_init/migration.sql': sql,
        'migrations/0002_users/migration.sql': sql,
        'migrations/0002_users/rollback.sql': sql,
      }),
    );
    expect(summary(d)).toEqual([['app', 'd1', ['wrangler:migrations']]]);
    // rollback.sql matches no pattern and nothing else names it.
    expect(d.unattributed).toEqual(['migrations/0002_users']);
  });

  it('honours the config ignore globs', async () => {
    const config = safariConfig.parse({ ignore: ['legacy/**', 'engine/migrations/manual'] });
    const d = await discover(
      memoryTree({
        'legacy/migrations/1_a.sql': sql,
        'engine/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "engine"\n`,
        'engine/migrations/0001_a.sql': sql,
        'engine/migrations/manual/fix.sql': sql,
      }),
      config,
    );
    expect(summary(d)).toEqual([['engine', 'd1', ['wrangler:engine/migrations']]]);
    expect(d.unattributed).toEqual([]);
  });
});

describe('discover: with databases in .github/safari.yml', () => {
  it('replays a configured folder that keeps a drizzle journal the way drizzle does, even with no drizzle config', async () => {
    const config = safariConfig.parse({ databases: { app: { migrations: ['db'] } } });
    const d = await discover(memoryTree({ 'db/meta/_journal.json': '{"entries":[]}', 'db/0000_init.sql': sql, 'plain/0001_a.sql': sql }), config);
    expect(d.databases[0].sources.map((s) => [s.path, s.applier])).toEqual([['db', 'drizzle']]);
    const plain = await discover(memoryTree({ 'plain/0001_a.sql': sql }), safariConfig.parse({ databases: { app: { migrations: ['plain'] } } }));
    expect(plain.databases[0].sources.map((s) => [s.path, s.applier])).toEqual([['plain', 'wrangler']]);
  });

  it('keeps discovery\'s folders (and its guess notice) for a database configured without folders', async () => {
    const config = safariConfig.parse({ databases: { 'grove-backups-db': { owner: '@org/ops' } } });
    const d = await discover(memoryTree(groveTree()), config);
    const zero = await discover(memoryTree(groveTree()));
    expect(summary(d)[0]).toEqual(['grove-backups-db', 'd1', ['wrangler:workers/backup/migrations']]);
    expect(d.databases[0].owner).toBe('@org/ops');
    const guesses = (x: Discovery) => x.notices.filter((n) => n.messageId === 'guessed-folder').map((n) => n.database).sort();
    expect(guesses(d)).toContain('grove-backups-db');
    expect(guesses(d)).toEqual(guesses(zero));
    // Naming one database to give it an owner leaves every other database discovered exactly as without the config.
    const byName = (x: Discovery) => summary(x).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byName(d)).toEqual(byName(zero));
    expect(d.unattributed).toEqual(zero.unattributed);
  });

  it('says a configured database with no folder anywhere is not replayed', async () => {
    const config = safariConfig.parse({ databases: { phantom: { maxTables: 5 } } });
    const d = await discover(memoryTree({ 'a.txt': '' }), config);
    expect(d.databases).toEqual([{ name: 'phantom', dialect: 'sqlite', sources: [], maxTables: 5, notReplayed: expect.stringMatching(/no migrations folder/) }]);
    expect(d.notices).toEqual([expect.objectContaining({ messageId: 'not-replayed', file: '.github/safari.yml', database: 'phantom' })]);
  });

  it('reports a config file holding a NUL byte as not text', async () => {
    const d = await discover(memoryTree({ 'w/wrangler.toml': '[[d1_databases]]\nbinding = "DB"\0' }));
    expect(d.notices).toEqual([{ messageId: 'config-unreadable', file: 'w/wrangler.toml', data: { file: 'w/wrangler.toml', message: 'it is not a text file' } }]);
  });

  it('reports a config file that is not text', async () => {
    const tree = memoryTree({ 'w/wrangler.toml': 'x' });
    const binary = { ...tree, read: async (paths: string[]) => new Map(paths.map((p) => [p, undefined])) };
    const d = await discover(binary);
    expect(d.notices).toEqual([{ messageId: 'config-unreadable', file: 'w/wrangler.toml', data: { file: 'w/wrangler.toml', message: 'it is not a text file' } }]);
  });

  it('uses the configured databases and folders in the given order, inferring dialects', async () => {
    const yml = `databases:
  grove-engine-db:
    migrations: [libs/engine/migrations, apps/landing/migrations]
    owner: libs/engine
    maxTables: 80
  packages/db:
    migrations:
      - packages/db/drizzle
  groveauth: {}
  scratch:
    migrations: [tools/scratch/sql]
    dialect: sqlite
  ghost:
    migrations:
      - nowhere/migrations
`;
    const parsed = parseConfig(yml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const files = { ...groveTree(), 'tools/scratch/sql/0001_a.sql': sql };
    const d = await discover(memoryTree(files), parsed.config, { locate: parsed.locate });
    expect(summary(d).slice(0, 5)).toEqual([
      ['grove-engine-db', 'd1', ['config:libs/engine/migrations', 'config:apps/landing/migrations']],
      ['packages/db', 'sqlite', ['config:packages/db/drizzle']],
      ['groveauth', 'd1', ['wrangler:services/heartwood/migrations']],
      ['scratch', 'sqlite', ['config:tools/scratch/sql']],
      ['ghost', 'sqlite', ['config:nowhere/migrations']],
    ]);
    // Databases the config doesn't name are still discovered, but never with a folder the config gave to another.
    const configuredFolders = summary(d).slice(0, 5).flatMap((row) => (row[2] as string[]).map((s) => s.split(':')[1]));
    const rest = d.databases.slice(5);
    expect(rest.map((x) => x.name)).not.toContain('grove-engine-db');
    for (const other of rest) for (const source of other.sources) expect(configuredFolders).not.toContain(source.path);
    expect(rest.flatMap((x) => x.sources.map((s) => s.path))).toEqual(expect.arrayContaining(['services/forage/migrations', 'db/zephyr']));
    expect(db(d, 'grove-engine-db')).toMatchObject({ owner: 'libs/engine', maxTables: 80 });
    expect(db(d, 'packages/db').sources[0]).toMatchObject({ applier: 'drizzle', drizzle: { configFile: 'packages/db/drizzle.config.ts' } });
    expect(db(d, 'grove-engine-db').sources[0].attributions).toEqual([
      { configFile: '.github/safari.yml', guessed: false, reason: 'databases.grove-engine-db.migrations[0] in .github/safari.yml' },
    ]);
    const configuredNames = ['grove-engine-db', 'packages/db', 'groveauth', 'scratch', 'ghost'];
    expect(d.notices.filter((n) => n.messageId !== 'config-unreadable' && configuredNames.includes(n.database ?? ''))).toEqual([
      { messageId: 'missing-folder', file: '.github/safari.yml', line: 15, database: 'ghost', data: { folder: 'nowhere/migrations', database: 'ghost' } },
    ]);
    // A folder discovery found for a database whose folders the config pins is not dropped silently.
    // (clearing is discovered for grove-engine-db, whose folders the config pins to engine + landing)
    expect(d.unattributed).toEqual(['apps/clearing/migrations', 'libs/engine/migrations/manual']);
  });
});
