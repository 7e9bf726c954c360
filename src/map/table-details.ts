/**
 * One table in depth (`safari table <name>`, the App's `/safari table <name>`): the database(s) holding it, its
 * columns, indexes and foreign keys as SQLite reports them after replay, the tables whose foreign keys point at it,
 * the migration statements that created and changed it (file:line, following renames back), the code that uses it,
 * and Durable Objects that create a table of the same name.
 */
import type { MigrationFile } from '../discover/types.js';
import { codeSpan } from '../render/markdown-escape.js';
import { singleLine } from '../render/control-chars.js';
import { fileOperations } from '../rules/shared/pr-operations.js';
import type { TableOperation } from '../rules/shared/sql-operations.js';
import { findTable } from '../rules/shared/tables.js';
import type { CodeReference } from '../rules/types.js';
import type { Table } from '../schema/model.js';
import type { ReplaySandbox } from '../replay/sandbox.js';
import type { Tree } from '../source/types.js';
import { isTestFile } from './embedded-tables.js';
import { inventoryRepository, type MapOptions, type RepositoryInventory } from './map.js';

export interface TableChange {
  file: string;
  line: number;
  /** What the statement did, in Safari's words, `{0}`/`{1}` standing for `names`: `added column {0}`. */
  action: string;
  /** Names from the statement (columns, indexes, old and new table names). */
  names: string[];
  /** The action with the names filled in: `added column email`. */
  text: string;
}

export interface DatabaseTable {
  database: string;
  domain: string | null;
  /** The table as replayed; null when migrations created it and later dropped or renamed it away. */
  table: Table | null;
  /** Tables whose foreign keys reference this one. */
  referencedBy: { table: string; columns: string[] }[];
  history: TableChange[];
  /** Application files that use the table, test files that do, and the first few references (tests included). */
  references: { files: number; testFiles: number; sample: CodeReference[] };
}

export interface TableDetails {
  name: string;
  found: boolean;
  databases: DatabaseTable[];
  embedded: { file: string; class: string | null; line: number; columns: string[] }[];
  /** When nothing is found: table names that contain the one asked for. */
  suggestions: string[];
}

const SAMPLE = 5;

function describe(op: TableOperation): [action: string, names: string[]] {
  switch (op.kind) {
    case 'create-table':
      return ['created', []];
    case 'drop-table':
      return ['dropped', []];
    case 'rename-table':
      return ['renamed {0} to {1}', [op.table, op.to]];
    case 'add-column':
      return ['added column {0}', [op.column]];
    case 'drop-column':
      return ['dropped column {0}', [op.column]];
    case 'rename-column':
      return ['renamed column {0} to {1}', [op.column, op.to]];
    case 'alter-table':
      return ['altered', []];
    case 'create-index':
      return ['created index {0}', [op.index]];
    case 'create-trigger':
      return ['created trigger {0}', [op.trigger]];
    case 'insert':
      return ['rows inserted', []];
  }
}

const fill = (action: string, names: readonly string[], show: (name: string) => string) =>
  action.replace(/\{(\d)\}/g, (_m, i: string) => show(names[Number(i)] ?? ''));

function change(file: string, line: number, [action, names]: [string, string[]]): TableChange {
  return { file, line, action, names, text: fill(action, names, (n) => n) };
}

/** The statements that shaped `name`, in apply order, following `ALTER TABLE … RENAME TO name` back to older names. */
export function tableHistory(files: readonly MigrationFile[], name: string): TableChange[] {
  const ops = files.flatMap(fileOperations);
  const names = new Set([name.toLowerCase()]);
  const picked: TableChange[] = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const { op, file, line } = ops[i];
    if (op.kind === 'insert') continue;
    if (op.kind === 'rename-table' && names.has(op.to)) {
      names.add(op.table);
      picked.push(change(file, line, describe(op)));
    } else if (names.has(op.table)) {
      // A table created under another name and renamed later (an old name, a rebuild's `__new_x`) says so.
      const created = op.kind === 'create-table' && op.table !== name.toLowerCase();
      picked.push(change(file, line, created ? ['created as {0}', [op.table]] : describe(op)));
    }
  }
  return picked.reverse();
}

export function tableDetails(inventory: RepositoryInventory, name: string): TableDetails {
  const lower = name.toLowerCase();
  const databases: DatabaseTable[] = [];
  for (const db of inventory.databases) {
    const table = findTable(db.schema, name) ?? null;
    const history = tableHistory(db.files, table?.name ?? name);
    if (!table && history.length === 0) continue;
    const mapped = inventory.map.databases.find((d) => d.name === db.name);
    const refs = inventory.references.get(lower) ?? [];
    const files = new Set(refs.map((r) => r.file));
    const testFiles = [...files].filter(isTestFile).length;
    databases.push({
      database: db.name,
      domain: table ? (mapped?.tables.find((t) => t.name === table.name)?.domain ?? null) : null,
      table,
      referencedBy: Object.values(db.schema.tables)
        .flatMap((t) => t.foreignKeys.filter((fk) => fk.table.toLowerCase() === lower).map((fk) => ({ table: t.name, columns: fk.from })))
        .sort((a, b) => a.table.localeCompare(b.table)),
      history,
      references: { files: files.size - testFiles, testFiles, sample: refs.slice(0, SAMPLE) },
    });
  }
  databases.sort((a, b) => a.database.localeCompare(b.database));
  const embedded = inventory.embedded.flatMap((e) =>
    e.tables.filter((t) => t.name.toLowerCase() === lower).map((t) => ({ file: e.file, class: e.class, line: t.line, columns: t.columns })),
  );
  const found = databases.length > 0 || embedded.length > 0;
  const suggestions = found
    ? []
    : [...new Set(inventory.map.databases.flatMap((d) => d.tables.map((t) => t.name)))].filter((t) => t.toLowerCase().includes(lower)).sort().slice(0, 10);
  return { name, found, databases, embedded, suggestions };
}

/** `/safari table <name>` in one call (plain data: it crosses a process boundary as JSON). */
export async function describeTable(tree: Tree, sandbox: ReplaySandbox, name: string, options: MapOptions = {}): Promise<TableDetails> {
  return tableDetails(await inventoryRepository(tree, sandbox, options), name);
}

/** Safari's words, with the default (SQL from the migration) through `code`. */
const columnFlags = (c: Table['columns'][number], code: (text: string) => string) =>
  [c.pk ? 'primary key' : '', c.notNull ? 'not null' : '', c.default !== null ? `default ${code(c.default)}` : '', c.generated ? `generated (${c.generated})` : '']
    .filter(Boolean)
    .join(', ');

export function renderTableMarkdown(details: TableDetails): string {
  const lines = [`### Table ${codeSpan(details.name)}`, ''];
  if (!details.found) {
    lines.push(`No database or Durable Object at this revision holds a table named ${codeSpan(details.name)}.`);
    if (details.suggestions.length) lines.push('', `Did you mean: ${details.suggestions.map((s) => codeSpan(s)).join(', ')}?`);
    return `${lines.join('\n')}\n`;
  }
  for (const d of details.databases) {
    const t = d.table;
    lines.push(
      `#### In ${codeSpan(d.database)}${d.domain ? ` (domain ${codeSpan(d.domain)})` : ''}${t ? '' : ': no longer exists'}`,
      '',
    );
    if (t) {
      const shape = [t.kind === 'virtual' ? 'virtual table' : '', t.strict ? 'STRICT' : '', t.withoutRowid ? 'WITHOUT ROWID' : ''].filter(Boolean);
      if (shape.length) lines.push(`${shape.join(', ')}`, '');
      lines.push('| Column | Type | |', '| --- | --- | --- |');
      for (const c of t.columns) {
        lines.push(`| ${codeSpan(c.name, { inTable: true })} | ${c.type ? codeSpan(c.type, { inTable: true }) : ''} | ${columnFlags(c, (x) => codeSpan(x, { inTable: true }))} |`);
      }
      lines.push('');
      lines.push(
        t.indexes.length
          ? `**Indexes**: ${t.indexes.map((i) => `${codeSpan(i.name)} (${i.unique ? 'unique, ' : ''}${i.columns.map((c) => codeSpan(c)).join(', ')}${i.where ? `, where ${codeSpan(i.where)}` : ''})`).join('; ')}`
          : '**Indexes**: none',
        '',
      );
      lines.push(
        t.foreignKeys.length
          ? `**Foreign keys**: ${t.foreignKeys.map((fk) => `${fk.from.map((c) => codeSpan(c)).join(', ')} → ${codeSpan(fk.table)}${fk.to.length ? ` (${fk.to.map((c) => codeSpan(c)).join(', ')})` : ''}${fk.onDelete !== 'NO ACTION' ? ` on delete ${codeSpan(fk.onDelete.toLowerCase())}` : ''}`).join('; ')}`
          : '**Foreign keys**: none',
        '',
      );
      if (d.referencedBy.length) lines.push(`**Referenced by**: ${d.referencedBy.map((r) => `${codeSpan(r.table)} (${r.columns.map((c) => codeSpan(c)).join(', ')})`).join(', ')}`, '');
    }
    if (d.history.length) {
      lines.push('**Migrations**:', '', ...d.history.map((h) => `- ${codeSpan(`${h.file}:${h.line}`)} ${fill(h.action, h.names, (n) => codeSpan(n))}`), '');
    }
    lines.push(
      (d.references.files
        ? `**Used by ${d.references.files} source file${d.references.files === 1 ? '' : 's'}**`
        : '**Used by no source file** outside the migration folders') +
        (d.references.testFiles ? ` (and ${d.references.testFiles} test file${d.references.testFiles === 1 ? '' : 's'})` : '') +
        (d.references.sample.length ? `, e.g. ${d.references.sample.map((r) => codeSpan(`${r.file}:${r.line}`)).join(', ')}` : '.'),
      '',
    );
  }
  if (details.embedded.length) {
    lines.push(
      `#### Created in code (Durable Objects)`,
      '',
      ...details.embedded.map((e) => `- ${e.class ? `${codeSpan(e.class)} in ` : ''}${codeSpan(`${e.file}:${e.line}`)}: ${e.columns.map((c) => codeSpan(c)).join(', ')}`),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderTableText(details: TableDetails): string {
  const s = singleLine;
  if (!details.found) {
    return `no table named ${s(details.name)}${details.suggestions.length ? ` (did you mean ${details.suggestions.map(s).join(', ')}?)` : ''}\n`;
  }
  const lines: string[] = [];
  for (const d of details.databases) {
    lines.push(`${s(details.name)} in ${s(d.database)}${d.domain ? ` (domain ${s(d.domain)})` : ''}${d.table ? '' : ': no longer exists'}`);
    for (const c of d.table?.columns ?? []) lines.push(`  ${s(c.name)} ${s(c.type)}${columnFlags(c, s) ? `  ${columnFlags(c, s)}` : ''}`);
    for (const i of d.table?.indexes ?? []) lines.push(`  index ${s(i.name)}${i.unique ? ' unique' : ''} (${i.columns.map(s).join(', ')})`);
    for (const fk of d.table?.foreignKeys ?? []) lines.push(`  foreign key (${fk.from.map(s).join(', ')}) -> ${s(fk.table)}(${fk.to.map(s).join(', ')}) on delete ${fk.onDelete.toLowerCase()}`);
    for (const r of d.referencedBy) lines.push(`  referenced by ${s(r.table)} (${r.columns.map(s).join(', ')})`);
    for (const h of d.history) lines.push(`  ${s(h.file)}:${h.line}  ${s(h.text)}`);
    lines.push(`  used by ${d.references.files} source file(s)${d.references.testFiles ? ` and ${d.references.testFiles} test file(s)` : ''}${d.references.sample.length ? `: ${d.references.sample.map((r) => `${s(r.file)}:${r.line}`).join(', ')}` : ''}`, '');
  }
  for (const e of details.embedded) lines.push(`${s(details.name)} created in code: ${s(e.class ?? '(no class)')} ${s(e.file)}:${e.line} (${e.columns.map(s).join(', ')})`);
  return `${lines.join('\n').trimEnd()}\n`;
}

export const renderTableJson = (details: TableDetails): string => `${JSON.stringify(details, null, 2)}\n`;
