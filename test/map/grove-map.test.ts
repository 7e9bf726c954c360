// `safari map` over the grove monorepo: the journal of seed 000, generated. Exact domains, counts, tables created in
// Durable Objects, unused tables and duplicate names, and the traps the map must not fall into.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../fixtures/generate/index.mjs';
import { inventoryRepository, type RepositoryInventory, type RepositoryMap } from '../../src/map/map.js';
import { MARKDOWN_LIMIT, renderMapMarkdown, renderMapText } from '../../src/map/render-map.js';
import { describeTable, renderTableMarkdown, tableDetails } from '../../src/map/table-details.js';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { leaks } from '../helpers/markdown-leaks.js';
import { review } from '../../src/review.js';
import { openGitSource } from '../../src/source/git.js';

const sandbox = new ReplaySandbox({ log: () => {} });
let inventory: RepositoryInventory;
let map: RepositoryMap;
let mainSha: string;
let repo: string;

beforeAll(async () => {
  repo = await buildFixture('grove');
  const source = await openGitSource(repo, 'main', 'main');
  try {
    mainSha = source.headSha;
    inventory = await inventoryRepository(source.head, sandbox, { rev: source.headSha });
    map = inventory.map;
  } finally {
    await source.close();
  }
}, 120_000);
afterAll(() => sandbox.close());

const db = (name: string) => map.databases.find((d) => d.name === name)!;
const table = (database: string, name: string) => db(database).tables.find((t) => t.name === name)!;

describe('safari map of grove main: by the numbers', () => {
  it('counts what seed 000 counts by hand', () => {
    expect(map.schemaVersion).toBe(1);
    expect(map.rev).toBe(mainSha);
    expect(map.totals).toEqual({
      databases: 9,
      migrations: 125,
      tables: 174,
      embeddedTables: 22,
      durableObjects: 7,
      conflicts: 3,
      unusedTables: 8,
      duplicates: 6,
      wranglerConfigs: 24,
      bindings: 43,
    });
  });

  it('lists the nine databases by name, with migrations, tables and replay status', () => {
    expect(map.databases.map((d) => [d.name, d.migrations, d.tables.length, d.replayOk])).toEqual([
      ['amber', 2, 4, true],
      ['forage-jobs', 2, 2, true],
      ['grove-backups-db', 1, 2, true],
      ['grove-engine-db', 97, 128, false],
      ['grove-warden', 2, 3, true],
      ['groveauth', 14, 19, true],
      ['ivy-db', 3, 10, true],
      ['shutter-offenders', 1, 1, true],
      ['zephyr-logs', 3, 5, true],
    ]);
    expect(db('grove-engine-db').firstFailure).toEqual({
      file: 'libs/engine/migrations/050_email_verification_tokens.sql',
      line: 13,
      message: 'no such column: token_hash',
    });
    expect(db('groveauth').firstFailure).toBeNull();
  });

  it('shows how each folder was found and every binding that points at a database (24 configs → 9 databases)', () => {
    const engine = db('grove-engine-db');
    expect(engine.sources.map((s) => [s.path, s.kind, s.migrations])).toEqual([
      ['apps/clearing/migrations', 'wrangler', 4],
      ['apps/landing/migrations', 'wrangler', 8],
      ['libs/engine/migrations', 'wrangler', 85],
    ]);
    expect(engine.sources[1].reasons).toEqual(['migrations_dir = "migrations" in apps/landing/wrangler.toml (binding DB)']);
    expect(engine.bindings).toHaveLength(18);
    expect(engine.bindings).toEqual(
      expect.arrayContaining([
        { config: 'apps/landing/wrangler.toml', binding: 'DB', env: null, worker: 'grove-landing' },
        { config: 'workers/backups/wrangler.toml', binding: 'ENGINE_DB', env: 'staging', worker: 'grove-backups' },
      ]),
    );
    expect(db('groveauth').bindings.map((b) => `${b.config} ${b.binding}${b.env ? ` ${b.env}` : ''}`)).toEqual([
      'apps/landing/wrangler.toml AUTH_DB',
      'apps/login/wrangler.toml AUTH_DB',
      'apps/plant/wrangler.toml AUTH_DB',
      'services/heartwood/wrangler.toml DB',
      'workers/backups/wrangler.toml AUTH_DB',
      'workers/backups/wrangler.toml AUTH_DB staging',
    ]);
  });

  it('reports numbering widths per folder and the three duplicate-number pairs (001 beside 0001 is a width change)', () => {
    expect(db('groveauth').numbering).toEqual([{ folder: 'services/heartwood/migrations', widths: [3, 4], unnumbered: 0 }]);
    expect(db('grove-engine-db').numbering.map((n) => [n.folder, n.widths])).toEqual([
      ['apps/clearing/migrations', [4]],
      ['apps/landing/migrations', [4]],
      ['libs/engine/migrations', [3]],
    ]);
    expect(map.conflicts).toEqual([
      { database: 'grove-engine-db', folder: 'libs/engine/migrations', number: '031', files: ['libs/engine/migrations/031_gallery_curio.sql', 'libs/engine/migrations/031_petal_upload_gate.sql'] },
      { database: 'grove-engine-db', folder: 'libs/engine/migrations', number: '032', files: ['libs/engine/migrations/032_git_dashboard.sql', 'libs/engine/migrations/032_sentinel.sql'] },
      { database: 'grove-engine-db', folder: 'libs/engine/migrations', number: '056', files: ['libs/engine/migrations/056_pulse_curio.sql', 'libs/engine/migrations/056_storage_exports_updated_at.sql'] },
    ]);
    expect(db('grove-engine-db').conflicts).toBe(3);
    expect(map.unattributed).toEqual(['libs/engine/migrations/manual']);
  });
});

describe('safari map of grove main: domains', () => {
  it('infers the engine domains from common prefixes (two tables or more), singletons under other', () => {
    const domains = Object.fromEntries(db('grove-engine-db').domains.map((d) => [d.name, d.tables]));
    expect(Object.keys(domains)).toEqual([
      'bookmark', 'comment', 'custom', 'email', 'flag', 'gallery', 'guestbook', 'hit', 'journey', 'link', 'meadow', 'media', 'mood',
      'nowplaying', 'observability', 'order', 'other', 'petal', 'poll', 'porch', 'post', 'product', 'pulse', 'sentinel', 'shop',
      'status', 'tenant', 'thorn', 'timeline', 'user',
    ]);
    expect(domains.shop).toEqual(['shop_cart_items', 'shop_carts', 'shop_gift_cards', 'shop_wishlists']);
    expect(domains.meadow).toEqual(['meadow_bookmarks', 'meadow_follows', 'meadow_posts', 'meadow_reactions', 'meadow_reports', 'meadow_votes']);
    expect(domains.observability).toHaveLength(10);
    expect(domains.sentinel).toHaveLength(6);
    // a bare plural joins its singular prefix: posts with post_tags, tenants with tenant_*
    expect(domains.post).toEqual(['post_tags', 'posts']);
    expect(domains.tenant).toEqual(['tenant_badges', 'tenant_secrets', 'tenant_settings', 'tenants']);
    expect(domains.other).toHaveLength(31);
    expect(domains.other).toEqual(expect.arrayContaining(['git_dashboard_config', 'magic_codes', 'platform_billing', 'webhook_events']));
    expect(table('grove-engine-db', 'meadow_posts').domain).toBe('meadow');
    expect(db('groveauth').domains.map((d) => `${d.name}:${d.tables.length}`)).toEqual(['ba:6', 'other:9', 'user:4']);
    expect(db('grove-warden').domains.map((d) => `${d.name}:${d.tables.join(',')}`)).toEqual(['other:users', 'warden:warden_agents,warden_nonces']);
  });
});

describe('safari map of grove main: what no code uses', () => {
  it('finds the dead shop domain and the zombies, and nothing else', () => {
    expect(Object.fromEntries(map.databases.filter((d) => d.unusedTables.length).map((d) => [d.name, d.unusedTables]))).toEqual({
      'grove-engine-db': ['git_dashboard_config', 'magic_codes', 'shop_cart_items', 'shop_carts', 'shop_gift_cards', 'shop_wishlists'],
      groveauth: ['device_codes', 'failed_attempts'],
    });
  });

  it('is not fooled by a longer name (posts vs meadow_posts, shop_carts vs shop_carts_archive), comments, routes or migrations', () => {
    const posts = inventory.references.get('posts')!.map((r) => r.file);
    expect(new Set(posts)).toEqual(new Set(['libs/engine/src/lib/server/posts.ts']));
    expect(table('grove-engine-db', 'meadow_posts').references).toBe(1);
    // only `SELECT … FROM shop_carts_archive` names it; 043 creates it
    expect(table('grove-engine-db', 'shop_carts').references).toBe(0);
    // named in a comment of libs/engine/src/lib/server/git/dashboard.ts, and created by 032
    expect(table('grove-engine-db', 'git_dashboard_config').references).toBe(0);
    // '/help/magic_codes' is a route; services/heartwood/schema.sql only defines it
    expect(table('grove-engine-db', 'magic_codes').references).toBe(0);
    // only libs/engine/test/storefront.test.ts reads it: still unused, and the test is counted apart
    expect(table('grove-engine-db', 'shop_gift_cards')).toEqual(expect.objectContaining({ references: 0, testReferences: 1 }));
  });

  it('counts the files that use a table, not its definitions in Durable Objects', () => {
    expect(table('grove-engine-db', 'platform_billing').references).toBe(10);
    const sessions = inventory.references.get('sessions')!.map((r) => r.file);
    expect(sessions).not.toContain('services/heartwood/src/durable-objects/session.ts');
    expect(table('grove-engine-db', 'sessions').references).toBe(1);
  });
});

describe('safari map of grove main: tables inside Durable Objects', () => {
  it('lists 22 tables in 7 classes, by file and class, with their columns', () => {
    expect(map.embedded.map((e) => [e.file, e.class, e.durableObject, e.tables])).toEqual([
      ['services/amber/src/export-job.ts', 'ExportJobV2', true, ['export_files', 'export_job', 'export_missing', 'kv_store']],
      ['services/durable-objects/src/post-content.ts', 'PostContentDO', true, ['content', 'kv_store']],
      ['services/durable-objects/src/post-meta.ts', 'PostMetaDO', true, ['kv_store', 'meta', 'reactions', 'view_log']],
      ['services/durable-objects/src/tenant.ts', 'TenantDO', true, ['analytics_buffer', 'config', 'drafts', 'kv_store']],
      ['services/durable-objects/src/threshold.ts', 'ThresholdDO', true, ['kv_store', 'rate_limits']],
      ['services/forage/src/search-job.ts', 'SearchJobDO', true, ['domain_results', 'kv_store', 'search_artifacts', 'search_job']],
      ['services/heartwood/src/durable-objects/session.ts', 'SessionDO', true, ['rate_limits', 'sessions']],
    ]);
    const tenant = map.embedded.find((e) => e.class === 'TenantDO')!;
    expect(tenant.definitions.find((d) => d.table === 'drafts')).toEqual({ table: 'drafts', line: 8, columns: ['post_id', 'markdown', 'device_id', 'saved_at'] });
    // this.state.storage.sql.exec with two statements in one template literal, one line each
    const session = map.embedded.find((e) => e.class === 'SessionDO')!;
    expect(session.definitions.map((d) => [d.table, d.line])).toEqual([['sessions', 6], ['rate_limits', 7]]);
  });

  it('ignores the commented-out table of ThresholdDO and the tables a test file creates', () => {
    const names = map.embedded.flatMap((e) => e.tables);
    expect(names).not.toContain('rate_windows');
    expect(names).not.toContain('fake_storage_log');
    expect(map.embedded.map((e) => e.file)).not.toContain('services/durable-objects/test/tenant.test.ts');
  });
});

describe('safari map of grove main: duplicate concepts', () => {
  it('finds users in three databases, and names shared by a database and a Durable Object', () => {
    expect(map.duplicates).toEqual([
      { table: 'audit_log', databases: ['grove-engine-db', 'groveauth'], embedded: [] },
      { table: 'cdn_files', databases: ['grove-engine-db', 'groveauth'], embedded: [] },
      { table: 'domain_results', databases: ['forage-jobs'], embedded: [{ file: 'services/forage/src/search-job.ts', class: 'SearchJobDO' }] },
      {
        table: 'rate_limits',
        databases: ['grove-engine-db', 'groveauth'],
        embedded: [
          { file: 'services/durable-objects/src/threshold.ts', class: 'ThresholdDO' },
          { file: 'services/heartwood/src/durable-objects/session.ts', class: 'SessionDO' },
        ],
      },
      { table: 'sessions', databases: ['grove-engine-db'], embedded: [{ file: 'services/heartwood/src/durable-objects/session.ts', class: 'SessionDO' }] },
      { table: 'users', databases: ['grove-engine-db', 'grove-warden', 'groveauth'], embedded: [] },
    ]);
    // kv_store is in five Durable Objects and no database: a pattern, not a duplicate
    expect(map.duplicates.map((d) => d.table)).not.toContain('kv_store');
  });
});

describe('safari map of grove main: the journal', () => {
  it('renders Markdown within GitHub’s limit: summary, binding diagram, a collapsible section per database', () => {
    const md = renderMapMarkdown(map);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain('| Tables no code uses | **8** |');
    expect(md).toContain('```mermaid\nflowchart LR');
    expect(md).toMatch(/app\d+\["grove-landing<br\/>apps\/landing\/wrangler.toml"\]/);
    expect(md).toContain('"ENGINE_DB (+ env staging)"');
    expect(md.match(/<details>/g)).toHaveLength(9);
    expect(md).toContain(
      '| `shop` · 4 · 🔴 no code uses it | `shop_cart_items` (3 · **unused**), `shop_carts` (6 · **unused**), `shop_gift_cards` (5 · **unused** (only 1 test file)),',
    );
    expect(md).toMatch(/\| `other` · 31 · 🟠 2 unused \| /);
    expect(md).toContain(
      '| `TenantDO` | `services/durable-objects/src/tenant.ts` | `config` (`key, value, cached_at`), `drafts` (`post_id, markdown, device_id, saved_at`), ',
    );
    expect(md).toContain('| `users` | `grove-engine-db`, `grove-warden`, `groveauth` | — |');
    expect(md).not.toMatch(/✂️/);
    // nothing but Safari's own HTML, no links, images or mentions (CommonMark, as GitHub parses it)
    expect(leaks(md)).toEqual([]);
  });

  it('cuts whole sections with a note when the limit is smaller', () => {
    const md = renderMapMarkdown(map, { maxLength: 12_000 });
    expect(md.length).toBeLessThanOrEqual(12_000);
    // the note names what it left out: the largest databases' details go first, so the smallest are cut
    expect(md).toMatch(/^> ✂️ Left out to stay within GitHub's comment size limit \(\d+ more sections\): the rest of `grove-engine-db`; the tables of `groveauth`; /m);
    expect(md).toMatch(/; and \d+ more\. `safari map --format json` has everything\.\n$/);
    expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    expect(md).toContain('### By the numbers');
  });

  it('renders text for the terminal', () => {
    const text = renderMapText(map);
    expect(text).toMatch(/^9 databases, 125 migrations, 174 tables; 22 tables in 7 classes of code; 3 numbering conflicts, 8 unused tables, 6 duplicate names$/m);
    expect(text).toContain('  shop (4): shop_cart_items [unused], shop_carts [unused], shop_gift_cards [unused], shop_wishlists [unused]');
  });
});

describe('safari table <name> over grove main', () => {
  it('shows users in all three databases with columns, indexes, foreign keys and the migrations that made it', () => {
    const users = tableDetails(inventory, 'users');
    expect(users.found).toBe(true);
    expect(users.databases.map((d) => d.database)).toEqual(['grove-engine-db', 'grove-warden', 'groveauth']);
    const engine = users.databases[0];
    expect(engine.table!.foreignKeys).toEqual([expect.objectContaining({ from: ['tenant_id'], table: 'tenants', onDelete: 'SET NULL' })]);
    expect(engine.referencedBy).toEqual([{ table: 'comments', columns: ['author_user_id'] }, { table: 'email_verifications', columns: ['user_id'] }]);
    expect(engine.history.map(({ file, line, text }) => ({ file, line, text }))).toEqual([
      { file: 'apps/landing/migrations/0001_landing_auth.sql', line: 3, text: 'created' },
      { file: 'apps/landing/migrations/0001_landing_auth.sql', line: 14, text: 'created index idx_users_tenant' },
      { file: 'libs/engine/migrations/014_users.sql', line: 2, text: 'created' },
      { file: 'libs/engine/migrations/014_users.sql', line: 13, text: 'created index idx_users_tenant' },
    ]);
    expect(engine.history[1]).toEqual(expect.objectContaining({ action: 'created index {0}', names: ['idx_users_tenant'] }));
  });

  it('follows a table through its ALTERs, and says where code uses it', () => {
    const details = tableDetails(inventory, 'meadow_posts');
    const history = details.databases[0].history.map((h) => `${h.file.split('/').pop()}:${h.line} ${h.text}`);
    expect(history.slice(0, 4)).toEqual([
      '076_meadow.sql:2 created',
      '076_meadow.sql:17 created index idx_meadow_posts_published',
      '076_meadow.sql:18 created index idx_meadow_posts_score',
      '077_meadow_visibility.sql:1 added column visibility',
    ]);
    expect(history).toContain('085_meadow_post_pins.sql:2 added column pinned_at');
    expect(details.databases[0].references.files).toBe(1);
    const md = renderTableMarkdown(details);
    expect(md).toContain('**Referenced by**: `meadow_bookmarks` (`post_id`)');
    expect(md).toContain('- `libs/engine/migrations/077_meadow_visibility.sql:1` added column `visibility`');
    expect(md).toContain('- `libs/engine/migrations/076_meadow.sql:2` created');
    expect(leaks(md)).toEqual([]);
  });

  it('lists a Durable Object table, and suggests names when nothing matches', () => {
    const drafts = tableDetails(inventory, 'drafts');
    expect(drafts.databases).toEqual([]);
    expect(drafts.embedded).toEqual([
      { file: 'services/durable-objects/src/tenant.ts', class: 'TenantDO', line: 8, columns: ['post_id', 'markdown', 'device_id', 'saved_at'] },
    ]);
    const none = tableDetails(inventory, 'shop_cart');
    expect(none.found).toBe(false);
    expect(none.suggestions).toEqual(['shop_cart_items', 'shop_carts']);
  });

  it('shows a dropped table by its history', () => {
    const details = tableDetails(inventory, 'failed_attempts');
    const engine = details.databases.find((d) => d.database === 'grove-engine-db')!;
    expect(engine.table).toBeNull();
    expect(engine.history.at(-1)).toEqual(expect.objectContaining({ file: 'libs/engine/migrations/053_drop_failed_attempts.sql', text: 'dropped' }));
  });
});

describe('safari map and the replay cache', () => {
  it('keeps each replayed database for the next map or review of this revision, and maps again to the same result', async () => {
    // the first map ran in a fresh sandbox: everything replayed
    expect(inventory.fromCache).toEqual([]);
    const kept = sandbox.cacheUsage.entries;
    expect(kept).toBeGreaterThanOrEqual(9);
    const source = await openGitSource(repo, 'main', 'main');
    try {
      const timings: Record<string, number> = {};
      const again = await inventoryRepository(source.head, sandbox, { rev: source.headSha, timings });
      expect(again.map).toEqual(map);
      // every database came from the cache
      expect(again.fromCache).toEqual(map.databases.map((d) => d.name));
      expect(sandbox.cacheUsage.entries).toBe(kept);
      expect(Object.keys(timings).sort()).toEqual(['assemble', 'code', 'config', 'discover', 'load', 'replay']);
      // describeTable gives plain data (it crosses the App's worker boundary as JSON)
      const details = await describeTable(source.head, sandbox, 'users');
      expect(JSON.parse(JSON.stringify(details))).toEqual(details);
    } finally {
      await source.close();
    }
  });

  it('maps main from the databases a review of main...pr kept as its base', async () => {
    const fresh = new ReplaySandbox({ log: () => {} });
    try {
      const pr = await openGitSource(repo, 'main', 'pr');
      try {
        await review(pr, { sandbox: fresh, evaluateSchema: false });
      } finally {
        await pr.close();
      }
      const source = await openGitSource(repo, 'main', 'main');
      try {
        const after = await inventoryRepository(source.head, fresh, { rev: source.headSha });
        expect(after.fromCache).toEqual(map.databases.map((d) => d.name));
        expect(after.map).toEqual(map);
      } finally {
        await source.close();
      }
    } finally {
      await fresh.close();
    }
  });
});
