import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { folderTimestamp, loadMigrations, parseJournal } from '../../src/discover/load-migrations.js';
import type { DatabaseSpec, DiscoveryNotice, MigrationSource } from '../../src/discover/types.js';
import { memoryTree } from '../helpers/memory-tree.js';
import { ENGINE_MIGRATIONS, groveTree } from './grove-tree.js';

const sql = (n: string): string => `CREATE TABLE ${n} (id INTEGER);\n`;
const spec = (sources: Partial<MigrationSource>[], extra: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name: 'db',
  dialect: 'sqlite',
  sources: sources.map((s) => ({ kind: 'wrangler', applier: 'wrangler', path: 'migrations', attributions: [], ...s })),
  ...extra,
});
const journal = (entries: { idx: number; when: number; tag: string }[]): string =>
  JSON.stringify({ version: '7', dialect: 'sqlite', entries: entries.map((e) => ({ ...e, version: '6', breakpoints: true })) });

describe('loadMigrations: wrangler folders', () => {
  it('loads each folder in wrangler order, folders in the spec order, in one read', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    const engine = d.databases.find((x) => x.name === 'grove-engine-db') as DatabaseSpec;
    const readsBefore = tree.reads.length;
    const files = await loadMigrations(tree, engine);
    expect(tree.reads.length - readsBefore).toBe(1);
    expect(files.map((f) => f.path)).toEqual([
      'apps/clearing/migrations/0001_status_incidents.sql',
      'apps/landing/migrations/0001_email_signups.sql',
      'apps/landing/migrations/0002_porch_visits.sql',
      ...ENGINE_MIGRATIONS.map((n) => `libs/engine/migrations/${n}.sql`),
    ]);
    // The hand-applied manual/ folder and the reservation file are not migrations of this folder.
    expect(files.some((f) => f.path.includes('manual') || f.path.endsWith('.txt'))).toBe(false);
    expect(files.find((f) => f.path.endsWith('031_petal_upload_gate.sql'))).toMatchObject({
      source: 'libs/engine/migrations',
      applier: 'wrangler',
      number: 31,
      numberText: '031',
      content: 'CREATE TABLE petal_upload_gate (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL);\n',
    });
  });

  it('orders mixed widths numerically (9 before 10, 001 with 0002)', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    const files = await loadMigrations(tree, d.databases.find((x) => x.name === 'groveauth') as DatabaseSpec);
    expect(files.map((f) => [f.numberText, f.number])).toEqual([
      ['001', 1],
      ['0002', 2],
      ['003', 3],
      ['9', 9],
      ['10', 10],
    ]);
  });

  it('loads a migrations_pattern layout, numbering each file by its folder', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    const files = await loadMigrations(tree, d.databases.find((x) => x.name === 'forage-jobs') as DatabaseSpec);
    expect(files.map((f) => [f.path, f.numberText])).toEqual([
      ['services/forage/migrations/0001_jobs/migration.sql', '0001'],
      ['services/forage/migrations/0002_results/migration.sql', '0002'],
    ]);
  });

  it('loads nothing for a database that is not replayed, and nothing for one without folders', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    expect(await loadMigrations(tree, d.databases.find((x) => x.name === 'tools/analytics') as DatabaseSpec)).toEqual([]);
    expect(await loadMigrations(tree, d.databases.find((x) => x.name === 'grove-warden') as DatabaseSpec)).toEqual([]);
  });

  it('never loads files the config ignores', async () => {
    const tree = memoryTree({ 'migrations/1_a.sql': sql('a'), 'migrations/2_scratch.sql': sql('b') });
    const files = await loadMigrations(tree, spec([{ path: 'migrations' }]), { ignore: ['**/*scratch*'] });
    expect(files.map((f) => f.path)).toEqual(['migrations/1_a.sql']);
  });

  it('keeps a file reached through two sources once', async () => {
    const tree = memoryTree({ 'migrations/1_a.sql': sql('a'), 'migrations/2_b.sql': sql('b') });
    const files = await loadMigrations(tree, spec([{ path: 'migrations' }, { path: 'migrations', kind: 'config' }]));
    expect(files.map((f) => f.path)).toEqual(['migrations/1_a.sql', 'migrations/2_b.sql']);
  });
});

describe('loadMigrations: drizzle folders', () => {
  it('replays the legacy layout in journal order, skipping files the journal does not list', async () => {
    const tree = memoryTree({
      'db/drizzle/0000_init.sql': sql('a'),
      'db/drizzle/0001_users.sql': sql('b'),
      'db/drizzle/0002_orphan.sql': sql('c'), // never run by the migrator
      'db/drizzle/0010_late.sql': sql('d'),
      'db/drizzle/meta/_journal.json': journal([
        { idx: 2, when: 3000, tag: '0010_late' },
        { idx: 0, when: 1000, tag: '0000_init' },
        { idx: 1, when: 2000, tag: '0001_users' },
        { idx: 3, when: 4000, tag: '0011_missing_file' },
      ]),
    });
    const files = await loadMigrations(tree, spec([{ kind: 'drizzle', applier: 'drizzle', path: 'db/drizzle' }]));
    expect(files.map((f) => [f.path, f.number, f.numberText, f.journal])).toEqual([
      ['db/drizzle/0000_init.sql', 0, '0000', { idx: 0, when: 1000, tag: '0000_init' }],
      ['db/drizzle/0001_users.sql', 1, '0001', { idx: 1, when: 2000, tag: '0001_users' }],
      ['db/drizzle/0010_late.sql', 2, '0010', { idx: 2, when: 3000, tag: '0010_late' }],
    ]);
    expect(files.every((f) => f.applier === 'drizzle')).toBe(true);
    expect(tree.reads).toHaveLength(1);
    expect(tree.reads[0]).toContain('db/drizzle/meta/_journal.json');
  });

  it('falls back to name order without a journal', async () => {
    const tree = memoryTree({ 'drizzle/0001_b.sql': sql('b'), 'drizzle/0000_a.sql': sql('a') });
    const files = await loadMigrations(tree, spec([{ kind: 'drizzle', applier: 'drizzle', path: 'drizzle' }]));
    expect(files.map((f) => [f.path, f.journal])).toEqual([
      ['drizzle/0000_a.sql', undefined],
      ['drizzle/0001_b.sql', undefined],
    ]);
  });

  it('reports a malformed journal with its file and falls back to name order', async () => {
    const tree = memoryTree({ 'drizzle/0001_b.sql': sql('b'), 'drizzle/0000_a.sql': sql('a'), 'drizzle/meta/_journal.json': '{ "entries": [ oops' });
    const notices: DiscoveryNotice[] = [];
    const files = await loadMigrations(tree, spec([{ kind: 'drizzle', applier: 'drizzle', path: 'drizzle' }]), { notices });
    expect(files.map((f) => f.path)).toEqual(['drizzle/0000_a.sql', 'drizzle/0001_b.sql']);
    expect(notices).toEqual([
      { messageId: 'config-unreadable', file: 'drizzle/meta/_journal.json', database: 'db', data: { file: 'drizzle/meta/_journal.json', message: expect.stringMatching(/^not valid JSON/) } },
    ]);
  });

  it('skips journal entries it cannot use and says which', () => {
    const parsed = parseJournal(JSON.stringify({ entries: [{ idx: 0, when: 1, tag: 'a' }, { idx: 'x', tag: 'b' }, null] }));
    expect(parsed.entries).toEqual([{ idx: 0, when: 1, tag: 'a' }]);
    expect(parsed.problems).toEqual(['entries[1] lacks a numeric idx, a numeric when or a tag', 'entries[2] lacks a numeric idx, a numeric when or a tag']);
    expect(parseJournal('[]').problems).toEqual(['has no `entries` list']);
  });

  it('replays the v1 layout in folder order with timestamps as `when`', async () => {
    const tree = memoryTree({
      'drizzle/20250301120000_add_posts/migration.sql': sql('posts'),
      'drizzle/20250301120000_add_posts/snapshot.json': '{}',
      'drizzle/20250114093000_init/migration.sql': sql('users'),
      'drizzle/20250114093000_init/snapshot.json': '{}',
    });
    const files = await loadMigrations(tree, spec([{ kind: 'drizzle', applier: 'drizzle', path: 'drizzle' }]));
    expect(files.map((f) => [f.path, f.numberText, f.journal])).toEqual([
      ['drizzle/20250114093000_init/migration.sql', '20250114093000', { idx: 0, when: Date.UTC(2025, 0, 14, 9, 30, 0), tag: '20250114093000_init' }],
      ['drizzle/20250301120000_add_posts/migration.sql', '20250301120000', { idx: 1, when: Date.UTC(2025, 2, 1, 12, 0, 0), tag: '20250301120000_add_posts' }],
    ]);
    expect(folderTimestamp('0001_x')).toBeUndefined();
  });

  it('attaches journal facts to a drizzle folder that wrangler applies, in wrangler order', async () => {
    const tree = memoryTree({
      'drizzle/0000_a.sql': sql('a'),
      'drizzle/0001_b.sql': sql('b'),
      'drizzle/meta/_journal.json': journal([{ idx: 0, when: 10, tag: '0000_a' }]),
    });
    const files = await loadMigrations(tree, spec([{ path: 'drizzle', drizzle: { configFile: 'drizzle.config.ts' } }]));
    // wrangler applies every .sql file by name, journal or not.
    expect(files.map((f) => [f.path, f.applier, f.number, f.journal?.when])).toEqual([
      ['drizzle/0000_a.sql', 'wrangler', 0, 10],
      ['drizzle/0001_b.sql', 'wrangler', 1, undefined],
    ]);
  });

  it('loads the seed-like drizzle package through discovery', async () => {
    const tree = memoryTree(groveTree());
    const d = await discover(tree);
    const files = await loadMigrations(tree, d.databases.find((x) => x.name === 'packages/db') as DatabaseSpec);
    expect(files.map((f) => [f.path, f.journal?.tag])).toEqual([
      ['packages/db/drizzle/0000_init.sql', '0000_init'],
      ['packages/db/drizzle/0001_relay.sql', '0001_relay'],
    ]);
  });
});

// Issue 9: what a hostile PR does with a migration's size and bytes must never take it out of review.
describe('loadMigrations: files Safari cannot review as written', () => {
  it('never reads a migration over the size cap, and keeps it in the list, marked', async () => {
    const tree = memoryTree({ 'migrations/0001_a.sql': sql('a'), 'migrations/0002_huge.sql': `${sql('b')}-- ${'x'.repeat(5000)}\n` });
    const files = await loadMigrations(tree, spec([{}]), { maxFileBytes: 1000 });
    expect(tree.reads.flat()).not.toContain('migrations/0002_huge.sql');
    expect(files.map((f) => [f.path, f.content, f.unread])).toEqual([
      ['migrations/0001_a.sql', sql('a'), undefined],
      ['migrations/0002_huge.sql', '', { reason: 'too-large', bytes: 5000 + sql('b').length + 4, limit: 1000 }],
    ]);
  });

  it('keeps a listed migration it could not read, marked, instead of skipping it', async () => {
    const tree = memoryTree({ 'migrations/0001_a.sql': sql('a') });
    const unreadable = { ...tree, read: async (paths: string[]) => new Map(paths.map((p) => [p, undefined])) };
    const files = await loadMigrations(unreadable, spec([{}]));
    expect(files).toEqual([expect.objectContaining({ path: 'migrations/0001_a.sql', content: '', unread: { reason: 'unreadable' } })]);
  });

  it('replays a wrangler migration up to its first NUL byte, as SQLite reads it', async () => {
    const tree = memoryTree({ 'migrations/0001_drop.sql': 'DROP TABLE users;\n-- \0 CREATE TABLE users (id INTEGER);\nSELECT 1;\n' });
    const [file] = await loadMigrations(tree, spec([{}]));
    expect(file).toMatchObject({ content: 'DROP TABLE users;\n-- \n\n', nulLine: 2 });
    expect(file.unread).toBeUndefined();
  });

  it('cuts each drizzle chunk at its own NUL: later chunks still run', async () => {
    const text = 'CREATE TABLE a (id INTEGER);\0 junk\n--> statement-breakpoint\nDROP TABLE b;\n';
    const tree = memoryTree({ 'drizzle/0000_x.sql': text });
    const [file] = await loadMigrations(tree, spec([{ kind: 'drizzle', applier: 'drizzle', path: 'drizzle' }]));
    expect(file).toMatchObject({ content: 'CREATE TABLE a (id INTEGER);\n--> statement-breakpoint\nDROP TABLE b;\n', nulLine: 1 });
  });
});
