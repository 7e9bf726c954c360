// Review results for renderer tests: deltas come from real SQLite schemas through diffSchemas, findings by hand.
import type { Finding } from '../../src/findings.js';
import type { DatabaseResult, ReviewResult } from '../../src/result.js';
import { emptyDelta } from '../../src/schema/delta.js';
import { diffSchemas } from '../../src/schema/diff.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

export const HOSTILE_TABLE = 'x<img src=x>';
export const MENTION_TABLE = '@org/team';

export function finding(over: Partial<Finding> & Pick<Finding, 'rule' | 'severity' | 'message'>): Finding {
  return { messageId: 'm', data: {}, preexisting: false, ...over };
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
  });
  const partial: DatabaseResult = {
    ...unchanged('grove-curios-db'),
    head: { ok: false, migrations: 5, tables: 8 },
    delta: { ...emptyDelta(), tablesAdded: ['gallery_items'] },
  };
  return {
    schemaVersion: 1,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    conclusion: 'failure',
    databases: [unchanged('grove-zeta-db'), changedDatabase(), partial, unchanged('grove-auth-db')],
    findings: [
      finding({
        rule: 'duplicate-number',
        severity: 'error',
        message: 'Migration `0085_x.sql` shares number 0085 with `0085_y.sql`; @org/platform owns it',
        fix: 'Rename it to `0086_x.sql`.',
        database: 'grove-engine-db',
        file: 'libs/engine/migrations/0085_x.sql',
        line: 1,
      }),
      finding({
        rule: 'destructive-change',
        severity: 'warning',
        message: `Drops table ${HOSTILE_TABLE} <script>alert(1)</script> [click](http://evil) *bold*`,
        database: 'grove-engine-db',
        file: 'libs/engine/migrations/0085_x.sql',
        line: 3,
        table: HOSTILE_TABLE,
        details: ['- DROP TABLE legacy;', '```', '+ nothing'],
      }),
      finding({ rule: 'unindexed-foreign-key', severity: 'notice', message: 'posts.tenant_id has no index' }),
      finding({
        rule: 'duplicate-number',
        severity: 'notice',
        message: 'Old duplicate 0042 on main',
        file: 'libs/engine/migrations/0042_a.sql',
        line: 1,
        preexisting: true,
      }),
      finding({
        rule: 'table-budget',
        severity: 'warning',
        message: 'grove-engine-db has 120 tables',
        file: 'libs/engine/migrations/0085_x.sql',
        acknowledged: { reason: 'consolidation tracked in #42' },
      }),
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
  };
}
