import { describe, expect, it } from 'vitest';
import { readWranglerConfig, staticPrefix } from '../../src/discover/wrangler.js';

describe('readWranglerConfig', () => {
  it('reads [[d1_databases]] and [[env.<name>.d1_databases]] from TOML', () => {
    const toml = `
name = "engine"
main = "src/index.ts"

[[d1_databases]]
binding = "DB"
database_name = "grove-engine-db"
database_id = "a1b2"

[[d1_databases]]
binding = "CURIO_DB"
database_name = "grove-curios-db"
database_id = "c3d4"
migrations_dir = "curio-migrations"

[env.staging]
name = "engine-staging"

[[env.staging.d1_databases]]
binding = "DB"
database_name = "grove-engine-db-staging"
database_id = "e5f6"
migrations_dir = "./migrations/"
`;
    const { entries, notices } = readWranglerConfig('libs/engine/wrangler.toml', toml);
    expect(notices).toEqual([]);
    // The binding lines, the repeated `DB` taking its occurrences in turn.
    expect(entries.map((e) => e.line)).toEqual([6, 11, 20]);
    // The worker of each entry (for the map's binding diagram): an environment may rename it.
    expect(entries.map((e) => e.worker)).toEqual(['engine', 'engine', 'engine-staging']);
    expect(entries).toEqual([
      expect.objectContaining({ binding: 'DB', databaseName: 'grove-engine-db', migrationsDir: 'libs/engine/migrations', explicit: false, env: undefined }),
      expect.objectContaining({ binding: 'CURIO_DB', databaseName: 'grove-curios-db', migrationsDir: 'libs/engine/curio-migrations', explicit: true }),
      expect.objectContaining({ binding: 'DB', databaseName: 'grove-engine-db-staging', migrationsDir: 'libs/engine/migrations', explicit: true, env: 'staging' }),
    ]);
  });

  it('reads wrangler.json', () => {
    const json = JSON.stringify({ name: 'ivy', d1_databases: [{ binding: 'DB', database_name: 'ivy-db', database_id: 'x', migrations_dir: '../../db/ivy' }] });
    const { entries } = readWranglerConfig('apps/ivy/wrangler.json', json);
    expect(entries).toEqual([expect.objectContaining({ binding: 'DB', databaseName: 'ivy-db', migrationsDir: 'db/ivy', explicit: true })]);
  });

  it('reads wrangler.jsonc with comments and trailing commas', () => {
    const jsonc = `{
  // the clearing app
  "name": "clearing",
  /* D1 bindings */
  "d1_databases": [
    {
      "binding": "DB", // engine
      "database_name": "grove-engine-db",
      "migrations_dir": "migrations",
    },
  ],
  "env": {
    "production": {
      "d1_databases": [{ "binding": "BACKUPS_DB", "database_name": "grove-backups-db", },],
    },
  },
}`;
    const { entries, notices } = readWranglerConfig('apps/clearing/wrangler.jsonc', jsonc);
    expect(notices).toEqual([]);
    expect(entries.map((e) => [e.binding, e.databaseName, e.env, e.migrationsDir, e.explicit])).toEqual([
      ['DB', 'grove-engine-db', undefined, 'apps/clearing/migrations', true],
      ['BACKUPS_DB', 'grove-backups-db', 'production', 'apps/clearing/migrations', false],
    ]);
  });

  it('takes the folder of a migrations_pattern from its static prefix', () => {
    const toml = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "forage-jobs"\nmigrations_pattern = "db/migrations/*/migration.sql"\n`;
    const { entries } = readWranglerConfig('services/forage/wrangler.toml', toml);
    expect(entries[0]).toMatchObject({ migrationsDir: 'services/forage/db/migrations', pattern: 'db/migrations/*/migration.sql', explicit: true });
    expect(staticPrefix('migrations/*/migration.sql')).toBe('migrations');
    expect(staticPrefix('**/*.sql')).toBe('');
  });

  it('falls back to database_id, then the binding, when database_name is absent', () => {
    const { entries } = readWranglerConfig('w/wrangler.toml', `[[d1_databases]]\nbinding = "A"\ndatabase_id = "id-1"\n[[d1_databases]]\nbinding = "B"\n`);
    expect(entries.map((e) => e.databaseName)).toEqual(['id-1', 'B']);
  });

  it('reports a TOML syntax error with its line instead of throwing', () => {
    const toml = `name = "x"\n\n[[d1_databases]\nbinding = "DB"\n`;
    const { entries, notices } = readWranglerConfig('apps/x/wrangler.toml', toml);
    expect(entries).toEqual([]);
    expect(notices).toEqual([
      expect.objectContaining({ messageId: 'config-unreadable', file: 'apps/x/wrangler.toml', line: 3, data: expect.objectContaining({ file: 'apps/x/wrangler.toml' }) }),
    ]);
    expect(String(notices[0].data.message)).toMatch(/^TOML syntax error: /);
  });

  it('reports a JSON syntax error with its line', () => {
    const { notices } = readWranglerConfig('apps/x/wrangler.jsonc', '{\n  "d1_databases": [\n    { "binding": "DB" "database_name": "x" }\n  ]\n}');
    expect(notices).toEqual([expect.objectContaining({ messageId: 'config-unreadable', line: 3 })]);
  });

  it('reports wrong shapes without dropping the rest of the config', () => {
    const { entries, notices } = readWranglerConfig(
      'w/wrangler.json',
      JSON.stringify({ d1_databases: [42, { binding: 'DB', database_name: 'ok', migrations_dir: 7 }], env: { dev: { d1_databases: 'nope' } } }),
    );
    expect(entries).toEqual([expect.objectContaining({ binding: 'DB', databaseName: 'ok', migrationsDir: 'w/migrations', explicit: false })]);
    expect(notices.map((n) => n.data.message)).toEqual([
      '`d1_databases[0]` is not a table/object',
      '`d1_databases[1].migrations_dir` is not a non-empty string',
      '`env.dev.d1_databases` is not a list',
    ]);
  });

  it('refuses a migrations_dir that leaves the repository', () => {
    const { entries, notices } = readWranglerConfig('w/wrangler.toml', `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\nmigrations_dir = "../../../etc"\n`);
    expect(entries[0].migrationsDir).toBeUndefined();
    expect(notices[0].data.message).toMatch(/leaves the repository/);
  });

  it('reports a JSON config nested too deep to parse instead of crashing', () => {
    const { entries, notices } = readWranglerConfig('w/wrangler.jsonc', `{"x": ${'['.repeat(400_000)}${']'.repeat(400_000)}}`);
    expect(entries).toEqual([]);
    expect(notices).toEqual([expect.objectContaining({ file: 'w/wrangler.jsonc', data: expect.objectContaining({ message: expect.stringMatching(/^JSON could not be parsed: /) }) })]);
  });

  it('names migrations_pattern, as written, when the pattern is what leaves the repository', () => {
    const { entries, notices } = readWranglerConfig('w/wrangler.json', `{"d1_databases":[{"binding":"DB","database_name":"x","migrations_pattern":"../../**/*.sql"}]}`);
    expect(entries[0].migrationsDir).toBeUndefined();
    expect(notices[0].data.message).toBe('`d1_databases[0].migrations_pattern` "../../**/*.sql" leaves the repository; it is ignored');
  });

  // Hostile configs (issue 9). The old reader counted lines from offset 0 per entry and scanned the whole text with one
  // regular expression per binding: 30,000 entries took minutes, and these tests' timeouts fail it.
  it('locates 15,000 bindings in one pass', { timeout: 10_000 }, () => {
    const n = 15_000;
    const toml = Array.from({ length: n }, (_, i) => `[[d1_databases]]\nbinding = "DB${i}"\ndatabase_name = "db${i}"\n`).join('');
    const { entries, notices } = readWranglerConfig('wrangler.toml', toml);
    expect(notices).toEqual([]);
    expect(entries).toHaveLength(n);
    expect(entries[n - 1]).toMatchObject({ binding: `DB${n - 1}`, line: 3 * (n - 1) + 2 });
  });

  it('reads a 60 KB binding name without building a pattern from it', () => {
    const name = 'B'.repeat(60_000);
    const { entries, notices } = readWranglerConfig('wrangler.toml', `[[d1_databases]]\nbinding = "${name}"\ndatabase_name = "x"\n`);
    expect(notices).toEqual([]);
    expect(entries).toEqual([expect.objectContaining({ binding: name, databaseName: 'x', line: 2 })]);
  });

  it('reports a config over 1 MB by name and size instead of parsing it', () => {
    const toml = `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\n#${'x'.repeat(1024 * 1024)}\n`;
    const { entries, notices } = readWranglerConfig('w/wrangler.toml', toml);
    expect(entries).toEqual([]);
    expect(notices).toEqual([
      expect.objectContaining({ messageId: 'config-unreadable', file: 'w/wrangler.toml', data: { file: 'w/wrangler.toml', message: 'it is 1 MB, larger than the 1 MB Safari reads for this kind of file; it was not read' } }),
    ]);
  });
});
