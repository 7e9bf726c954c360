// The whole pipeline over the seed-like grove monorepo (9 D1 databases; on main 125 migrations and 174 tables): the exact set
// of findings for a realistic PR, and nothing blamed on the PR for what main already carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../../fixtures/generate/index.mjs';
import { ReplaySandbox } from '../../src/replay/sandbox.js';
import { review } from '../../src/review.js';
import type { ReviewResult } from '../../src/result.js';
import { openGitSource } from '../../src/source/git.js';

let repo: string;
const sandbox = new ReplaySandbox({ log: () => {} });
const results = new Map<string, ReviewResult>();

async function reviewBranch(branch: string): Promise<ReviewResult> {
  if (!results.has(branch)) {
    const source = await openGitSource(repo, 'main', branch);
    try {
      results.set(branch, await review(source, { sandbox, evaluateSchema: false }));
    } finally {
      await source.close();
    }
  }
  return results.get(branch)!;
}

const blamed = (r: ReviewResult) =>
  r.findings.filter((f) => !f.preexisting && !f.acknowledged).map((f) => `${f.severity} ${f.rule}/${f.messageId} ${f.file}:${f.line ?? ''}${f.table ? ` ${f.table}` : ''}`);

beforeAll(async () => {
  repo = await buildFixture('grove');
}, 120_000);
afterAll(() => sandbox.close());

describe('grove monorepo, PR "drop the shop" (seed 001 phase 1), branched before main gained 085', () => {
  it('finds the nine databases and their sources', async () => {
    const r = await reviewBranch('pr');
    expect(r.databases.map((d) => d.name)).toEqual([
      'amber', 'forage-jobs', 'grove-backups-db', 'grove-engine-db', 'grove-warden', 'groveauth', 'ivy-db', 'shutter-offenders', 'zephyr-logs',
    ]);
    const engine = r.databases.find((d) => d.name === 'grove-engine-db')!;
    expect(engine.sources.map((s) => s.path)).toEqual(
      expect.arrayContaining(['libs/engine/migrations', 'apps/landing/migrations', 'apps/clearing/migrations']),
    );
    // 97 = seed 000's 96 plus 043_shop_storefront.sql (the map's dead shop domain: four shop_* tables).
    expect(engine.base).toEqual({ ok: false, migrations: 97, tables: 128 });
    expect(engine.head.tables).toBe(120);
    expect(r.unattributed).toEqual(['libs/engine/migrations/manual']);
  });

  it("blames the PR for exactly its own problems", async () => {
    const r = await reviewBranch('pr');
    expect(r.conclusion).toBe('failure');
    expect(blamed(r).sort()).toEqual(
      [
        'error duplicate-number/takenMeanwhile libs/engine/migrations/085_drop_shop_tables.sql:1',
        'error duplicate-number/takenMeanwhile libs/engine/migrations/085b_drop_lemonsqueezy_columns.sql:1',
        'error replay-error/sql libs/engine/migrations/085b_drop_lemonsqueezy_columns.sql:6',
        'error drop-referenced-table/table libs/engine/migrations/085_drop_shop_tables.sql:10 subscriptions',
        'warning destructive-change/dropTables libs/engine/migrations/085_drop_shop_tables.sql:5',
      ].sort(),
    );
  });

  it('keeps what main already carries under "already on main", as notices', async () => {
    const r = await reviewBranch('pr');
    const old = r.findings.filter((f) => f.preexisting);
    expect(old.every((f) => f.severity === 'notice')).toBe(true);
    expect(old.map((f) => `${f.rule} ${f.file}`)).toEqual(
      expect.arrayContaining([
        'replay-error libs/engine/migrations/050_email_verification_tokens.sql',
        'duplicate-number libs/engine/migrations/031_petal_upload_gate.sql',
        'duplicate-number libs/engine/migrations/032_sentinel.sql',
        'duplicate-number libs/engine/migrations/056_storage_exports_updated_at.sql',
        'discovery libs/engine/migrations/manual',
      ]),
    );
  });

  it('diffs the engine database: shop tables dropped, the observability table added, onboarding changed', async () => {
    const r = await reviewBranch('pr');
    const delta = r.databases.find((d) => d.name === 'grove-engine-db')!.delta;
    expect(delta.tablesDropped).toEqual([
      'connect_accounts', 'customers', 'discount_codes', 'order_line_items', 'orders', 'product_variants', 'products', 'refunds', 'subscriptions',
    ]);
    expect(delta.tablesAdded).toEqual(['observability_uptime_checks']);
    expect(delta.tablesRenamed).toEqual([]);
    // every other database is untouched by the PR
    for (const d of r.databases.filter((d) => d.name !== 'grove-engine-db')) {
      expect(d.delta.tablesAdded.length + d.delta.tablesDropped.length + d.delta.tablesChanged.length, d.name).toBe(0);
    }
  });
});

describe('grove monorepo, clean PRs', () => {
  it('passes a well-formed PR with no warnings or errors', async () => {
    const r = await reviewBranch('pr-clean');
    expect(r.conclusion).toBe('success');
    expect(blamed(r).filter((f) => !f.startsWith('notice'))).toEqual([]);
    const ivy = r.databases.find((d) => d.name === 'ivy-db')!;
    expect(ivy.head.tables).toBe(ivy.base.tables + 1);
  });

  it('fails a PR that drops platform_billing, which code still uses, and names the references', async () => {
    const r = await reviewBranch('pr-drop-billing');
    const f = r.findings.find((x) => x.rule === 'drop-referenced-table' && x.table === 'platform_billing');
    expect(f?.severity).toBe('error');
    expect(f?.message).toMatch(/libs\/engine\/src\/.+:\d+/);
  });
});
