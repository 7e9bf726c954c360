/**
 * The binding picture of seed 001 as a mermaid flowchart: apps and workers (one node per wrangler config) → their
 * D1 bindings (edge labels) → databases. Every label is reduced to a safe alphabet and the rest written as mermaid
 * entity codes (`#35;`), so a hostile config name can neither break the chart nor close the Markdown fence.
 */
import type { RepositoryMap } from './map.js';

const SAFE = /[A-Za-z0-9 _.,()+=!?\/:@-]/;

/** A mermaid label: safe characters as they are, every other one as `#<code>;`. */
export function mermaidLabel(text: string): string {
  let out = '';
  for (const ch of text.slice(0, 200)) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

export function renderBindingDiagram(map: RepositoryMap): string[] {
  const configs = new Map<string, { id: string; worker: string | null }>();
  const all = map.databases.flatMap((db) => db.bindings);
  for (const config of [...new Set(all.map((b) => b.config))].sort()) {
    configs.set(config, { id: `app${configs.size}`, worker: all.find((b) => b.config === config && b.env === null)?.worker ?? all.find((b) => b.config === config)!.worker });
  }
  /** One edge per config and database; its label lists the bindings, with the environments that repeat them. */
  const edges = new Map<string, { from: string; to: string; bindings: Map<string, { top: boolean; envs: string[] }> }>();
  const databaseIds = new Map(map.databases.map((d, i) => [d.name, `db${i}`]));
  for (const db of map.databases) {
    for (const b of db.bindings) {
      const node = configs.get(b.config)!;
      const key = `${node.id}\0${db.name}`;
      let edge = edges.get(key);
      if (!edge) edges.set(key, (edge = { from: node.id, to: databaseIds.get(db.name)!, bindings: new Map() }));
      let binding = edge.bindings.get(b.binding);
      if (!binding) edge.bindings.set(b.binding, (binding = { top: false, envs: [] }));
      if (b.env === null) binding.top = true;
      else binding.envs.push(b.env);
    }
  }
  const label = (bindings: Map<string, { top: boolean; envs: string[] }>) =>
    [...bindings].map(([name, { top, envs }]) => (envs.length ? `${name} (${top ? '+ ' : ''}env ${envs.join(', ')})` : name)).join(', ');
  if (configs.size === 0) return [];
  const folder = (config: string) => config.slice(0, Math.max(0, config.lastIndexOf('/'))) || '.';
  const lines = ['flowchart LR', '  subgraph apps["apps and workers"]'];
  for (const [config, node] of [...configs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`    ${node.id}["${mermaidLabel(node.worker ?? folder(config))}<br/>${mermaidLabel(config)}"]`);
  }
  lines.push('  end', '  subgraph databases["databases"]');
  for (const db of map.databases) {
    if (!db.bindings.length) continue;
    lines.push(`    ${databaseIds.get(db.name)}[("${mermaidLabel(db.name)}<br/>${db.tables.length} table${db.tables.length === 1 ? '' : 's'}")]`);
  }
  lines.push('  end');
  for (const e of edges.values()) lines.push(`  ${e.from} -- "${mermaidLabel(label(e.bindings))}" --> ${e.to}`);
  return lines;
}
