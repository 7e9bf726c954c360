// drizzle-kit resolves `out` and `schema` against process.cwd() (its bin reads them with plain fs calls), i.e. the
// folder of the package.json script that runs it, not the config's folder. Fixture modelled on a real repository
// (NAinfini/Guild_Management): `config/drizzle/drizzle.config.ts` with `out: './infra/database/drizzle'`, run by the
// root package.json's `drizzle-kit generate --config config/drizzle/drizzle.config.ts`.
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { drizzleKitRuns } from '../../src/discover/package-scripts.js';
import { memoryTree } from '../helpers/memory-tree.js';

const journal = (tags: string[]) =>
  JSON.stringify({ version: '7', dialect: 'sqlite', entries: tags.map((tag, idx) => ({ idx, version: '6', when: 1_700_000_000_000 + idx, tag, breakpoints: true })) });
const config = (out: string, schema: string) =>
  `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n  schema: '${schema}',\n  out: '${out}',\n  dialect: 'sqlite',\n});\n`;
const folder = (path: string) => ({
  [`${path}/0000_free_baron.sql`]: 'CREATE TABLE users (id integer PRIMARY KEY);\n',
  [`${path}/meta/_journal.json`]: journal(['0000_free_baron']),
});

describe('drizzle-kit run folders', () => {
  it('reads each drizzle-kit command with the folder it runs in, and no --config as the default config', () => {
    const pkg = JSON.stringify({ scripts: { gen: 'drizzle-kit generate --config config/drizzle/drizzle.config.ts', push: 'drizzle-kit push', build: 'vite build' } });
    expect(drizzleKitRuns('apps/api/package.json', pkg)).toEqual([
      { cwd: 'apps/api', config: 'apps/api/config/drizzle/drizzle.config.ts' },
      { cwd: 'apps/api', config: undefined },
    ]);
  });

  it('resolves out and schema against the folder of the script that runs drizzle-kit with the config', async () => {
    const d = await discover(
      memoryTree({
        'package.json': JSON.stringify({ scripts: { 'db:generate': 'drizzle-kit generate --config config/drizzle/drizzle.config.ts' } }),
        'config/drizzle/drizzle.config.ts': config('./infra/database/drizzle', './apps/worker/src/db/schema.ts'),
        ...folder('infra/database/drizzle'),
        'apps/worker/src/db/schema.ts': 'export {}\n',
      }),
    );
    const sources = d.databases.flatMap((db) => db.sources);
    expect(sources).toEqual([
      expect.objectContaining({
        path: 'infra/database/drizzle',
        drizzle: expect.objectContaining({ configFile: 'config/drizzle/drizzle.config.ts', schema: ['apps/worker/src/db/schema.ts'] }),
      }),
    ]);
    expect(d.notices.filter((n) => n.messageId === 'ambiguous-out')).toEqual([]);
  });

  it('a config no script names runs in its own folder (drizzle-kit\'s default config is ./drizzle.config.ts)', async () => {
    const d = await discover(
      memoryTree({
        'packages/db/drizzle.config.ts': config('./migrations', './src/schema.ts'),
        ...folder('packages/db/migrations'),
        'packages/db/src/schema.ts': 'export {}\n',
      }),
    );
    expect(d.databases.flatMap((db) => db.sources)).toEqual([
      expect.objectContaining({ path: 'packages/db/migrations', drizzle: expect.objectContaining({ schema: ['packages/db/src/schema.ts'] }) }),
    ]);
  });

  it('when the script folder and the config folder disagree, the one whose out exists wins, with a notice', async () => {
    const d = await discover(
      memoryTree({
        'package.json': JSON.stringify({ scripts: { 'db:generate': 'drizzle-kit generate --config db/drizzle.config.ts' } }),
        'db/drizzle.config.ts': config('./migrations', './schema.ts'),
        ...folder('db/migrations'),
        'db/schema.ts': 'export {}\n',
      }),
    );
    expect(d.databases.flatMap((db) => db.sources)).toEqual([
      expect.objectContaining({ path: 'db/migrations', drizzle: expect.objectContaining({ configFile: 'db/drizzle.config.ts', schema: ['db/schema.ts'] }) }),
    ]);
    expect(d.notices).toContainEqual(
      expect.objectContaining({ messageId: 'ambiguous-out', file: 'db/drizzle.config.ts', data: expect.objectContaining({ first: 'migrations', chosen: 'db/migrations' }) }),
    );
  });
});
