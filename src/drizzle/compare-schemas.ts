/**
 * Structural comparison of two normalized schemas, one readable line per difference. Used for drift (replayed SQL vs
 * the latest snapshot) and staleness (schema.ts vs the latest snapshot). Facts one side can't see (null) are skipped.
 */
import type { NormalizedIndex, NormalizedSchema, NormalizedTable } from './types.js';

export interface CompareLabels {
  /** e.g. "the migrations", "schema.ts" */
  left: string;
  /** e.g. "the snapshot" */
  right: string;
}

export interface CompareOptions {
  /** Ignore tables only the left side has (the database has other folders that create them). */
  ignoreLeftOnlyTables?: boolean;
  /** Ignore tables only the right side has (a replayed schema holds tables schema.ts leaves to hand-written SQL). */
  ignoreRightOnlyTables?: boolean;
}

const sorted = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();
// A replayed schema shows an expression key as `<expr>` while snapshots spell it out: compare expressions as such.
const keyText = (c: string): string => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(c) ? c : '<expr>');
const whereText = (w: string): string => w.replace(/\s+/g, ' ').trim();
const indexText = (ix: NormalizedIndex): string =>
  `${ix.unique ? 'UNIQUE ' : ''}(${ix.columns.map(keyText).join(', ')})${ix.where ? ` WHERE ${whereText(ix.where)}` : ''}`;

export function compareSchemas(left: NormalizedSchema, right: NormalizedSchema, labels: CompareLabels, options: CompareOptions = {}): string[] {
  const out: string[] = [];
  const { left: L, right: R } = labels;
  for (const name of sorted([...Object.keys(left.tables), ...Object.keys(right.tables)])) {
    const a = left.tables[name];
    const b = right.tables[name];
    if (a && !b) {
      if (!options.ignoreLeftOnlyTables) out.push(`table ${name}: in ${L}, not in ${R}`);
    } else if (!a && b) {
      if (!options.ignoreRightOnlyTables) out.push(`table ${name}: in ${R}, not in ${L}`);
    }
    else if (a && b) compareTables(name, a, b, labels, out);
  }
  for (const name of sorted([...Object.keys(left.views), ...Object.keys(right.views)])) {
    const a = left.views[name];
    const b = right.views[name];
    if (!(name in right.views)) out.push(`view ${name}: in ${L}, not in ${R}`);
    else if (!(name in left.views)) out.push(`view ${name}: in ${R}, not in ${L}`);
    else if (a !== null && b !== null && a.replace(/\s+/g, ' ').trim() !== b.replace(/\s+/g, ' ').trim()) {
      out.push(`view ${name}: its definition differs between ${L} and ${R}`);
    }
  }
  return out;
}

function compareTables(table: string, a: NormalizedTable, b: NormalizedTable, { left: L, right: R }: CompareLabels, out: string[]): void {
  for (const name of sorted([...Object.keys(a.columns), ...Object.keys(b.columns)])) {
    const x = a.columns[name];
    const y = b.columns[name];
    const at = `${table}.${name}`;
    if (x && !y) out.push(`${at}: column in ${L}, not in ${R}`);
    else if (!x && y) out.push(`${at}: column in ${R}, not in ${L}`);
    else if (x && y) {
      if (x.type !== y.type) out.push(`${at}: type ${x.type || '(none)'} in ${L}, ${y.type || '(none)'} in ${R}`);
      if (x.notNull !== y.notNull) out.push(`${at}: ${x.notNull ? 'NOT NULL' : 'nullable'} in ${L}, ${y.notNull ? 'NOT NULL' : 'nullable'} in ${R}`);
      if (x.default !== y.default) out.push(`${at}: default ${x.default ?? 'none'} in ${L}, ${y.default ?? 'none'} in ${R}`);
      if (x.pk !== y.pk) out.push(`${at}: ${x.pk ? 'part of' : 'not in'} the primary key in ${L}, ${y.pk ? 'part of' : 'not in'} it in ${R}`);
      if (x.autoincrement !== null && y.autoincrement !== null && x.autoincrement !== y.autoincrement) {
        out.push(`${at}: AUTOINCREMENT ${x.autoincrement ? 'on' : 'off'} in ${L}, ${y.autoincrement ? 'on' : 'off'} in ${R}`);
      }
    }
  }
  // `.unique()` is a unique index in drizzle-kit 0.x snapshots and a UNIQUE constraint elsewhere (drizzle-kit 1.x,
  // older snapshots): the same name over the same columns is the same thing, whichever way each side spells it.
  const sameUnique = (ix: NormalizedIndex | undefined, cols: string[] | undefined) =>
    ix !== undefined && cols !== undefined && ix.unique && ix.where === null && ix.columns.join('\u0000') === cols.join('\u0000');
  const matched = new Set<string>();
  for (const name of sorted([...Object.keys(a.indexes), ...Object.keys(b.indexes)])) {
    const x = a.indexes[name];
    const y = b.indexes[name];
    if ((x && !y && sameUnique(x, b.uniques?.[name])) || (!x && y && sameUnique(y, a.uniques?.[name]))) {
      matched.add(name);
      continue;
    }
    if (x && !y) out.push(`${table}: index ${name} in ${L}, not in ${R}`);
    else if (!x && y) out.push(`${table}: index ${name} in ${R}, not in ${L}`);
    else if (x && y && indexText(x) !== indexText(y)) out.push(`${table}: index ${name} is ${indexText(x)} in ${L}, ${indexText(y)} in ${R}`);
  }
  for (const fk of a.foreignKeys) if (!b.foreignKeys.includes(fk)) out.push(`${table}: foreign key ${fk} in ${L}, not in ${R}`);
  for (const fk of b.foreignKeys) if (!a.foreignKeys.includes(fk)) out.push(`${table}: foreign key ${fk} in ${R}, not in ${L}`);
  if (a.uniques && b.uniques) {
    for (const name of sorted([...Object.keys(a.uniques), ...Object.keys(b.uniques)])) {
      if (matched.has(name)) continue;
      const x = a.uniques[name]?.join(', ');
      const y = b.uniques[name]?.join(', ');
      if (x !== y) out.push(`${table}: unique constraint ${name} is ${x ? `(${x})` : 'absent'} in ${L}, ${y ? `(${y})` : 'absent'} in ${R}`);
    }
  }
  if (a.checks && b.checks) {
    for (const name of sorted([...Object.keys(a.checks), ...Object.keys(b.checks)])) {
      if (a.checks[name] !== b.checks[name]) {
        out.push(`${table}: check constraint ${name} is ${a.checks[name] ?? 'absent'} in ${L}, ${b.checks[name] ?? 'absent'} in ${R}`);
      }
    }
  }
}
