/**
 * Composes the `ALTER TABLE … RENAME` statements a PR's migrations ran into base → head name maps.
 *
 * Each base table (and each of its columns) is followed by identity through the events in order, so `a → b` then
 * `b → c` is `a → c`, and a rename back to the original name is no rename. Only objects that exist on base can be
 * renamed: in Drizzle's rebuild idiom (`CREATE TABLE __new_x` … `DROP TABLE x` … `ALTER TABLE __new_x RENAME TO x`)
 * `__new_x` never existed on base, so its rename is not a rename of anything and `x` stays `x` — a change, not a drop
 * plus an add. Renames are never guessed from similarity.
 *
 * The events must be the PR's own (those the head replay ran after base's history): an event from base history would
 * be applied a second time to a schema that already reflects it.
 */
import type { RenameEvent } from '../replay/types.js';
import type { Schema } from './model.js';

export interface ResolvedRenames {
  /** Base table name → head table name, only for tables whose name changed. */
  tables: Map<string, string>;
  /** Head table name → (base column name → head column name), only for columns whose name changed. */
  columns: Map<string, Map<string, string>>;
}

/** Tracks live names back to the base name they started as; lookups are case-insensitive, as SQLite's are. */
class NameTracker {
  /** lower(current name) → [current name, origin name] */
  private readonly live = new Map<string, [string, string]>();

  constructor(origins: Iterable<string>) {
    for (const name of origins) this.live.set(name.toLowerCase(), [name, name]);
  }

  originOf(current: string): string | undefined {
    return this.live.get(current.toLowerCase())?.[1];
  }

  rename(from: string, to: string): void {
    const entry = this.live.get(from.toLowerCase());
    if (!entry) return; // not a base object (created by the PR, like Drizzle's __new_x): nothing to follow
    this.live.delete(from.toLowerCase());
    // SQLite refuses a rename onto a live name, so whatever held `to` was dropped before: its identity ends here.
    this.live.set(to.toLowerCase(), [to, entry[1]]);
  }

  /** origin → current name, for origins whose name changed. */
  changed(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [current, origin] of this.live.values()) if (current !== origin) out.set(origin, current);
    return out;
  }

  currentOf(origin: string): string | undefined {
    for (const [current, o] of this.live.values()) if (o === origin) return current;
    return undefined;
  }
}

/** Strips one level of SQL identifier quoting, in case an event carries the name as written. */
export function unquoteIdentifier(name: string): string {
  const t = name.trim();
  const first = t[0];
  const last = t[t.length - 1];
  if (t.length >= 2 && ((first === '"' && last === '"') || (first === '`' && last === '`'))) {
    return t.slice(1, -1).split(first + first).join(first);
  }
  if (first === '[' && last === ']') return t.slice(1, -1); // one character cannot be both
  return t;
}

export function resolveRenames(events: RenameEvent[], base: Schema): ResolvedRenames {
  const tables = new NameTracker(Object.keys(base.tables));
  const columnTrackers = new Map<string /* origin table */, NameTracker>();

  for (const event of events) {
    const from = unquoteIdentifier(event.from);
    const to = unquoteIdentifier(event.to);
    if (event.kind === 'table') {
      tables.rename(from, to);
      continue;
    }
    const origin = tables.originOf(unquoteIdentifier(event.table));
    if (origin === undefined) continue; // a column of a table the PR created
    let columns = columnTrackers.get(origin);
    if (!columns) {
      columns = new NameTracker(base.tables[origin].columns.map((c) => c.name));
      columnTrackers.set(origin, columns);
    }
    columns.rename(from, to);
  }

  const columns = new Map<string, Map<string, string>>();
  for (const [origin, tracker] of columnTrackers) {
    const changed = tracker.changed();
    const headTable = tables.currentOf(origin);
    if (changed.size > 0 && headTable !== undefined) columns.set(headTable, changed);
  }
  return { tables: tables.changed(), columns };
}
