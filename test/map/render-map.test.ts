// The map renders names a PR controls (tables, folders, wrangler names and bindings): none may inject Markdown, HTML,
// mentions or break out of the mermaid block; and a large map stays within GitHub's comment limit.
import { describe, expect, it } from 'vitest';
import type { MapDatabase, RepositoryMap } from '../../src/map/map.js';
import { mermaidLabel, renderBindingDiagram } from '../../src/map/mermaid.js';
import { MARKDOWN_LIMIT, renderMapMarkdown, renderMapText } from '../../src/map/render-map.js';
import { leaks, PR } from '../helpers/markdown-leaks.js';

/** Every piece carries the PR marker, so any piece that escapes code is caught by `leaks`. */
const HOSTILE = `${PR}</details><img src=x onerror=alert(1)> @org/team https://evil.example ${PR} \`\`\`\n# ${PR} Heading | cell <!-- migration-safari -->`;

function database(name: string, tables: string[], extra: Partial<MapDatabase> = {}): MapDatabase {
  return {
    name,
    dialect: 'd1',
    owner: null,
    sources: [{ kind: 'wrangler', path: `${name}/migrations`, migrations: 1, reasons: [] }],
    bindings: [{ config: `${name}/wrangler.toml`, binding: 'DB', env: null, worker: name }],
    migrations: 1,
    numbering: [{ folder: `${name}/migrations`, widths: [4], unnumbered: 0 }],
    conflicts: 0,
    replayOk: true,
    firstFailure: null,
    failures: 0,
    notReplayed: null,
    tables: tables.map((t) => ({ name: t, columns: 3, domain: 'other', references: 0, testReferences: 0 })),
    views: [],
    domains: [{ name: 'other', configured: false, tables }],
    unusedTables: tables,
    ...extra,
  };
}

function repositoryMap(databases: MapDatabase[], name = HOSTILE): RepositoryMap {
  return {
    schemaVersion: 1,
    rev: 'a'.repeat(40),
    databases,
    embedded: [{ file: `src/${name}.ts`, class: name, durableObject: true, tables: [name], definitions: [{ table: name, line: 1, columns: [name] }] }],
    duplicates: [{ table: name, databases: [name], embedded: [{ file: 'x.ts', class: name }] }],
    conflicts: [],
    unattributed: [name],
    notices: [name],
    totals: { databases: databases.length, migrations: 1, tables: 1, embeddedTables: 1, durableObjects: 1, conflicts: 0, unusedTables: 1, duplicates: 1, wranglerConfigs: 1, bindings: 1 },
  };
}

describe('renderMapMarkdown with hostile names', () => {
  const map = repositoryMap([
    database(HOSTILE, [HOSTILE], {
      bindings: [{ config: `${HOSTILE}/wrangler.toml`, binding: `${HOSTILE}"] --> x`, env: HOSTILE, worker: `${HOSTILE}"]` }],
      replayOk: false,
      firstFailure: { file: HOSTILE, line: 3, message: HOSTILE },
      failures: 1,
    }),
  ]);
  const md = renderMapMarkdown(map);

  it('keeps every piece of PR text inside code: no tag, heading, link, mention or fence (CommonMark, as GitHub parses)', () => {
    expect(leaks(md)).toEqual([]);
    // the only fences are the mermaid block's own two
    expect(md.match(/^```/gm)).toHaveLength(2);
    expect(md.match(/^<details>/gm)).toHaveLength(1);
    expect(md.match(/<\/summary>/g)).toHaveLength(1);
    expect(md).not.toContain('<!-- migration-safari -->');
  });

  it('cuts with a note whose names are code too', () => {
    const cut = renderMapMarkdown(map, { maxLength: 3_000 });
    expect(cut).toMatch(/✂️ Left out/);
    expect(leaks(cut)).toEqual([]);
  });

  it('draws the binding diagram with every label reduced to safe characters', () => {
    const diagram = renderBindingDiagram(map);
    for (const line of diagram.slice(1)) {
      expect(line).toMatch(/^ {2,4}(subgraph \w+\["[a-z ]+"\]|end|app\d+\["[^"]*"\]|db\d+\[\("[^"]*"\)\]|app\d+ -- "[^"]*" --> db\d+)$/);
      expect(line.replace(/<br\/>/g, '').replace(/-->/g, '')).not.toMatch(/[<>`\n]/);
    }
    expect(mermaidLabel('a"b`c<d>#e')).toBe('a#34;b#96;c#60;d#62;#35;e');
  });

  it('keeps terminal text free of control characters', () => {
    const text = renderMapText(repositoryMap([database('db\u001b[31mred', ['t\u202eevil'])]));
    expect(text).not.toMatch(/\u001b|\u202e/);
    expect(text).toContain('db\\x1b[31mred');
  });
});

describe('renderMapMarkdown at scale', () => {
  it('stays within GitHub’s limit for 40 databases of 250 tables, naming what it left out', () => {
    const dbs = Array.from({ length: 40 }, (_, i) => database(`db_${i}`, Array.from({ length: 250 }, (_, k) => `table_${i}_${k}_${'x'.repeat(20)}`)));
    const md = renderMapMarkdown(repositoryMap(dbs, 'plain_name'));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/✂️ Left out to stay within GitHub's comment size limit \(\d+ more sections\): the (rest|tables) of `db_\d+`; .*; and \d+ more\. /);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    // the overview comes first and survives
    expect(md).toContain('| Databases | **40** |');
  });
});
