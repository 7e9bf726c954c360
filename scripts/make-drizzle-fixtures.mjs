#!/usr/bin/env node
// Builds fixtures/drizzle/<case>/{base,head}/ with REAL drizzle-kit: each case is a tiny project generated step by step
// in a temp folder (`drizzle-kit generate` run through Safari's own node_modules), snapshotted as `base` (main) and
// `head` (main + the PR). Run: node scripts/make-drizzle-fixtures.mjs
// The v1-layout case is hand-built from legacy output (drizzle-kit 1.x isn't installed): see fixtures/drizzle/README.md.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outRoot = join(root, 'fixtures/drizzle');
const drizzleKit = join(root, 'node_modules/drizzle-kit/bin.cjs');

const config = `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
`;

const header = `import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns';
`;
const users = `
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  plan: text('plan').notNull().default('free'),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),
});
`;
const usersWithName = users.replace(
  "  plan: text('plan')",
  "  displayName: text('display_name'),\n  plan: text('plan')",
);
const posts = `
export const posts = sqliteTable(
  'posts',
  {
    id: text('id').primaryKey(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    score: integer('score').default(0),
    ...timestamps,
  },
  (t) => [index('posts_author_idx').on(t.authorId)],
);
`;
const comments = `
export const comments = sqliteTable('comments', {
  id: integer('id').primaryKey(),
  postId: text('post_id').notNull().references(() => posts.id),
  body: text('body').notNull(),
});
`;
const tags = `
export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey(),
  label: text('label').notNull(),
});
`;
// The schema entry re-exports a relative module, so bundling must follow relative imports.
const columnsHelper = `import { integer } from 'drizzle-orm/sqlite-core';

export const timestamps = {
  updatedAt: integer('updated_at', { mode: 'timestamp' }),
};
`;

// Many column and index features at once, to prove the comparisons raise no false alarm on real drizzle-kit output.
const rich = `
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null', onUpdate: 'cascade' }),
    handle: text('handle').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    balance: real('balance').notNull().default(-1.5),
    settings: text('settings', { mode: 'json' }).default(sql\`'{}'\`),
    avatar: blob('avatar'),
    amount: numeric('amount'),
    seenAt: text('seen_at').default(sql\`CURRENT_TIMESTAMP\`),
    handleLower: text('handle_lower').generatedAlwaysAs(sql\`lower(handle)\`, { mode: 'virtual' }),
  },
  (t) => [
    uniqueIndex('accounts_handle_lower_idx').on(sql\`lower(\${t.handle})\`),
    index('accounts_active_idx').on(t.ownerId, t.active).where(sql\`\${t.active} = 1\`),
    check('accounts_balance_check', sql\`\${t.balance} > -100\`),
  ],
);

export const memberships = sqliteTable(
  'memberships',
  {
    userId: integer('user_id').notNull().references(() => users.id),
    accountId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'member'] }).notNull().default('member'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] }), unique('memberships_role_unique').on(t.accountId, t.role)],
);
`;
const richHeader = header.replace(
  "import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';",
  "import { blob, check, index, integer, numeric, primaryKey, real, sqliteTable, text, unique, uniqueIndex } from 'drizzle-orm/sqlite-core';",
);

class Project {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'safari-drizzle-fixture-'));
    symlinkSync(join(root, 'node_modules'), join(this.dir, 'node_modules'));
    this.write('drizzle.config.ts', config);
    this.write('src/db/columns.ts', columnsHelper);
  }
  write(path, text) {
    mkdirSync(join(this.dir, path, '..'), { recursive: true });
    writeFileSync(join(this.dir, path), text);
  }
  read(path) {
    return readFileSync(join(this.dir, path), 'utf8');
  }
  schema(...parts) {
    this.write('src/db/schema.ts', header + parts.join(''));
  }
  generate(name) {
    execFileSync(process.execPath, [drizzleKit, 'generate', '--config', 'drizzle.config.ts', '--name', name], {
      cwd: this.dir,
      stdio: 'pipe',
    });
  }
  files() {
    const out = [];
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.name === 'node_modules') continue;
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(relative(this.dir, p));
      }
    };
    walk(this.dir);
    return out.sort();
  }
  /** Copies the project (without node_modules) to fixtures/drizzle/<name>/<side>. */
  save(name, side) {
    const dest = join(outRoot, name, side);
    rmSync(dest, { recursive: true, force: true });
    for (const f of this.files()) {
      mkdirSync(join(dest, f, '..'), { recursive: true });
      cpSync(join(this.dir, f), join(dest, f));
    }
  }
  clone() {
    const copy = new Project();
    for (const f of this.files()) copy.write(f, this.read(f));
    return copy;
  }
  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** main: users, generated as 0000_init. */
function mainProject() {
  const p = new Project();
  p.schema(users);
  p.generate('init');
  return p;
}

const cases = {
  // The PR adds `posts` and generates its migration: nothing to report.
  clean() {
    const p = mainProject();
    p.save('clean', 'base');
    p.schema(users, posts);
    p.generate('posts');
    p.save('clean', 'head');
    p.dispose();
  },
  // The PR adds a column to schema.ts and never runs drizzle-kit generate.
  'stale-schema'() {
    const p = mainProject();
    p.save('stale-schema', 'base');
    p.schema(usersWithName);
    p.save('stale-schema', 'head');
    p.dispose();
  },
  // The PR generates `posts`, then hand-edits the SQL (a column type and an extra column) without touching the snapshot.
  'hand-edited-sql'() {
    const p = mainProject();
    p.save('hand-edited-sql', 'base');
    p.schema(users, posts);
    p.generate('posts');
    const sqlFile = p.files().find((f) => /^drizzle\/0001_.*\.sql$/.test(f));
    const edited = p
      .read(sqlFile)
      .replace('`score` integer DEFAULT 0', '`score` real DEFAULT 0')
      .replace('`title` text NOT NULL,', '`title` text NOT NULL,\n\t`slug` text,');
    if (edited === p.read(sqlFile)) throw new Error('hand-edit did not apply');
    p.write(sqlFile, edited);
    p.save('hand-edited-sql', 'head');
    p.dispose();
  },
  // main and the PR both generated from 0000 (main: posts + comments as 0001; the PR: tags). After rebasing, the PR
  // author renumbered their files to 0002 and fixed the journal by hand, but 0002's snapshot still names 0000 as parent.
  'snapshot-collision'() {
    const main = mainProject();
    const pr = main.clone();
    main.schema(users, posts, comments);
    main.generate('comments');
    main.save('snapshot-collision', 'base');
    pr.schema(users, tags);
    pr.generate('tags');
    const prSql = pr.files().find((f) => /^drizzle\/0001_.*\.sql$/.test(f));
    const prSnapshot = pr.read('drizzle/meta/0001_snapshot.json');
    const prEntry = JSON.parse(pr.read('drizzle/meta/_journal.json')).entries[1];
    const head = main.clone();
    head.schema(users, posts, comments, tags);
    head.write(prSql.replace('0001_', '0002_'), pr.read(prSql));
    head.write('drizzle/meta/0002_snapshot.json', prSnapshot);
    const journal = JSON.parse(head.read('drizzle/meta/_journal.json'));
    journal.entries.push({ ...prEntry, idx: 2, tag: prEntry.tag.replace('0001_', '0002_'), when: journal.entries[1].when + 60_000 });
    head.write('drizzle/meta/_journal.json', JSON.stringify(journal, null, 2));
    head.save('snapshot-collision', 'head');
    for (const p of [main, pr, head]) p.dispose();
  },
  // The PR generates `posts`, but its journal entry is lost (a bad merge of _journal.json): the migrator never runs it.
  'journal-missing-entry'() {
    const p = mainProject();
    p.save('journal-missing-entry', 'base');
    p.schema(users, posts);
    p.generate('posts');
    const journal = JSON.parse(p.read('drizzle/meta/_journal.json'));
    journal.entries = journal.entries.slice(0, 1);
    p.write('drizzle/meta/_journal.json', JSON.stringify(journal, null, 2));
    p.save('journal-missing-entry', 'head');
    p.dispose();
  },
  // The PR adds two feature-rich tables (composite pk, unique constraint, expression and partial indexes, check,
  // generated column, json/boolean/blob/numeric columns, SQL defaults) and generates them: nothing to report.
  'rich-schema'() {
    const p = mainProject();
    p.save('rich-schema', 'base');
    p.write('src/db/schema.ts', richHeader + users + rich);
    p.generate('accounts');
    p.save('rich-schema', 'head');
    p.dispose();
  },
  // `casing: 'snake_case'` in the config and columns declared without names: the PR adds one and generates it.
  casing() {
    const p = new Project();
    p.write('drizzle.config.ts', config.replace("out: './drizzle',", "out: './drizzle',\n  casing: 'snake_case',"));
    const schema = (extra) => `import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const userAccounts = sqliteTable('user_accounts', {
  id: integer().primaryKey(),
  emailAddress: text().notNull(),${extra}
});
`;
    p.write('src/db/schema.ts', schema(''));
    p.generate('init');
    p.save('casing', 'base');
    p.write('src/db/schema.ts', schema('\n  displayName: text(),'));
    p.generate('display_name');
    p.save('casing', 'head');
    p.dispose();
  },
  // `migrations: { prefix: 'timestamp' }`: tags and snapshot files are named by time, not by index.
  'timestamp-prefix'() {
    const p = new Project();
    p.write('drizzle.config.ts', config.replace("out: './drizzle',", "out: './drizzle',\n  migrations: { prefix: 'timestamp' },"));
    p.schema(users);
    p.generate('init');
    p.save('timestamp-prefix', 'base');
    execFileSync('sleep', ['1.1']); // distinct second-resolution prefixes
    p.schema(users, posts);
    p.generate('posts');
    p.save('timestamp-prefix', 'head');
    p.dispose();
  },
  // drizzle-kit 1.x layout, hand-built from the legacy output of the `clean` case (see README.md).
  'v1-layout'() {
    const p = mainProject();
    p.schema(users, posts);
    p.generate('posts');
    const journal = JSON.parse(p.read('drizzle/meta/_journal.json'));
    const folders = journal.entries.map((e) => {
      const prefix = e.tag.split('_')[0];
      const snapshot = JSON.parse(p.read(`drizzle/meta/${prefix}_snapshot.json`));
      return { folder: `${timestamp(e.when)}_${e.tag.slice(prefix.length + 1)}`, sql: p.read(`drizzle/${e.tag}.sql`), snapshot };
    });
    const write = (side, count) => {
      const dest = join(outRoot, 'v1-layout', side);
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(join(dest, 'src/db'), { recursive: true });
      writeFileSync(join(dest, 'drizzle.config.ts'), config);
      writeFileSync(join(dest, 'src/db/columns.ts'), columnsHelper);
      writeFileSync(join(dest, 'src/db/schema.ts'), header + (count === 1 ? users : users + posts));
      for (const f of folders.slice(0, count)) {
        mkdirSync(join(dest, 'drizzle', f.folder), { recursive: true });
        writeFileSync(join(dest, 'drizzle', f.folder, 'migration.sql'), f.sql);
        writeFileSync(join(dest, 'drizzle', f.folder, 'snapshot.json'), JSON.stringify(toV1(f.snapshot), null, 2));
      }
    };
    write('base', 1);
    write('head', 2);
    p.dispose();
  },
};

function timestamp(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** drizzle-kit 1.x sqlite snapshot: version "7", `prevIds: string[]`, and a flat `ddl` list of entities. */
function toV1(legacy) {
  const ddl = [];
  for (const t of Object.values(legacy.tables)) ddl.push({ name: t.name, entityType: 'tables' });
  for (const t of Object.values(legacy.tables)) {
    for (const c of Object.values(t.columns)) {
      ddl.push({
        type: c.type,
        notNull: c.primaryKey ? false : c.notNull,
        autoincrement: c.autoincrement,
        default: c.default === undefined ? null : String(c.default),
        generated: null,
        name: c.name,
        entityType: 'columns',
        table: t.name,
      });
    }
    const pkColumns = Object.values(t.columns).filter((c) => c.primaryKey).map((c) => c.name);
    if (pkColumns.length) ddl.push({ columns: pkColumns, nameExplicit: false, name: `${t.name}_pk`, entityType: 'pks', table: t.name });
    for (const ix of Object.values(t.indexes)) {
      ddl.push({
        columns: ix.columns.map((value) => ({ value, isExpression: false })),
        isUnique: ix.isUnique,
        where: ix.where ?? null,
        origin: 'manual',
        name: ix.name,
        entityType: 'indexes',
        table: t.name,
      });
    }
    for (const fk of Object.values(t.foreignKeys)) {
      ddl.push({
        columns: fk.columnsFrom,
        tableTo: fk.tableTo,
        columnsTo: fk.columnsTo,
        onUpdate: fk.onUpdate.toUpperCase(),
        onDelete: fk.onDelete.toUpperCase(),
        nameExplicit: false,
        name: fk.name,
        entityType: 'fks',
        table: t.name,
      });
    }
  }
  const prev = legacy.prevId === '00000000-0000-0000-0000-000000000000' ? [] : [legacy.prevId];
  return { version: '7', dialect: 'sqlite', id: legacy.id, prevIds: prev.length ? prev : ['00000000-0000-0000-0000-000000000000'], ddl, renames: [] };
}

const only = process.argv.slice(2);
for (const [name, make] of Object.entries(cases)) {
  if (only.length && !only.includes(name)) continue;
  rmSync(join(outRoot, name), { recursive: true, force: true });
  make();
  console.log(`fixtures/drizzle/${name}`);
}
