/**
 * Renders a RepositoryMap for people: the journal in Markdown (issues, docs, the App's `/safari map` reply) and a
 * compact terminal text. Markdown stays under GitHub's comment limit: sections are added whole — the overview first,
 * the per-database details last — and what no longer fits is left out with a note (the JSON has everything).
 */
import { BoundedWriter } from '../render/bounded-writer.js';
import { codeHtml, codeSpan } from '../render/markdown-escape.js';
import { singleLine } from '../render/control-chars.js';
import { OTHER_DOMAIN } from './domains.js';
import type { MapDatabase, RepositoryMap } from './map.js';
import { renderBindingDiagram } from './mermaid.js';

const NO_DATABASES =
  'No database found: no wrangler `d1_databases`, no drizzle config, no `databases` in `.github/safari.yml`, and no folder named `migrations` holding `.sql` files.';

/** GitHub refuses comment bodies over 65,536 characters. */
export const MARKDOWN_LIMIT = 65_536;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const at = (f: { file: string; line: number }) => `${f.file}:${f.line}`;

/** Domains for reading: largest first, `other` last. */
const readingOrder = (db: MapDatabase) =>
  [...db.domains].sort(
    (a, b) =>
      Number(a.name === OTHER_DOMAIN && !a.configured) - Number(b.name === OTHER_DOMAIN && !b.configured) ||
      b.tables.length - a.tables.length ||
      a.name.localeCompare(b.name),
  );

/** Seed 000's condition column, from what code uses: a domain nobody uses is the first candidate for a DROP. */
function condition(db: MapDatabase, tables: string[]): string {
  const unused = tables.filter((t) => db.unusedTables.includes(t)).length;
  if (unused === 0) return '';
  return unused === tables.length ? ' · 🔴 no code uses it' : ` · 🟠 ${unused} unused`;
}

/** Names from the repository go through `code` (a code span in Markdown, as they are in the terminal). */
type Code = (text: string) => string;

function replayStatus(db: MapDatabase, code: Code): string {
  if (db.notReplayed) return `not replayed: ${code(db.notReplayed)}`;
  if (db.migrations === 0) return 'no migrations';
  if (db.replayOk) return 'replays cleanly';
  const f = db.firstFailure!;
  return `fails at ${code(at(f))} (${code(f.message)})${db.failures > 1 ? `, ${plural(db.failures - 1, 'more failure')}` : ''}`;
}

function numberingText(db: MapDatabase, code: Code): string {
  const folders = db.numbering.map((n) => {
    const parts = [n.widths.length ? `${n.widths.join('- and ')}-digit${n.widths.length > 1 ? ' (mixed widths)' : ''}` : 'no numbered files'];
    if (n.unnumbered) parts.push(`${plural(n.unnumbered, 'file')} without a number`);
    return db.numbering.length > 1 ? `${code(n.folder)}: ${parts.join(', ')}` : parts.join(', ');
  });
  return folders.join('; ') || 'no migrations';
}

export function renderMapMarkdown(map: RepositoryMap, options: { maxLength?: number } = {}): string {
  /** What did not fit, by name, for the note. */
  const left: [words: string, name?: string][] = [];
  const leave = (label: [string, string?]) => {
    if (!left.some(([w, n]) => w === label[0] && n === label[1])) left.push(label);
  };
  const shown = 4;
  const w = new BoundedWriter(
    options.maxLength ?? MARKDOWN_LIMIT,
    (n) =>
      `> ✂️ Left out to stay within GitHub's comment size limit (${plural(n, 'more section')}): ` +
      `${left.slice(0, shown).map(([words, name]) => (name === undefined ? words : `${words} ${codeSpan(name.length > 40 ? `${name.slice(0, 39)}…` : name)}`)).join('; ')}${left.length > shown ? `; and ${left.length - shown} more` : ''}. ` +
      `\`safari map --format json\` has everything.`,
    600,
  );
  const add = (label: [string, string?], piece: string): boolean => {
    const ok = w.add(piece);
    if (!ok) leave(label);
    return ok;
  };
  const t = map.totals;
  const cell = (s: string) => codeSpan(s, { inTable: true });
  add(
    ['the summary'],
    [
      `## 🗺️ Migration Safari map`,
      '',
      `At ${codeSpan(map.rev.slice(0, 12))}: ${plural(t.databases, 'database')}, ${plural(t.migrations, 'migration')}, ` +
        `${plural(t.tables, 'table')}, and ${plural(t.embeddedTables, 'table')} inside ${plural(t.durableObjects, 'Durable Object')}.`,
      '',
      '### By the numbers',
      '',
      '| Metric | Count |',
      '| --- | ---: |',
      `| Databases | **${t.databases}** |`,
      `| Wrangler configs binding them | **${t.wranglerConfigs}** (${plural(t.bindings, 'binding')}) |`,
      `| Migration files | **${t.migrations}** |`,
      `| Tables in databases | **${t.tables}** |`,
      `| Tables created in code (Durable Objects) | **${t.embeddedTables}** in ${plural(map.embedded.length, 'class', 'classes')} |`,
      `| Numbering conflicts | **${t.conflicts}** |`,
      `| Tables no code uses | **${t.unusedTables}** |`,
      `| Same table name in several places | **${t.duplicates}** |`,
      '',
      '### Databases',
      '',
      ...(map.databases.length
        ? ['| Database | Dialect | Migrations | Tables | Domains | Unused | Replay | Folders |', '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |']
        : [NO_DATABASES]),
      ...[...map.databases]
        .sort((a, b) => b.tables.length - a.tables.length || a.name.localeCompare(b.name))
        .map(
          (d) =>
            `| ${cell(d.name)} | ${d.dialect} | ${d.migrations} | ${d.tables.length} | ${d.domains.length} | ${d.unusedTables.length} | ` +
            `${d.notReplayed ? '⏭️ not replayed' : d.replayOk ? '✅' : `⚠️ ${cell(at(d.firstFailure!))}`} | ` +
            `${d.sources.map((s) => cell(s.path)).join(', ') || '—'} |`,
        ),
      '',
    ].join('\n'),
  );

  const diagram = renderBindingDiagram(map);
  if (diagram.length) {
    add(['the binding diagram'], ['### Who binds what', '', 'Apps and workers (wrangler configs) → D1 bindings → databases.', '', '```mermaid', ...diagram, '```', ''].join('\n'));
  }

  if (map.embedded.length) {
    const rows = map.embedded.map(
      (e) =>
        `| ${e.class ? codeSpan(e.class, { inTable: true }) : '—'}${e.durableObject ? '' : ' (not a Durable Object)'} | ${codeSpan(e.file, { inTable: true })} | ` +
        e.definitions.map((d) => `${codeSpan(d.table, { inTable: true })}${d.columns.length ? ` (${codeSpan(d.columns.join(', '), { inTable: true })})` : ''}`).join(', ') +
        ' |',
    );
    add(
      ['the tables inside Durable Objects'],
      [
        `### Tables inside Durable Objects and other code (${t.embeddedTables})`,
        '',
        'Created by `CREATE TABLE` in the code itself, outside any migration folder (columns in brackets). No migration folder shows them.',
        '',
        '| Class | File | Tables |',
        '| --- | --- | --- |',
        ...rows,
        '',
      ].join('\n'),
    );
  }

  if (map.duplicates.length) {
    add(
      ['the duplicate names'],
      [
        `### Same table name in several places (${map.duplicates.length})`,
        '',
        '| Table | Databases | Code |',
        '| --- | --- | --- |',
        ...map.duplicates.map(
          (d) =>
            `| ${codeSpan(d.table, { inTable: true })} | ${d.databases.map((n) => codeSpan(n, { inTable: true })).join(', ')} | ` +
            `${d.embedded.map((e) => codeSpan(e.class ?? e.file, { inTable: true })).join(', ') || '—'} |`,
        ),
        '',
      ].join('\n'),
    );
  }

  if (map.conflicts.length) {
    add(
      ['the numbering conflicts'],
      [
        `### Numbering conflicts (${map.conflicts.length})`,
        '',
        ...map.conflicts.map((c) => `- ${codeSpan(c.database)}: number ${codeSpan(c.number)} in ${codeSpan(c.folder)}: ${c.files.map((f) => codeSpan(f)).join(', ')}`),
        '',
      ].join('\n'),
    );
  }

  if (map.unattributed.length) {
    add(['the unattributed folders'], ['### Unattributed folders', '', 'Folders of `.sql` files that no config names; not replayed.', '', ...map.unattributed.map((f) => `- ${codeSpan(f)}`), ''].join('\n'));
  }
  if (map.notices.length) add(['the notices'], ['### Notices', '', ...map.notices.map((n) => `- ${codeSpan(n)}`), ''].join('\n'));
  if (map.databases.length) add(['the databases in detail'], '### Each database\n');
  for (const db of [...map.databases].sort((a, b) => b.tables.length - a.tables.length || a.name.localeCompare(b.name))) {
    const summary =
      `${codeHtml(db.name)}: ${plural(db.tables.length, 'table')}, ${plural(db.migrations, 'migration')}` +
      (db.unusedTables.length ? `, ${db.unusedTables.length} unused` : '') +
      (db.conflicts ? `, ${plural(db.conflicts, 'numbering conflict')}` : '') +
      (db.replayOk ? '' : ', ⚠️ replay fails');
    if (!w.open(`<details>\n<summary>${summary}</summary>\n`, '</details>\n')) {
      leave(['the tables of', db.name]);
      continue;
    }
    const facts = [
      ...db.sources.map((s) => `- Folder ${codeSpan(s.path)} (${s.kind}, ${plural(s.migrations, 'migration')})${s.reasons.length ? `: ${codeSpan(s.reasons[0])}${s.reasons.length > 1 ? ` (and ${s.reasons.length - 1} more)` : ''}` : ''}`),
      `- Bound by ${db.bindings.length ? db.bindings.map((b) => `${codeSpan(b.binding)} in ${codeSpan(b.config)}${b.env ? ` (env ${codeSpan(b.env)})` : ''}`).join(', ') : 'no wrangler config'}`,
      `- Numbering: ${numberingText(db, codeSpan)}${db.conflicts ? `; ${plural(db.conflicts, 'number')} used twice (below)` : ''}`,
      `- Replay: ${replayStatus(db, codeSpan)}`,
      ...(db.owner ? [`- Owner: ${codeSpan(db.owner)}`] : []),
      ...(db.views.length ? [`- Views: ${db.views.map((v) => codeSpan(v)).join(', ')}`] : []),
      '',
    ];
    const rest: [string, string] = ['the rest of', db.name];
    add(rest, facts.join('\n'));
    if (db.tables.length) add(rest, '| Domain | Tables (columns · files that use it) |\n| --- | --- |');
    const byName = new Map(db.tables.map((t) => [t.name, t]));
    for (const domain of readingOrder(db)) {
      const list = domain.tables
        .map((name) => {
          const table = byName.get(name)!;
          const use =
            table.references === 0
              ? `**unused**${table.testReferences ? ` (only ${plural(table.testReferences, 'test file')})` : ''}`
              : plural(table.references, 'file');
          return `${codeSpan(name, { inTable: true })} (${table.columns} · ${use})`;
        })
        .join(', ');
      add(rest, `| ${codeSpan(domain.name, { inTable: true })}${domain.configured ? ' (configured)' : ''} · ${domain.tables.length}${condition(db, domain.tables)} | ${list} |`);
    }
    add(rest, '');
    w.close();
  }

  return w.toString();
}

export function renderMapText(map: RepositoryMap): string {
  const t = map.totals;
  const clean = (s: string) => singleLine(s);
  const width = Math.max(8, ...map.databases.map((d) => clean(d.name).length));
  const lines = [
    `${plural(t.databases, 'database')}, ${plural(t.migrations, 'migration')}, ${plural(t.tables, 'table')}; ` +
      `${plural(t.embeddedTables, 'table')} in ${plural(map.embedded.length, 'class', 'classes')} of code; ` +
      `${plural(t.conflicts, 'numbering conflict')}, ${plural(t.unusedTables, 'unused table')}, ${plural(t.duplicates, 'duplicate name')}`,
    '',
    map.databases.length ? `${'database'.padEnd(width)}  dialect  migrations  tables  unused  folders` : NO_DATABASES.replace(/`/g, ''),
    ...map.databases.map(
      (d) =>
        `${clean(d.name).padEnd(width)}  ${d.dialect.padEnd(7)}  ${String(d.migrations).padStart(10)}  ${String(d.tables.length).padStart(6)}  ` +
        `${String(d.unusedTables.length).padStart(6)}  ${d.sources.map((s) => clean(s.path)).join(', ')}${d.replayOk ? '' : `  (replay fails at ${clean(at(d.firstFailure!))})`}`,
    ),
  ];
  for (const d of map.databases) {
    if (!d.tables.length) continue;
    lines.push('', `${clean(d.name)}:`);
    for (const domain of readingOrder(d)) {
      const unused = new Set(d.unusedTables);
      lines.push(`  ${clean(domain.name)} (${domain.tables.length}): ${domain.tables.map((n) => clean(n) + (unused.has(n) ? ' [unused]' : '')).join(', ')}`);
    }
  }
  if (map.embedded.length) {
    lines.push('', 'tables created in code:');
    for (const e of map.embedded) lines.push(`  ${clean(e.class ?? '(no class)')} ${clean(e.file)}: ${e.tables.map(clean).join(', ')}`);
  }
  if (map.duplicates.length) {
    lines.push('', 'same name in several places:');
    for (const d of map.duplicates) lines.push(`  ${clean(d.table)}: ${[...d.databases, ...d.embedded.map((e) => e.class ?? e.file)].map(clean).join(', ')}`);
  }
  if (map.conflicts.length) {
    lines.push('', 'numbering conflicts:');
    for (const c of map.conflicts) lines.push(`  ${clean(c.database)} ${clean(c.number)}: ${c.files.map(clean).join(', ')}`);
  }
  if (map.unattributed.length) lines.push('', 'unattributed folders:', ...map.unattributed.map((f) => `  ${clean(f)}`));
  if (map.notices.length) lines.push('', 'notices:', ...map.notices.map((n) => `  ${clean(n)}`));
  return `${lines.join('\n')}\n`;
}

export const renderMapJson = (map: RepositoryMap): string => `${JSON.stringify(map, null, 2)}\n`;
