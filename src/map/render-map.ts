/** Renders a RepositoryMap for people: Markdown (for issues and docs) and plain text (for the terminal). */
import type { RepositoryMap } from './map.js';

const esc = (s: string) => s.replace(/[|`*_<>[\]\\]/g, (c) => `\\${c}`);

export function renderMapMarkdown(map: RepositoryMap): string {
  const lines = [
    `## Migration Safari map`,
    '',
    `${map.databases.length} databases · ${map.databases.reduce((n, d) => n + d.migrations, 0)} migrations · ${map.totalTables} tables`,
    '',
    '| Database | Dialect | Migrations | Tables | Folders |',
    '| --- | --- | ---: | ---: | --- |',
    ...map.databases.map(
      (d) =>
        `| ${esc(d.name)}${d.ok ? '' : ' ⚠️ partial'} | ${d.dialect} | ${d.migrations} | ${d.tables.length} | ${d.sources.map((s) => esc(s.path)).join('<br>') || '—'} |`,
    ),
    '',
  ];
  for (const d of map.databases) {
    if (!d.tables.length) continue;
    lines.push(`<details><summary>${esc(d.name)}: ${d.tables.length} tables</summary>`, '', d.tables.map(esc).join(', '), '', '</details>', '');
  }
  if (map.unattributed.length) {
    lines.push('**Unattributed folders** (no config names them; not replayed):', '', ...map.unattributed.map((f) => `- ${esc(f)}`), '');
  }
  if (map.notices.length) lines.push('**Notices**', '', ...map.notices.map((n) => `- ${esc(n)}`), '');
  return lines.join('\n');
}

export function renderMapText(map: RepositoryMap): string {
  const width = Math.max(8, ...map.databases.map((d) => d.name.length));
  const lines = [
    `${map.databases.length} databases, ${map.totalTables} tables`,
    '',
    `${'database'.padEnd(width)}  dialect  migrations  tables  folders`,
    ...map.databases.map(
      (d) =>
        `${d.name.padEnd(width)}  ${d.dialect.padEnd(7)}  ${String(d.migrations).padStart(10)}  ${String(d.tables.length).padStart(6)}  ${d.sources.map((s) => s.path).join(', ')}${d.ok ? '' : '  (partial: replay failed)'}`,
    ),
  ];
  if (map.unattributed.length) lines.push('', 'unattributed folders:', ...map.unattributed.map((f) => `  ${f}`));
  if (map.notices.length) lines.push('', 'notices:', ...map.notices.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}
