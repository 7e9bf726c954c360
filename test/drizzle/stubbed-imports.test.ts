// Issue 7 item 14: a schema.ts that imports an id generator or a validation library is still evaluated: those
// packages become inert stubs (they only feed runtime defaults), so staleness is checked there too. An evaluation
// failure is reported only when the tables themselves can't be built.
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-schema-stale.js';
import { drizzleInput, loadFixture } from './drizzle-input.js';
import { expectFires, expectPasses } from '../helpers/lint.js';

const SCHEMA = 'src/db/schema.ts';

/** The imports a real schema.ts carries beside drizzle-orm (modelled on D1 / Turso starter kits and SaaS schemas). */
const IMPORTS = `import { createId } from '@paralleldrive/cuid2';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import * as uuid from 'uuid';
import ulid from 'ulid';
`;
const USES = `
export const ROLES = z.enum(['admin', 'member']);
export const insertUserSchema = createInsertSchema(users, { email: (s) => s.email() });
export const selectUserSchema = createSelectSchema(users);
export const newId = () => createId() + nanoid(8) + uuid.v4() + ulid();
export const roleList = [...ROLES.options].map((r) => r.toUpperCase());
export const maxLen = z.string().max(10).maxLength ?? 10;
`;

describe('schema.ts importing other packages', () => {
  it('is evaluated with stubs: a stale schema is still reported', async () => {
    const f = loadFixture('stale-schema');
    const head = { ...f.head, [SCHEMA]: IMPORTS + f.head[SCHEMA] + USES };
    const [r] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(r).toMatchObject({ messageId: 'stale', file: SCHEMA });
    expect(r.details).toContain('  ALTER TABLE `users` ADD `display_name` text;');
  });

  it('is evaluated with stubs: a schema in step with its migrations passes, runtime defaults and all', async () => {
    const f = loadFixture('clean');
    const schema = f.head[SCHEMA].replace("id: text('id').primaryKey(),", "id: text('id').primaryKey().$defaultFn(() => createId()),");
    expect(schema).not.toBe(f.head[SCHEMA]);
    const i = await drizzleInput(f.base, { ...f.head, [SCHEMA]: IMPORTS + schema + USES });
    expect(i.drizzle.folders[0].evaluation).toMatchObject({ status: 'fresh' });
    await expectPasses(rule, i);
  });

  it('reports an evaluation failure when a table is built from a stubbed package (its columns are unknown)', async () => {
    const f = loadFixture('clean');
    const schema = `import { timestamps as pkgTimestamps } from '@acme/db-kit';\n${f.head[SCHEMA].replace('...timestamps,', "...timestamps,\n    ...pkgTimestamps,")}`;
    const i = await drizzleInput(f.base, { ...f.head, [SCHEMA]: schema });
    const [r] = await expectFires(rule, i);
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'warning' });
    expect(r.data?.message).toMatch(/a value from "@acme\/db-kit" as an object whose keys are spread .* the tables can't be built/);
  });

  it('reports an evaluation failure when a column itself comes from a stubbed package', async () => {
    const f = loadFixture('clean');
    const schema = `import { cuidColumn } from '@acme/db-kit';\n${f.head[SCHEMA].replace("title: text('title').notNull(),", "title: text('title').notNull(),\n    ref: cuidColumn('ref'),")}`;
    const [r] = await expectFires(rule, await drizzleInput(f.base, { ...f.head, [SCHEMA]: schema }));
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'warning' });
    expect(r.data?.message).toMatch(/"@acme\/db-kit"/);
  });

  it('still refuses Node built-ins the sandbox does not provide, at the importing line', async () => {
    const f = loadFixture('stale-schema');
    const head = { ...f.head, [SCHEMA]: `import { readFileSync } from 'node:fs';\n${f.head[SCHEMA]}\nexport const x = readFileSync;\n` };
    const [r] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'warning', file: SCHEMA, line: 1 });
    expect(r.data?.message).toMatch(/node:fs/);
  });
});

describe('path aliases are not packages', () => {
  it('a schema that re-exports tables through a baseUrl alias fails evaluation instead of losing the tables to a stub', async () => {
    const f = loadFixture('clean');
    const head = {
      ...f.head,
      [SCHEMA]: "export * from 'src/db/tables';\n",
      'src/db/tables.ts': f.head[SCHEMA].replace("from './columns'", "from './columns'"),
    };
    const [r] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(r).toMatchObject({ messageId: 'evaluation-failed', severity: 'warning', file: SCHEMA, line: 1 });
    expect(r.data?.message).toMatch(/"src\/db\/tables", a path alias Safari does not resolve/);
  });

  it('a package named like one of the repository\'s files (nanoid beside lib/nanoid.ts) is still a stub', async () => {
    const f = loadFixture('stale-schema');
    const head = { ...f.head, 'src/lib/nanoid.ts': 'export const x = 1;\n', [SCHEMA]: `import { nanoid } from 'nanoid';\n${f.head[SCHEMA]}\nexport const id = () => nanoid();\n` };
    const [r] = await expectFires(rule, await drizzleInput(f.base, head));
    expect(r).toMatchObject({ messageId: 'stale' });
  });
});
