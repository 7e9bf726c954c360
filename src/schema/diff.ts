/**
 * Base → head difference of one database's schema.
 *
 * Objects are matched by identity: a base table or column is followed through the renames the PR's migrations ran
 * (see renames.ts), otherwise it is the head object of the same name (SQLite's names are case-insensitive). A table
 * dropped and recreated under its own name — Drizzle's `__new_x` rebuild, or the older `RENAME TO x_old` rebuild — is
 * therefore a change of that table. Indexes and foreign keys are compared by definition with base names mapped
 * through the renames, because SQLite rewrites them in place when a table or column is renamed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RenameEvent } from '../replay/types.js';
import { byName } from './by-name.js';
import type { ColumnChange, Rename, SchemaDelta, TableDelta } from './delta.js';
import { describeColumnChanges } from './describe-column.js';
import { describeForeignKey } from './describe-foreign-key.js';
import type { ForeignKey, Index, Schema, Table } from './model.js';
import { normalizeSql, sqlTokens, type IdentifierMapper } from './normalize-sql.js';
import { resolveRenames } from './renames.js';
import { tableConstraints } from './table-constraints.js';

export interface DiffOptions {
  /**
   * Skip the comparison of a table whose definition is unchanged and that no rename touches (nor the tables its
   * foreign keys name): it cannot differ. Default true; tests turn it off to check that it changes nothing.
   */
  skipUnchanged?: boolean;
}

interface Pair {
  base: string;
  head: string;
  /** true when a rename event moved it (not a same-name match). */
  renamed: boolean;
}

interface Pairing {
  pairs: Pair[];
  dropped: string[];
  added: string[];
}

/** Matches base names to head names: rename targets first, then the same name (exact, else case-insensitive). */
function pairNames(baseNames: string[], headNames: string[], renamed: Map<string, string> | undefined): Pairing {
  const headSet = new Set(headNames);
  const headByLower = new Map(headNames.map((n) => [n.toLowerCase(), n]));
  const findHead = (name: string) => (headSet.has(name) ? name : headByLower.get(name.toLowerCase()));

  const targets = new Map<string, string>();
  const claimed = new Set<string>();
  // resolveRenames follows base objects only, so every `from` is a base name.
  for (const [from, to] of renamed ?? []) {
    const head = findHead(to);
    if (head !== undefined) {
      targets.set(from, head);
      claimed.add(head);
    }
  }

  const pairs: Pair[] = [];
  const dropped: string[] = [];
  const used = new Set<string>();
  for (const base of baseNames) {
    const target = targets.get(base);
    if (target !== undefined) {
      pairs.push({ base, head: target, renamed: true });
      used.add(target);
      continue;
    }
    // A rename whose target is gone again falls back to identity: `RENAME TO x_old` + new `x` is a rebuild of x.
    const same = findHead(base);
    if (same !== undefined && !claimed.has(same) && !used.has(same)) {
      pairs.push({ base, head: same, renamed: false });
      used.add(same);
    } else {
      dropped.push(base);
    }
  }
  return { pairs, dropped, added: headNames.filter((h) => !used.has(h)) };
}

/** Removes what the two lists share (as multisets, by key); what is left was dropped or added. */
function multisetDiff<T>(base: T[], head: T[], baseKey: (x: T) => string, headKey: (x: T) => string) {
  const remaining = new Map<string, number>();
  for (const h of head) remaining.set(headKey(h), (remaining.get(headKey(h)) ?? 0) + 1);
  const dropped: T[] = [];
  for (const b of base) {
    const key = baseKey(b);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else dropped.push(b);
  }
  const added: T[] = [];
  for (const h of head) {
    const key = headKey(h);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      added.push(h);
    }
  }
  return { dropped, added };
}

const mapperOf =
  (map: Map<string, string>): IdentifierMapper =>
  (lower) =>
    map.get(lower);

/** What an index means, without its name or table: the key list, collation, order, WHERE, uniqueness. */
function indexSignature(index: Index, mapColumn: IdentifierMapper): string {
  if (index.sql !== null) {
    const tokens = sqlTokens(index.sql, mapColumn);
    let at = tokens.indexOf('"index"') + 2; // past CREATE [UNIQUE] INDEX <name>
    if (tokens[at] === '.') at += 2; // schema-qualified name
    const body = tokens[at] === '"on"' ? tokens.slice(at + 2) : tokens;
    return `${index.unique ? 'unique ' : ''}${body.join(' ')}`;
  }
  const columns = index.columns.map((c) => mapColumn(c.toLowerCase()) ?? c.toLowerCase());
  return `${index.origin} ${index.unique ? 'unique' : ''} (${columns.join(',')}) where ${index.where ?? ''}`;
}

export function diffSchemas(base: Schema, head: Schema, renames: RenameEvent[], options: DiffOptions = {}): SchemaDelta {
  const skipUnchanged = options.skipUnchanged ?? true;
  const resolved = resolveRenames(renames, base);
  const columnRenamesByHead = new Map([...resolved.columns].map(([table, cols]) => [table.toLowerCase(), cols]));

  const tablePairing = pairNames(Object.keys(base.tables), Object.keys(head.tables), resolved.tables);

  // lower(base table) → head table, and lower(base table) → (lower(base column) → head column), for every match.
  const tableMap = new Map<string, string>();
  const columnMaps = new Map<string, Map<string, string>>();
  const columnPairings = new Map<string, Pairing>();
  // Same-name pairs with an identical definition and no column renames (a re-review shares most Table objects).
  const unchanged = new Set<string>();
  for (const pair of tablePairing.pairs) {
    const columnRenames = columnRenamesByHead.get(pair.head.toLowerCase());
    const b = base.tables[pair.base];
    const h = head.tables[pair.head];
    // A renamed pair never has the same definition: a Table carries its name.
    const same = skipUnchanged && columnRenames === undefined && sameDefinition(b, h);
    if (same) unchanged.add(pair.base);
    // Identical column lists without renames pair every column with itself: what pairNames would find.
    const columnPairing = same
      ? { pairs: b.columns.map((c) => ({ base: c.name, head: c.name, renamed: false })), dropped: [], added: [] }
      : pairNames(
          b.columns.map((c) => c.name),
          h.columns.map((c) => c.name),
          columnRenames,
        );
    columnPairings.set(pair.base, columnPairing);
    tableMap.set(pair.base.toLowerCase(), pair.head);
    columnMaps.set(pair.base.toLowerCase(), new Map(columnPairing.pairs.map((p) => [p.base.toLowerCase(), p.head])));
  }

  const mapForeignKey = (fk: ForeignKey, childColumns: Map<string, string>): ForeignKey => {
    const parentColumns = columnMaps.get(fk.table.toLowerCase());
    return {
      ...fk,
      from: fk.from.map((c) => childColumns.get(c.toLowerCase()) ?? c),
      table: tableMap.get(fk.table.toLowerCase()) ?? fk.table,
      to: fk.to.map((c) => parentColumns?.get(c.toLowerCase()) ?? c),
    };
  };

  /** Names as compared (lower-cased) stay the same through the maps: the comparison would find the FKs equal too. */
  const keepsName = (map: Map<string, string> | undefined, name: string) => {
    const lower = name.toLowerCase();
    const mapped = map?.get(lower);
    return mapped === undefined || mapped.toLowerCase() === lower;
  };
  const foreignKeysUnmoved = (table: Table) =>
    table.foreignKeys.every(
      (fk) => keepsName(tableMap, fk.table) && fk.to.every((c) => keepsName(columnMaps.get(fk.table.toLowerCase()), c)),
    );

  const tablesChanged: TableDelta[] = [];
  const tablesRenamed: Rename[] = [];
  for (const pair of tablePairing.pairs) {
    if (pair.renamed) tablesRenamed.push({ from: pair.base, to: pair.head });
    if (unchanged.has(pair.base) && foreignKeysUnmoved(base.tables[pair.base])) continue;
    const delta = diffTable(
      base.tables[pair.base],
      head.tables[pair.head],
      columnPairings.get(pair.base)!,
      columnMaps.get(pair.base.toLowerCase())!,
      mapForeignKey,
    );
    if (delta) tablesChanged.push(delta);
  }

  // Views and triggers: SQLite rewrites their text on renames, so map base names before comparing.
  const globalColumnMap = unambiguousColumnRenames(columnMaps);
  const mapAny: IdentifierMapper = (lower) => tableMap.get(lower) ?? globalColumnMap.get(lower);
  // With no name mapped to another, equal text normalizes equally: no need to tokenize it.
  const mapsNothing = skipUnchanged && globalColumnMap.size === 0 && [...tableMap].every(([lower, to]) => to.toLowerCase() === lower);
  const views = diffByName(base.views, head.views, mapAny, mapsNothing);
  const triggers = diffByName(base.triggers, head.triggers, mapAny, mapsNothing);

  return {
    tablesAdded: tablePairing.added.sort(byName),
    tablesDropped: tablePairing.dropped.sort(byName),
    // Each base name is renamed at most once: `from` alone orders them.
    tablesRenamed: tablesRenamed.sort((a, b) => byName(a.from, b.from)),
    tablesChanged: tablesChanged.sort((a, b) => byName(a.table, b.table)),
    viewsAdded: views.added,
    viewsDropped: views.dropped,
    viewsChanged: views.changed,
    triggersAdded: triggers.added,
    triggersDropped: triggers.dropped,
    triggersChanged: triggers.changed,
  };
}

/** Column renames usable in SQL text where the table is not known: only those every table agrees on. */
function unambiguousColumnRenames(columnMaps: Map<string, Map<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const columns of columnMaps.values()) {
    for (const [lower, head] of columns) {
      if (head.toLowerCase() === lower) continue;
      const seen = out.get(lower);
      if (seen !== undefined && seen.toLowerCase() !== head.toLowerCase()) conflicting.add(lower);
      out.set(lower, head);
    }
  }
  for (const lower of conflicting) out.delete(lower);
  return out;
}

function diffByName(
  base: Record<string, { sql: string | null }>,
  head: Record<string, { sql: string | null }>,
  mapBase: IdentifierMapper,
  mapsNothing: boolean,
): { added: string[]; dropped: string[]; changed: string[] } {
  const pairing = pairNames(Object.keys(base), Object.keys(head), undefined);
  const changed = pairing.pairs
    .filter((p) => !(mapsNothing && base[p.base].sql === head[p.head].sql))
    .filter((p) => normalizeSql(base[p.base].sql, mapBase) !== normalizeSql(head[p.head].sql))
    .map((p) => p.head);
  return { added: pairing.added.sort(byName), dropped: pairing.dropped.sort(byName), changed: changed.sort(byName) };
}

/** The same Table object (a re-review shares them), or one read back identically. */
function sameDefinition(base: Table, head: Table): boolean {
  return base === head || isDeepStrictEqual(base, head);
}

function diffTable(
  base: Table,
  head: Table,
  columns: Pairing,
  columnMap: Map<string, string>,
  mapForeignKey: (fk: ForeignKey, childColumns: Map<string, string>) => ForeignKey,
): TableDelta | null {
  const baseColumns = new Map(base.columns.map((c) => [c.name, c]));
  const headColumns = new Map(head.columns.map((c) => [c.name, c]));

  const columnsRenamed: Rename[] = [];
  const columnsChanged: ColumnChange[] = [];
  for (const pair of columns.pairs) {
    if (pair.renamed) columnsRenamed.push({ from: pair.base, to: pair.head });
    const changes = describeColumnChanges(baseColumns.get(pair.base)!, headColumns.get(pair.head)!);
    if (changes.length > 0) columnsChanged.push({ column: pair.head, changes });
  }

  const mapColumn = mapperOf(columnMap);
  const baseConstraints = tableConstraints(base.sql, mapColumn);
  const headConstraints = tableConstraints(head.sql);
  for (const pair of columns.pairs) {
    const before = baseConstraints.collations.get(pair.base.toLowerCase()) ?? 'BINARY';
    const after = headConstraints.collations.get(pair.head.toLowerCase()) ?? 'BINARY';
    if (before.toUpperCase() === after.toUpperCase()) continue;
    const change = `collation ${before} → ${after}`;
    const existing = columnsChanged.find((c) => c.column === pair.head);
    if (existing) existing.changes.push(change);
    else columnsChanged.push({ column: pair.head, changes: [change] });
  }

  const indexes = multisetDiff(
    base.indexes,
    head.indexes,
    (ix) => indexSignature(ix, mapColumn),
    (ix) => indexSignature(ix, () => undefined),
  );

  const foreignKeys = multisetDiff(
    base.foreignKeys,
    head.foreignKeys,
    (fk) => describeForeignKey(mapForeignKey(fk, columnMap)).toLowerCase(),
    (fk) => describeForeignKey(fk).toLowerCase(),
  );

  const changes: string[] = [];
  const kindLabel = (kind: Table['kind']) => (kind === 'virtual' ? 'virtual table' : 'ordinary table');
  if (base.kind !== head.kind) changes.push(`${kindLabel(base.kind)} → ${kindLabel(head.kind)}`);
  if (base.strict !== head.strict) changes.push(head.strict ? 'STRICT added' : 'STRICT removed');
  if (base.withoutRowid !== head.withoutRowid) changes.push(head.withoutRowid ? 'WITHOUT ROWID added' : 'WITHOUT ROWID removed');
  for (const kind of ['unique', 'checks'] as const) {
    const diff = multisetDiff(baseConstraints[kind], headConstraints[kind], (c) => c.key, (c) => c.key);
    for (const c of diff.dropped) changes.push(`${c.text} removed`);
    for (const c of diff.added) changes.push(`${c.text} added`);
  }

  const delta: TableDelta = {
    table: head.name,
    columnsAdded: [...columns.added].sort(byName),
    columnsDropped: [...columns.dropped].sort(byName),
    columnsRenamed: columnsRenamed.sort((a, b) => byName(a.from, b.from)),
    columnsChanged: columnsChanged.sort((a, b) => byName(a.column, b.column)),
    indexesAdded: indexes.added.map((ix) => ix.name).sort(byName),
    indexesDropped: indexes.dropped.map((ix) => ix.name).sort(byName),
    foreignKeysAdded: foreignKeys.added.map(describeForeignKey).sort(byName),
    foreignKeysDropped: foreignKeys.dropped.map(describeForeignKey).sort(byName),
    changes,
  };
  const changed =
    changes.length > 0 ||
    delta.columnsAdded.length + delta.columnsDropped.length + delta.columnsRenamed.length > 0 ||
    delta.columnsChanged.length + delta.indexesAdded.length + delta.indexesDropped.length > 0 ||
    delta.foreignKeysAdded.length + delta.foreignKeysDropped.length > 0;
  return changed ? delta : null;
}
