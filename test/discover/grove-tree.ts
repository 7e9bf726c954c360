// A small monorepo shaped like the seed one: apps, services, workers and libs with toml/json/jsonc wrangler configs
// that merge into a handful of D1 databases, a backup worker binding every database, a nested hand-applied folder,
// a drizzle package (journal layout), a postgres drizzle tool, a bare `migrations` folder and skipped build output.

const table = (name: string): string => `CREATE TABLE ${name} (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL);\n`;

function numbered(folder: string, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`${folder}/${n}.sql`, table(n.replace(/^\d+_/, ''))]));
}

export const ENGINE_MIGRATIONS = [
  '001_tenants',
  '002_posts',
  '003_pages',
  '009_media',
  '010_comments',
  '031_gallery_curio',
  '031_petal_upload_gate',
  '032_git_dashboard',
  '032_sentinel',
  '056_pulse_curio',
  '056_storage_exports_updated_at',
];

export function groveTree(): Record<string, string> {
  return {
    'package.json': '{ "name": "lattice", "private": true }',
    // grove-engine-db: engine (implicit default), landing (implicit, shared with OBS_DB → a guess), clearing (explicit).
    'libs/engine/wrangler.toml': `name = "grove-engine"
main = "src/worker.ts"

[[d1_databases]]
binding = "DB"
database_name = "grove-engine-db"
database_id = "11111111"

[[d1_databases]]
binding = "CURIO_DB"
database_name = "grove-curios-db"
database_id = "22222222"
migrations_dir = "curio-migrations"

[env.staging]
[[env.staging.d1_databases]]
binding = "DB"
database_name = "grove-engine-db"
database_id = "11111112"
`,
    ...numbered('libs/engine/migrations', ENGINE_MIGRATIONS),
    'libs/engine/migrations/NEXT_MIGRATION_NUMBER.txt': '057\n',
    'libs/engine/migrations/manual/fix_orphans.sql': 'DELETE FROM posts WHERE tenant_id IS NULL;\n',
    'libs/engine/migrations/manual/backfill.sql': 'UPDATE posts SET created_at = 0 WHERE created_at IS NULL;\n',
    ...numbered('libs/engine/curio-migrations', ['0001_hit_counters', '0002_shrines']),
    'libs/engine/src/worker.ts': 'export default {};\n',
    'apps/landing/wrangler.toml': `name = "landing"

[[d1_databases]]
binding = "OBS_DB"
database_name = "grove-observability-db"
database_id = "33333333"

[[d1_databases]]
binding = "DB"
database_name = "grove-engine-db"
database_id = "11111111"
`,
    ...numbered('apps/landing/migrations', ['0001_email_signups', '0002_porch_visits']),
    'apps/clearing/wrangler.jsonc': `{
  // status page
  "name": "clearing",
  "d1_databases": [
    { "binding": "DB", "database_name": "grove-engine-db", "database_id": "11111111", "migrations_dir": "migrations", },
    /* backups are written by workers/backup */
    { "binding": "BACKUPS_DB", "database_name": "grove-backups-db", "database_id": "44444444" },
  ],
}`,
    ...numbered('apps/clearing/migrations', ['0001_status_incidents']),
    // groveauth: json config, mixed number widths.
    'services/heartwood/wrangler.json': JSON.stringify(
      { name: 'heartwood', d1_databases: [{ binding: 'DB', database_name: 'groveauth', database_id: '55555555' }] },
      null,
      2,
    ),
    ...numbered('services/heartwood/migrations', ['001_users', '0002_sessions', '003_magic_codes', '10_passkeys', '9_devices']),
    // forage-jobs: nested layout through migrations_pattern.
    'services/forage/wrangler.toml': `name = "forage"
[[d1_databases]]
binding = "DB"
database_name = "forage-jobs"
database_id = "66666666"
migrations_pattern = "migrations/*/migration.sql"
`,
    'services/forage/migrations/0002_results/migration.sql': table('domain_results'),
    'services/forage/migrations/0001_jobs/migration.sql': table('search_jobs'),
    'services/forage/migrations/0001_jobs/notes.md': 'not a migration',
    // zephyr-logs: explicit folder elsewhere in the repo.
    'services/zephyr/wrangler.toml': `name = "zephyr"\n[[d1_databases]]\nbinding = "LOGS"\ndatabase_name = "zephyr-logs"\nmigrations_dir = "../../db/zephyr"\n`,
    ...numbered('db/zephyr', ['0001_deliveries', '0002_broadcasts']),
    // grove-warden: schema only, no migrations folder.
    'workers/warden/wrangler.toml': `name = "warden"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "grove-warden"\n`,
    'workers/warden/schema.sql': table('agents'),
    // A read-only worker: its implicit default folder doesn't exist.
    'workers/vista-collector/wrangler.toml': `name = "vista"\n[[d1_databases]]\nbinding = "OBS_DB"\ndatabase_name = "grove-observability-db"\n`,
    // The backup worker binds every database; its one folder belongs to DB (grove-backups-db).
    'workers/backup/wrangler.toml': `name = "backup"
${['grove-engine-db', 'groveauth', 'forage-jobs', 'zephyr-logs', 'grove-warden', 'grove-curios-db', 'grove-observability-db']
  .map((db, i) => `[[d1_databases]]\nbinding = "DB_${i}"\ndatabase_name = "${db}"\n`)
  .join('\n')}
[[d1_databases]]
binding = "DB"
database_name = "grove-backups-db"
`,
    ...numbered('workers/backup/migrations', ['0001_backup_runs']),
    // A drizzle package (legacy journal layout), a postgres tool, and a bare migrations folder.
    'packages/db/drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';
export default defineConfig({
  schema: './src/schema/index.ts',
  out: './drizzle',
  dialect: 'sqlite',
});
`,
    'packages/db/drizzle/0000_init.sql': table('pulse_runs'),
    'packages/db/drizzle/0001_relay.sql': `ALTER TABLE pulse_runs ADD COLUMN relay TEXT;--> statement-breakpoint\nCREATE INDEX pulse_runs_relay ON pulse_runs (relay);\n`,
    'packages/db/drizzle/meta/_journal.json': JSON.stringify({
      version: '7',
      dialect: 'sqlite',
      entries: [
        { idx: 0, version: '6', when: 1735689600000, tag: '0000_init', breakpoints: true },
        { idx: 1, version: '6', when: 1735776000000, tag: '0001_relay', breakpoints: true },
      ],
    }),
    'packages/db/drizzle/meta/0000_snapshot.json': '{}',
    'tools/analytics/drizzle.config.ts': `export default { dialect: 'postgresql', out: './pg', schema: './schema.ts' };\n`,
    'tools/analytics/pg/0000_events.sql': 'CREATE TABLE events (id serial PRIMARY KEY);\n',
    ...numbered('legacy/migrations', ['1_old_users', '2_old_sessions']),
    // Never searched.
    'node_modules/some-lib/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "from-node-modules"\n`,
    'node_modules/some-lib/migrations/0001_x.sql': table('x'),
    'apps/landing/.svelte-kit/output/wrangler.json': JSON.stringify({ d1_databases: [{ binding: 'DB', database_name: 'build-output' }] }),
    'dist/migrations/0001_copy.sql': table('copy'),
    // Application SQL that isn't a migration.
    'libs/engine/src/queries/top_posts.sql': 'SELECT * FROM posts;\n',
  };
}
