/**
 * A mermaid `erDiagram` of the tables a PR adds or changes and their direct foreign-key neighbours, for the PR
 * comment (GitHub renders mermaid blocks). Names are reduced to what mermaid's grammar accepts, so a hostile table
 * name can't break the block or inject Markdown; an unrenderable diagram would show "Unable to render" instead.
 */
import type { SchemaDelta } from '../schema/delta.js';
import type { Schema, Table } from '../schema/model.js';

export interface DiagramOptions {
  /** Tables drawn at most (focus tables first); default 30. */
  maxTables?: number;
  /** Columns listed per table at most; default 12. */
  maxColumns?: number;
}

/** Mermaid entity and attribute names: letters, digits, `_` and `-`, starting with a letter or `_`. */
const safeName = (name: string): string => {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
};
/** Attribute types: one word of letters, digits and `_` (`VARCHAR(20)` → `VARCHAR_20_`); empty → `ANY`. */
const safeType = (type: string): string => type.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_') || 'ANY';
const label = (text: string): string => `"${text.replace(/["\\\r\n`<>]/g, ' ').slice(0, 60)}"`;

/** undefined when the PR adds or changes no table of this database. */
export function renderErDiagram(delta: SchemaDelta, head: Schema, opts: DiagramOptions = {}): string | undefined {
  const maxTables = opts.maxTables ?? 30;
  const maxColumns = opts.maxColumns ?? 12;
  const focus = [...delta.tablesAdded, ...delta.tablesRenamed.map((r) => r.to), ...delta.tablesChanged.map((t) => t.table)].filter(
    (name) => head.tables[name] !== undefined,
  );
  if (focus.length === 0) return undefined;
  const drawn = new Set(focus);
  // Direct neighbours: tables a focus table points at, and tables that point at a focus table.
  for (const name of focus) for (const fk of head.tables[name].foreignKeys) if (head.tables[fk.table]) drawn.add(fk.table);
  for (const table of Object.values(head.tables)) {
    if (table.foreignKeys.some((fk) => focus.includes(fk.table))) drawn.add(table.name);
  }
  const tables = [...drawn].slice(0, maxTables).map((n) => head.tables[n]);
  const shown = new Set(tables.map((t) => t.name));
  const lines = ['erDiagram'];
  for (const table of tables) lines.push(...entity(table, maxColumns));
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      if (!shown.has(fk.table)) continue;
      const many = !isUnique(table, fk.from);
      lines.push(`  ${safeName(fk.table)} ||--${many ? 'o{' : 'o|'} ${safeName(table.name)} : ${label(fk.from.join(', '))}`);
    }
  }
  if (drawn.size > tables.length) lines.push(`  %% ${drawn.size - tables.length} more tables not drawn`);
  return lines.join('\n');
}

function entity(table: Table, maxColumns: number): string[] {
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.from));
  const columns = table.columns.slice(0, maxColumns).map((c) => {
    const keys = [c.pk > 0 ? 'PK' : '', fkColumns.has(c.name) ? 'FK' : ''].filter(Boolean).join(', ');
    return `    ${safeType(c.type)} ${safeName(c.name)}${keys ? ` ${keys}` : ''}`;
  });
  if (table.columns.length > maxColumns) columns.push(`    more ${safeName(`${table.columns.length - maxColumns}_columns`)}`);
  return [`  ${safeName(table.name)} {`, ...columns, '  }'];
}

/** A foreign key whose columns are the primary key or a unique index makes a one-to-one link. */
function isUnique(table: Table, columns: string[]): boolean {
  const key = [...columns].sort().join('\0');
  const pk = table.columns.filter((c) => c.pk > 0).map((c) => c.name).sort().join('\0');
  return key === pk || table.indexes.some((i) => i.unique && [...i.columns].sort().join('\0') === key);
}
