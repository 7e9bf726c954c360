// The whole pipeline (git → discovery of drizzle.config.ts → replay → prepare → every rule) over the drizzle-kit
// fixtures: the exact set of findings, from all rules, for each case.
import { describe, expect, it } from 'vitest';
import { reviewFiles } from '../helpers/review-files.js';
import { changesBetween, loadFixture } from './drizzle-input.js';

async function reviewFixture(name: string) {
  const { base, head } = loadFixture(name);
  const pr: Record<string, string | null> = {};
  for (const c of changesBetween(base, head)) pr[c.path] = c.status === 'deleted' ? null : head[c.path];
  return (await reviewFiles({ base, pr, options: { evaluateSchema: true } })).findings;
}

const expected: Record<string, Array<[string, string, string]>> = {
  clean: [],
  'stale-schema': [['drizzle-schema-stale', 'stale', 'src/db/schema.ts']],
  'hand-edited-sql': [['drizzle-snapshot-drift', 'drift', 'drizzle/0001_posts.sql']],
  'snapshot-collision': [['drizzle-snapshot-collision', 'shared-parent', 'drizzle/meta/0002_snapshot.json']],
  'journal-missing-entry': [['drizzle-journal-mismatch', 'sql-not-in-journal', 'drizzle/0001_posts.sql']],
  'v1-layout': [],
  casing: [],
  'timestamp-prefix': [],
  // Another rule's notice, rightly: the only index starting with owner_id is partial (WHERE active = 1).
  'rich-schema': [['unindexed-foreign-key', 'unindexed', 'drizzle/0001_accounts.sql']],
};

describe('Drizzle through the whole review', () => {
  for (const [name, findings] of Object.entries(expected)) {
    it(`${name}: ${findings.length ? findings.map((f) => f[0]).join(', ') : 'no findings'}`, async () => {
      const actual = await reviewFixture(name);
      expect(actual.map((f) => [f.rule, f.messageId, f.file])).toEqual(findings);
      for (const f of actual) expect([f.severity, f.preexisting]).toEqual([f.rule.startsWith('drizzle-') ? 'error' : 'notice', false]);
      // Every finding about a file has a line (the journal entry, schema.ts's first changed line, the statement).
      for (const f of actual) if (f.file) expect(f.line, `${f.rule}/${f.messageId} at ${f.file}`).toBeGreaterThan(0);
    });
  }

  it('shows the missing SQL for a forgotten drizzle-kit generate', async () => {
    const [f] = await reviewFixture('stale-schema');
    expect(f.details).toContain('  ALTER TABLE `users` ADD `display_name` text;');
    expect(f.fix).toBe('Run `npx drizzle-kit generate` and commit the new migration and snapshot.');
  });

  it('completes the review with a warning when the schema the PR touched is hostile: failing on purpose dodges nothing', async () => {
    const { base } = loadFixture('clean');
    const schema = `${base['src/db/schema.ts']}\nexport const leak = process.getBuiltinModule('fs').readFileSync('/proc/self/environ', 'utf8');\n`;
    const result = await reviewFiles({ base, pr: { 'src/db/schema.ts': schema }, options: { evaluateSchema: true } });
    expect(result.findings.map((f) => [f.rule, f.messageId, f.severity])).toEqual([['drizzle-schema-stale', 'evaluation-stopped', 'warning']]);
    expect(result.findings[0].message).toMatch(/the sandbox refused an operation \(FileSystemRead: \/proc\/self\/environ\)/);
    expect(result.conclusion).toBe('neutral');
  });

  it('fails the check when the base config makes evaluation failures errors, and no safari-ignore or ack silences a stop', async () => {
    const { base } = loadFixture('clean');
    const config = { '.github/safari.yml': 'drizzle:\n  evaluationFailure: error\nrules:\n  drizzle-schema-stale: { allowInlineAck: true }\n' };
    const schema = `${base['src/db/schema.ts']}\nexport const x = Object.keys(process.env);\n`;
    const result = await reviewFiles({
      base: { ...base, ...config },
      pr: { 'src/db/schema.ts': schema },
      options: { evaluateSchema: true, acknowledgements: [{ rule: 'drizzle-schema-stale', reason: 'flaky', by: 'someone' }] },
    });
    expect(result.findings.map((f) => [f.rule, f.messageId, f.severity, f.acknowledged])).toEqual([
      ['drizzle-schema-stale', 'evaluation-stopped', 'error', undefined],
    ]);
    expect(result.conclusion).toBe('failure');
  });
});

describe('Drizzle when main moved on after the PR branched', () => {
  it('reports the outdated parent and the journal entry the PR\'s journal loses (from real drizzle-kit output)', async () => {
    // From the snapshot-collision fixture: main and the PR both generated 0001 from the same 0000.
    const c = loadFixture('snapshot-collision');
    const journal = JSON.parse(c.base['drizzle/meta/_journal.json']);
    const prJournal = { ...journal, entries: [journal.entries[0], { ...journal.entries[1], tag: '0001_tags', when: journal.entries[1].when + 60_000 }] };
    const branchPoint = Object.fromEntries(
      Object.entries(c.base).filter(([p]) => !p.includes('0001_') && p !== 'drizzle/meta/_journal.json' && p !== 'src/db/schema.ts'),
    );
    branchPoint['drizzle/meta/_journal.json'] = JSON.stringify({ ...journal, entries: [journal.entries[0]] }, null, 2);
    branchPoint['src/db/schema.ts'] = loadFixture('clean').base['src/db/schema.ts'];
    const pr = {
      'drizzle/0001_tags.sql': c.head['drizzle/0002_tags.sql'],
      'drizzle/meta/0001_snapshot.json': c.head['drizzle/meta/0002_snapshot.json'],
      'drizzle/meta/_journal.json': JSON.stringify(prJournal, null, 2),
      'src/db/schema.ts': c.head['src/db/schema.ts'],
    };
    const mainAfter = {
      'drizzle/0001_comments.sql': c.base['drizzle/0001_comments.sql'],
      'drizzle/meta/0001_snapshot.json': c.base['drizzle/meta/0001_snapshot.json'],
      'drizzle/meta/_journal.json': c.base['drizzle/meta/_journal.json'],
    };
    const result = await reviewFiles({ base: branchPoint, pr, mainAfter, options: { evaluateSchema: false } });
    const drizzle = result.findings.filter((f) => f.rule.startsWith('drizzle-'));
    expect(drizzle.map((f) => [f.rule, f.messageId, f.file])).toEqual([
      ['drizzle-journal-mismatch', 'sql-not-in-journal', 'drizzle/0001_comments.sql'],
      ['drizzle-snapshot-collision', 'stale-parent', 'drizzle/meta/0001_snapshot.json'],
    ]);
    expect(drizzle[1].message).toMatch(/follows drizzle\/meta\/0000_snapshot\.json, but main's latest snapshot is drizzle\/meta\/0001_snapshot\.json \(id \w{8}…\)/);
  });
});
