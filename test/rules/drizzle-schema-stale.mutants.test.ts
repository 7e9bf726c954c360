// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant that survived the rule's
// other tests and the Drizzle fixture tests. Inputs go through the real pipeline (evaluation included).
import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/drizzle-schema-stale.js';
import { drizzleInput, loadFixture } from '../drizzle/drizzle-input.js';
import { expectFires } from '../helpers/lint.js';

describe('drizzle-schema-stale (mutation cases)', () => {
  it('asks to read both sides of a stale schema\'s file, and nothing for a fresh one', async () => {
    const stale = loadFixture('stale-schema');
    const clean = loadFixture('clean');
    expect(rule.needs!(await drizzleInput(stale.base, stale.head))).toEqual({ head: ['src/db/schema.ts'], base: ['src/db/schema.ts'] });
    expect(rule.needs!(await drizzleInput(clean.base, clean.head))).toEqual({ head: [], base: [] });
  });

  it('says the network was reachable for a stale schema too, after the stale finding', async () => {
    const f = loadFixture('stale-schema');
    const i = await drizzleInput(f.base, f.head);
    const e = i.drizzle.folders[0].evaluation;
    expect(e).toMatchObject({ status: 'stale', networkIsolated: true });
    if (e.status === 'stale') e.networkIsolated = false;
    const reports = await expectFires(rule, i);
    expect(reports.map((r) => r.messageId)).toEqual(['stale', 'network-reachable']);
  });

  it('names the schema and the generate command in the fork notice', async () => {
    const f = loadFixture('stale-schema');
    const [r] = await expectFires(rule, await drizzleInput(f.base, f.head, { origin: 'fork' }));
    expect(r).toMatchObject({ messageId: 'not-evaluated-fork', data: { schema: 'src/db/schema.ts', command: 'npx drizzle-kit generate' } });
  });
});
