// Review results for renderer tests: deltas come from real SQLite schemas through diffSchemas, findings by hand.
import type { Finding, Report, Severity } from '../../src/findings.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { ruleById } from '../../src/rules/registry.js';
import type { DatabaseResult, ReviewResult } from '../../src/result.js';
import { DEFAULT_DOCS_URL } from '../../src/docs-url.js';
import { emptyDelta } from '../../src/schema/delta.js';
import { diffSchemas } from '../../src/schema/diff.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

export const HOSTILE_TABLE = 'x<img src=x>';
export const MENTION_TABLE = '@org/team';

/** A finding not made from a rule's template (as a crashed rule's notice is): renderers must show it whole as code. */
export function finding(over: Partial<Finding> & Pick<Finding, 'rule' | 'severity' | 'message'>): Finding {
  return { messageId: 'm', data: {}, preexisting: false, fingerprint: 'm', ...over };
}

/** A finding as the engine makes it: the rule's wording filled with the report's data. */
export function ruleFinding(ruleId: string, messageId: string, report: Omit<Report, 'messageId'> = {}, configured?: Severity): Finding {
  const rule = ruleById.get(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  if (!Object.hasOwn(rule.meta.messages, messageId)) throw new Error(`rule ${ruleId} has no message ${messageId}`);
  return toFinding(rule, { messageId, ...report }, configured);
}

function changedDatabase(): DatabaseResult {
  const baseSql = `CREATE TABLE tenants (id INTEGER PRIMARY KEY, plan TEXT DEFAULT 'free');
    CREATE TABLE legacy (id INTEGER);`;
  const headSql = `${baseSql}
    DROP TABLE legacy;
    CREATE TABLE "${HOSTILE_TABLE}" (id INTEGER);
    CREATE TABLE "${MENTION_TABLE}" ("a|b\`c" TEXT);
    ALTER TABLE tenants ADD COLUMN seats INTEGER NOT NULL DEFAULT 1;`;
  const base = schemaFromSql(baseSql);
  const head = schemaFromSql(headSql);
  return {
    name: 'grove-engine-db',
    dialect: 'd1',
    sources: [
      { kind: 'wrangler', path: 'libs/engine/migrations' },
      { kind: 'wrangler', path: 'apps/landing/migrations' },
    ],
    base: { ok: true, migrations: 2, tables: Object.keys(base.tables).length },
    head: { ok: true, migrations: 3, tables: Object.keys(head.tables).length },
    delta: diffSchemas(base, head, []),
    touched: true,
  };
}

export function sampleResult(): ReviewResult {
  const unchanged = (name: string): DatabaseResult => ({
    name,
    dialect: 'd1',
    sources: [{ kind: 'wrangler', path: `workers/${name}/migrations` }],
    base: { ok: true, migrations: 4, tables: 7 },
    head: { ok: true, migrations: 4, tables: 7 },
    delta: emptyDelta(),
    touched: false,
  });
  const partial: DatabaseResult = {
    ...unchanged('grove-curios-db'),
    head: { ok: false, migrations: 5, tables: 8 },
    delta: { ...emptyDelta(), tablesAdded: ['gallery_items'] },
    touched: true,
  };
  return {
    schemaVersion: 1,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    conclusion: 'failure',
    databases: [unchanged('grove-zeta-db'), changedDatabase(), partial, unchanged('grove-auth-db')],
    findings: [
      ruleFinding('duplicate-number', 'taken', {
        data: { name: '0085_x.sql', number: '0085', other: '0085_y.sql', folder: 'libs/engine/migrations', next: '0086', suggested: '0086_x.sql' },
        database: 'grove-engine-db',
        file: 'libs/engine/migrations/0085_x.sql',
        line: 1,
      }),
      ruleFinding('destructive-change', 'dropTable', {
        data: { table: `${HOSTILE_TABLE} <script>alert(1)</script> [click](http://evil) *bold* @org/platform`, database: 'grove-engine-db' },
        database: 'grove-engine-db',
        file: 'libs/engine/migrations/0085_x.sql',
        line: 3,
        table: HOSTILE_TABLE,
        details: ['- DROP TABLE legacy;', '```', '+ nothing'],
      }),
      ruleFinding('unindexed-foreign-key', 'unindexed', {
        data: { table: 'posts', columns: 'tenant_id', parent: 'tenants', columnWord: 'it', indexName: 'idx_posts_tenant_id', sqlTable: 'posts', sqlColumns: 'tenant_id' },
        database: 'grove-engine-db',
      }),
      ruleFinding('duplicate-number', 'duplicateOnMain', {
        data: { folder: 'libs/engine/migrations', count: 2, number: '0042', files: ['0042_a.sql', '0042_b.sql'] },
        database: 'grove-engine-db',
        file: 'libs/engine/migrations/0042_a.sql',
        line: 1,
        preexisting: true,
      }),
      {
        ...ruleFinding('table-budget', 'already', {
          data: { database: 'grove-engine-db', count: 120, budget: 100 },
          database: 'grove-engine-db',
          file: 'libs/engine/migrations/0085_x.sql',
        }),
        acknowledged: { reason: 'consolidation tracked in #42' },
      },
    ],
    unattributed: ['libs/engine/migrations/manual'],
    discovery: [
      {
        database: 'grove-engine-db',
        source: 'libs/engine/migrations',
        kind: 'wrangler',
        reasons: ['migrations_dir = "migrations" in libs/engine/wrangler.toml (binding DB)'],
        guessed: false,
      },
      {
        database: 'grove-engine-db',
        source: 'apps/landing/migrations',
        kind: 'wrangler',
        reasons: ['default migrations folder of apps/landing/wrangler.toml (binding DB)'],
        guessed: true,
      },
    ],
    docsUrl: DEFAULT_DOCS_URL,
  };
}
