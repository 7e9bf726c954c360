/**
 * The binding picture of seed 001 as a mermaid flowchart: apps and workers (one node per wrangler config) → their
 * D1 bindings (edge labels) → databases. Every label is reduced to a safe alphabet and the rest written as mermaid
 * entity codes (`#35;`), so a hostile config name can neither break the chart nor close the Markdown fence.
 */
import type { RepositoryMap } from './map.js';

const SAFE = /[A-Za-z0-9 _.\/:@-]/;

/** A mermaid label: safe characters as they are, every other one as `#<code>;`. */
export function mermaidLabel(text: string): string {
  let out = '';
  for (const ch of text.slice(0, 200)) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

export function renderBindingDiagram(map: RepositoryMap): string[] {
  const configs = new Map<string, { id: string; worker: string | null }>();
  const edges = new Map<string, { from: string; to: string; labels: string[] }>();
  const databaseIds = new Map(map.databases.map((d, i) => [d.name, `db${i}`]));
  for (const db of map.databases) {
    for (const b of db.bindings) {
      let node = configs.get(b.config);
      if (!node) configs.set(b.config, (node = { id: `app${configs.size}`, worker: b.worker }));
      const key = `${node.id}\0${db.name}`;
      let edge = edges.get(key);
      if (!edge) edges.set(key, (edge = { from: node.id, to: databaseIds.get(db.name)!, labels: [] }));
      const label = b.env ? `${b.binding} (env ${b.env})` : b.binding;
      if (!edge.labels.includes(label)) edge.labels.push(label);
    }
  }
  if (configs.size === 0) return [];
  const folder = (config: string) => config.slice(0, Math.max(0, config.lastIndexOf('/'))) || '.';
  const lines = ['flowchart LR', '  subgraph apps["apps and workers"]'];
  for (const [config, node] of [...configs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`    ${node.id}["${mermaidLabel(node.worker ?? folder(config))}<br/>${mermaidLabel(config)}"]`);
  }
  lines.push('  end', '  subgraph databases["databases"]');
  for (const db of map.databases) {
    if (!db.bindings.length) continue;
    lines.push(`    ${databaseIds.get(db.name)}[("${mermaidLabel(db.name)}<br/>${db.tables.length} tables")]`);
  }
  lines.push('  end');
  for (const e of edges.values()) lines.push(`  ${e.from} -- "${mermaidLabel(e.labels.join(', '))}" --> ${e.to}`);
  return lines;
}
