/**
 * `--format json`: the schemaVersion 1 contract, rebuilt field by field so key order is the contract's whatever order
 * the producer used, names in arrays sorted, every array present, and optional finding fields only when set.
 * Databases are sorted by name; each database's `sources` keep their replay order; findings keep the engine's order.
 */
import type { Finding } from '../findings.js';
import type { DatabaseResult, ReviewResult } from '../result.js';
import type { Rename, SchemaDelta, TableDelta } from '../schema/delta.js';
import { byName } from '../schema/by-name.js';

const sorted = (names: readonly string[] | undefined) => [...(names ?? [])].sort(byName);
const sortedRenames = (renames: readonly Rename[] | undefined) =>
  [...(renames ?? [])].map((r) => ({ from: r.from, to: r.to })).sort((a, b) => byName(a.from, b.from) || byName(a.to, b.to));

function tableDelta(t: TableDelta) {
  return {
    table: t.table,
    columnsAdded: sorted(t.columnsAdded),
    columnsDropped: sorted(t.columnsDropped),
    columnsRenamed: sortedRenames(t.columnsRenamed),
    columnsChanged: [...(t.columnsChanged ?? [])]
      .map((c) => ({ column: c.column, changes: [...c.changes] }))
      .sort((a, b) => byName(a.column, b.column)),
    indexesAdded: sorted(t.indexesAdded),
    indexesDropped: sorted(t.indexesDropped),
    foreignKeysAdded: sorted(t.foreignKeysAdded),
    foreignKeysDropped: sorted(t.foreignKeysDropped),
    // Table-level changes in the order the diff found them (they read as a sentence, not a list of names).
    changes: [...(t.changes ?? [])],
  };
}

export function deltaJson(delta: SchemaDelta) {
  return {
    tablesAdded: sorted(delta.tablesAdded),
    tablesDropped: sorted(delta.tablesDropped),
    tablesRenamed: sortedRenames(delta.tablesRenamed),
    tablesChanged: [...(delta.tablesChanged ?? [])].map(tableDelta).sort((a, b) => byName(a.table, b.table)),
    viewsAdded: sorted(delta.viewsAdded),
    viewsDropped: sorted(delta.viewsDropped),
    viewsChanged: sorted(delta.viewsChanged),
    triggersAdded: sorted(delta.triggersAdded),
    triggersDropped: sorted(delta.triggersDropped),
    triggersChanged: sorted(delta.triggersChanged),
  };
}

function databaseJson(db: DatabaseResult) {
  const side = (s: DatabaseResult['base']) => ({ ok: s.ok, migrations: s.migrations, tables: s.tables });
  return {
    name: db.name,
    dialect: db.dialect,
    sources: db.sources.map((s) => ({ kind: s.kind, path: s.path })),
    base: side(db.base),
    head: side(db.head),
    delta: deltaJson(db.delta),
    touched: db.touched,
  };
}

function findingJson(f: Finding) {
  // undefined fields vanish in JSON.stringify, so optional keys appear only when set.
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    database: f.database,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    table: f.table,
    fix: f.fix,
    messageId: f.messageId,
    // Keys sorted: the same finding always prints the same bytes.
    data: Object.fromEntries(Object.entries(f.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    preexisting: f.preexisting,
    fingerprint: f.fingerprint,
    details: f.details,
    acknowledged: f.acknowledged ? { reason: f.acknowledged.reason, ...(f.acknowledged.by ? { by: f.acknowledged.by } : {}) } : undefined,
  };
}

export function reviewJson(result: ReviewResult) {
  return {
    schemaVersion: result.schemaVersion,
    base: result.base,
    head: result.head,
    conclusion: result.conclusion,
    databases: [...result.databases].map(databaseJson).sort((a, b) => byName(a.name, b.name)),
    findings: result.findings.map(findingJson),
    unattributed: sorted(result.unattributed),
    discovery: [...(result.discovery ?? [])]
      .map((d) => ({ database: d.database, source: d.source, kind: d.kind, reasons: [...d.reasons], guessed: d.guessed }))
      .sort((a, b) => byName(a.database, b.database) || byName(a.source, b.source)),
    docsUrl: result.docsUrl,
    ...(result.sandbox ? { sandbox: { isolation: result.sandbox.isolation, missing: [...result.sandbox.missing], refused: result.sandbox.refused } } : {}),
  };
}

export function renderJson(result: ReviewResult): string {
  return `${JSON.stringify(reviewJson(result), null, 2)}\n`;
}
