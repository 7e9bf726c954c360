/**
 * Turns the three shapes a SQLite schema comes in — a legacy drizzle-kit snapshot (`tables`), a drizzle-kit 1.x
 * snapshot (`ddl` entities) and a replayed Schema — into one comparable shape. Snapshot JSON is untrusted input:
 * anything malformed throws a SnapshotShapeError with a short reason.
 */
import type { Schema } from '../schema/model.js';
import type { NormalizedColumn, NormalizedSchema, NormalizedTable } from './types.js';

/**
 * A record keyed by names from the PR's schema or snapshots: no prototype, so `constructor` or `__proto__` are just
 * names (a plain `{}` would answer `constructor` with Object's function, and swallow `__proto__`).
 */
const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export class SnapshotShapeError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, what: string): Json => {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new SnapshotShapeError(`${what} is not an object`);
  return v;
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new SnapshotShapeError(`${what} is not a string`);
  return v;
};
const strList = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SnapshotShapeError(`${what} is not a list of names`);
  return v as string[];
};

/** `(unixepoch())` and `unixepoch()` are the same default; SQLite's pragma drops the outer parentheses. */
export function normalizeDefault(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  // One pass finds where each `(` closes; then the outer pairs that wrap all the rest are peeled off. Peeling by
  // re-checking the inner text each time was quadratic: a snapshot default nested 100,000 deep took minutes.
  const closes = closingParens(text);
  let start = 0;
  let end = text.length;
  while (text[start] === '(' && text[end - 1] === ')' && closes[start] === end - 1) {
    start++;
    end--;
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
  }
  return text.slice(start, end);
}

const isSpace = (ch: string): boolean => ch.trim() === '';

/** For each offset holding a `(` outside quotes, the offset of its `)`; -1 elsewhere and for unclosed ones. */
function closingParens(text: string): Int32Array {
  const closes = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') open.push(i);
    else if (ch === ')') {
      const at = open.pop();
      if (at === undefined) break; // a `)` that closes nothing: no outer pair can wrap the text
      closes[at] = i;
    }
  }
  return closes;
}

const action = (v: unknown): string => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : 'NO ACTION');

export const foreignKeyText = (from: string[], table: string, to: string[], onDelete: unknown, onUpdate: unknown): string =>
  `(${from.join(', ')}) → ${table}(${to.join(', ')}) ON DELETE ${action(onDelete)} ON UPDATE ${action(onUpdate)}`;

const column = (type: string, notNull: boolean, dflt: unknown, pk: boolean, autoincrement: boolean | null): NormalizedColumn => ({
  type: type.trim().toUpperCase(),
  // A primary key column's NOT NULL is spelled differently by each source (v1 leaves it to the pk entity).
  notNull: notNull || pk,
  default: normalizeDefault(dflt),
  pk,
  autoincrement,
});

/**
 * An index key as a snapshot writes it: `author_id`, or `"created_at" desc` / `"title" collate nocase` for a column with
 * a direction or collation. SQLite's pragma reports only the column name, so both sides are compared by name; anything
 * else (a real expression) stays as written.
 */
const KEY = /^\s*(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*))(?:\s+collate\s+(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_]*))?(?:\s+(?:asc|desc))?\s*$/i;
export function indexKeyName(text: string): string {
  const m = KEY.exec(text);
  if (!m) return text;
  return m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3] ?? m[4];
}

const emptyTable = (): NormalizedTable => ({ columns: dict(), indexes: dict(), foreignKeys: [], uniques: dict(), checks: dict() });

/** A legacy (drizzle-kit 0.x) sqlite snapshot: `{ tables: { name: { columns, indexes, foreignKeys, … } }, views }`. */
export function normalizeLegacySnapshot(json: unknown): NormalizedSchema {
  const root = obj(json, 'the snapshot');
  const out: NormalizedSchema = { tables: dict(), views: dict() };
  for (const [key, raw] of Object.entries(obj(root.tables, 'tables'))) {
    const t = obj(raw, `table ${key}`);
    const name = typeof t.name === 'string' ? t.name : key;
    const table = emptyTable();
    const pkColumns = new Set<string>();
    for (const pk of Object.values(obj(t.compositePrimaryKeys, `${name}.compositePrimaryKeys`))) {
      const p = obj(pk, `${name} primary key`);
      for (const c of strList(p.columns, `${name} primary key columns`)) pkColumns.add(c);
    }
    for (const [ckey, craw] of Object.entries(obj(t.columns, `${name}.columns`))) {
      const c = obj(craw, `column ${name}.${ckey}`);
      const cname = typeof c.name === 'string' ? c.name : ckey;
      table.columns[cname] = column(
        str(c.type, `${name}.${cname}.type`),
        c.notNull === true,
        c.default,
        c.primaryKey === true || pkColumns.has(cname),
        c.autoincrement === true,
      );
    }
    for (const [ikey, iraw] of Object.entries(obj(t.indexes, `${name}.indexes`))) {
      const ix = obj(iraw, `index ${ikey}`);
      table.indexes[typeof ix.name === 'string' ? ix.name : ikey] = {
        unique: ix.isUnique === true,
        columns: strList(ix.columns, `index ${ikey} columns`).map(indexKeyName),
        where: typeof ix.where === 'string' ? ix.where : null,
      };
    }
    for (const [fkey, fraw] of Object.entries(obj(t.foreignKeys, `${name}.foreignKeys`))) {
      const fk = obj(fraw, `foreign key ${fkey}`);
      table.foreignKeys.push(
        foreignKeyText(
          strList(fk.columnsFrom, `${fkey}.columnsFrom`),
          str(fk.tableTo, `${fkey}.tableTo`),
          strList(fk.columnsTo, `${fkey}.columnsTo`),
          fk.onDelete,
          fk.onUpdate,
        ),
      );
    }
    for (const [ukey, uraw] of Object.entries(obj(t.uniqueConstraints, `${name}.uniqueConstraints`))) {
      table.uniques![ukey] = strList(obj(uraw, `unique ${ukey}`).columns, `unique ${ukey} columns`);
    }
    for (const [ckey, craw] of Object.entries(obj(t.checkConstraints, `${name}.checkConstraints`))) {
      table.checks![ckey] = String(obj(craw, `check ${ckey}`).value ?? '');
    }
    table.foreignKeys.sort();
    out.tables[name] = table;
  }
  for (const [key, raw] of Object.entries(obj(root.views, 'views'))) {
    const v = obj(raw, `view ${key}`);
    out.views[key] = typeof v.definition === 'string' ? v.definition : null;
  }
  return out;
}

/** A drizzle-kit 1.x sqlite snapshot: `{ prevIds, ddl: [{ entityType: 'tables' | 'columns' | 'indexes' | 'fks' | 'pks' | … }] }`. */
export function normalizeV1Snapshot(json: unknown): NormalizedSchema {
  const root = obj(json, 'the snapshot');
  if (!Array.isArray(root.ddl)) throw new SnapshotShapeError('ddl is not a list');
  const out: NormalizedSchema = { tables: dict(), views: dict() };
  const tableOf = (e: Json): NormalizedTable => {
    const name = str(e.table, `${String(e.entityType)} ${String(e.name)}: table`);
    return (out.tables[name] ??= emptyTable());
  };
  const entities = root.ddl.map((e, i) => obj(e, `ddl[${i}]`));
  const pks = new Map<string, Set<string>>();
  for (const e of entities) {
    if (e.entityType === 'tables') out.tables[str(e.name, 'table name')] ??= emptyTable();
    if (e.entityType === 'pks') {
      const t = str(e.table, 'pk table');
      for (const c of strList(e.columns, `pk ${String(e.name)} columns`)) (pks.get(t) ?? pks.set(t, new Set()).get(t)!).add(c);
    }
  }
  for (const e of entities) {
    switch (e.entityType) {
      case 'columns': {
        const t = str(e.table, 'column table');
        const name = str(e.name, 'column name');
        tableOf(e).columns[name] = column(
          str(e.type, `${t}.${name}.type`),
          e.notNull === true,
          e.default,
          pks.get(t)?.has(name) === true,
          e.autoincrement === true,
        );
        break;
      }
      case 'indexes': {
        const cols = Array.isArray(e.columns) ? e.columns : [];
        tableOf(e).indexes[str(e.name, 'index name')] = {
          unique: e.isUnique === true,
          columns: cols.map((c) => (isObject(c) ? (c.isExpression ? '<expr>' : indexKeyName(String(c.value))) : indexKeyName(String(c)))),
          where: typeof e.where === 'string' ? e.where : null,
        };
        break;
      }
      case 'fks':
        tableOf(e).foreignKeys.push(
          foreignKeyText(strList(e.columns, 'fk columns'), str(e.tableTo, 'fk tableTo'), strList(e.columnsTo, 'fk columnsTo'), e.onDelete, e.onUpdate),
        );
        break;
      case 'uniques':
        tableOf(e).uniques![str(e.name, 'unique name')] = strList(e.columns, 'unique columns');
        break;
      case 'checks':
        tableOf(e).checks![str(e.name, 'check name')] = String(e.value ?? '');
        break;
      case 'views':
        out.views[str(e.name, 'view name')] = typeof e.definition === 'string' ? e.definition : null;
        break;
    }
  }
  for (const t of Object.values(out.tables)) t.foreignKeys.sort();
  return out;
}

/** A replayed schema (what SQLite reports). Auto-indexes, UNIQUE and CHECK constraints are invisible here. */
export function normalizeReplayed(schema: Schema): NormalizedSchema {
  const out: NormalizedSchema = { tables: dict(), views: dict() };
  for (const t of Object.values(schema.tables)) {
    if (t.kind !== 'table' || t.name === '__drizzle_migrations') continue;
    const table: NormalizedTable = { columns: dict(), indexes: dict(), foreignKeys: [], uniques: null, checks: null };
    for (const c of t.columns) table.columns[c.name] = column(c.type, c.notNull, c.default, c.pk > 0, null);
    for (const ix of t.indexes) {
      if (ix.origin !== 'c') continue;
      table.indexes[ix.name] = { unique: ix.unique, columns: ix.columns, where: ix.where };
    }
    for (const fk of t.foreignKeys) {
      const parent = Object.hasOwn(schema.tables, fk.table) ? schema.tables[fk.table] : undefined;
      const to = fk.to.length ? fk.to : (parent?.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name) ?? []);
      table.foreignKeys.push(foreignKeyText(fk.from, fk.table, to, fk.onDelete, fk.onUpdate));
    }
    table.foreignKeys.sort();
    out.tables[t.name] = table;
  }
  for (const v of Object.values(schema.views)) out.views[v.name] = null;
  return out;
}

export function normalizeSnapshot(json: unknown): NormalizedSchema {
  return isObject(json) && Array.isArray(json.ddl) ? normalizeV1Snapshot(json) : normalizeLegacySnapshot(json);
}
