// Each fixture (generated with real drizzle-kit) through the real prepare step and all four Drizzle rules: every rule
// fires exactly where it should and nowhere else.
import { describe, expect, it } from 'vitest';
import journalMismatch from '../../src/rules/drizzle-journal-mismatch.js';
import schemaStale from '../../src/rules/drizzle-schema-stale.js';
import snapshotCollision from '../../src/rules/drizzle-snapshot-collision.js';
import snapshotDrift from '../../src/rules/drizzle-snapshot-drift.js';
import type { Rule, RuleInput } from '../../src/rules/types.js';
import { drizzleInput, loadFixture } from './drizzle-input.js';

const rules: Rule[] = [journalMismatch, schemaStale, snapshotCollision, snapshotDrift];

async function findings(input: RuleInput): Promise<string[]> {
  const out: string[] = [];
  for (const rule of rules) {
    for (const r of await rule.check(input)) out.push(`${rule.meta.id}/${r.messageId}${r.preexisting ? ' (preexisting)' : ''} ${r.file ?? ''}`.trim());
  }
  return out.sort();
}

async function run(name: string) {
  const { base, head } = loadFixture(name);
  return drizzleInput(base, head);
}

describe('Drizzle fixtures', () => {
  it('clean: the PR adds a table and generates its migration — nothing fires', async () => {
    const input = await run('clean');
    expect(input.drizzle.folders[0].evaluation).toMatchObject({ status: 'fresh', differences: [] });
    expect(input.drizzle.folders[0].evaluation).toHaveProperty('inputs', ['src/db/columns.ts', 'src/db/schema.ts']);
    expect(await findings(input)).toEqual([]);
  });

  it('stale-schema: schema.ts changed without generating — only drizzle-schema-stale, with the missing SQL', async () => {
    const input = await run('stale-schema');
    expect(await findings(input)).toEqual(['drizzle-schema-stale/stale src/db/schema.ts']);
    const [r] = await schemaStale.check(input);
    expect(r.details).toEqual([
      'users.display_name: column in schema.ts, not in the latest snapshot',
      'Missing SQL:',
      '  ALTER TABLE `users` ADD `display_name` text;',
    ]);
    expect(r.data).toMatchObject({ snapshot: 'drizzle/meta/0000_snapshot.json', count: 1, command: 'npx drizzle-kit generate' });
  });

  it('hand-edited-sql: generated SQL edited by hand — only drizzle-snapshot-drift, listing both edits', async () => {
    const input = await run('hand-edited-sql');
    expect(await findings(input)).toEqual(['drizzle-snapshot-drift/drift drizzle/0001_posts.sql']);
    const [r] = await snapshotDrift.check(input);
    expect(r.details).toEqual([
      'posts.score: type REAL in the migrations, INTEGER in the snapshot',
      'posts.slug: column in the migrations, not in the snapshot',
    ]);
  });

  it('snapshot-collision: two branches generated from the same parent — only drizzle-snapshot-collision', async () => {
    const input = await run('snapshot-collision');
    expect(await findings(input)).toEqual(['drizzle-snapshot-collision/shared-parent drizzle/meta/0002_snapshot.json']);
    const [r] = await snapshotCollision.check(input);
    expect(r.data).toMatchObject({
      snapshot: 'drizzle/meta/0002_snapshot.json',
      other: 'drizzle/meta/0001_snapshot.json',
      parent: 'drizzle/meta/0000_snapshot.json',
    });
    // Several chain tips: nothing is "the latest snapshot", so drift and staleness are not judged.
    expect(input.drizzle.folders[0].head.latest).toBeUndefined();
    expect(input.drizzle.folders[0].evaluation).toEqual({ status: 'skipped', reason: 'no-snapshot' });
  });

  it('journal-missing-entry: a generated migration lost its journal entry — only drizzle-journal-mismatch', async () => {
    const input = await run('journal-missing-entry');
    expect(await findings(input)).toEqual(['drizzle-journal-mismatch/sql-not-in-journal drizzle/0001_posts.sql']);
  });

  it('v1-layout: a clean drizzle-kit 1.x folder — read as v1, evaluated, nothing fires', async () => {
    const input = await run('v1-layout');
    const folder = input.drizzle.folders[0];
    expect(folder.head.layout).toBe('v1');
    expect(folder.head.snapshots.map((s) => s.key)).toEqual([expect.stringMatching(/^\d{14}_init$/), expect.stringMatching(/^\d{14}_posts$/)]);
    expect(folder.evaluation).toMatchObject({ status: 'fresh' });
    expect(await findings(input)).toEqual([]);
  });

  it('rich-schema: composite keys, checks, generated columns, expression and partial indexes — no false alarm', async () => {
    const input = await run('rich-schema');
    expect(input.drizzle.folders[0].evaluation).toMatchObject({ status: 'fresh', differences: [] });
    expect(await findings(input)).toEqual([]);
  });

  it('casing: the config\'s casing names unnamed columns as drizzle-kit did — no false alarm, and a real miss still fires', async () => {
    const input = await run('casing');
    expect(input.drizzle.folders[0].evaluation).toMatchObject({ status: 'fresh' });
    expect(await findings(input)).toEqual([]);

    const { base, head } = loadFixture('casing');
    const stale = { ...base, 'src/db/schema.ts': head['src/db/schema.ts'].replace('displayName: text(),', 'displayName: text(),\n  lastSeenAt: integer(),') };
    const [r] = await schemaStale.check(await drizzleInput(base, stale));
    expect(r.details?.slice(0, 2)).toEqual([
      'user_accounts.display_name: column in schema.ts, not in the latest snapshot',
      'user_accounts.last_seen_at: column in schema.ts, not in the latest snapshot',
    ]);
  });
});
