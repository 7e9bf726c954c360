// Every erDiagram the App writes must parse with mermaid itself (GitHub renders mermaid; a parse error shows
// "Unable to render" instead of the diagram), including hostile names and types.
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { renderErDiagram } from '../../src/render/mermaid.js';
import { emptyDelta, type SchemaDelta } from '../../src/schema/delta.js';
import type { Column, Schema, Table } from '../../src/schema/model.js';

const column = (name: string, type = 'INTEGER', pk = 0): Column => ({ name, type, notNull: false, default: null, pk, generated: null }) as Column;
const table = (name: string, columns: Column[], fks: { from: string[]; table: string; to: string[] }[] = [], unique: string[][] = []): Table =>
  ({
    name,
    kind: 'table',
    strict: false,
    withoutRowid: false,
    columns,
    indexes: unique.map((cols, i) => ({ name: `${name}_u${i}`, table: name, unique: true, origin: 'u', columns: cols, where: null, sql: null })),
    foreignKeys: fks.map((fk, i) => ({ id: i, ...fk, onDelete: 'CASCADE', onUpdate: 'NO ACTION' })),
    sql: null,
  }) as unknown as Table;
const schema = (...tables: Table[]): Schema => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])), views: {}, triggers: {} });
const delta = (patch: Partial<SchemaDelta>): SchemaDelta => ({ ...emptyDelta(), ...patch });

async function parses(diagram: string): Promise<void> {
  await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'er' });
}

describe('renderErDiagram', () => {
  const customers = table('customers', [column('id', 'INTEGER', 1), column('email', 'TEXT')]);
  const orders = table('orders', [column('id', 'INTEGER', 1), column('customer_id')], [{ from: ['customer_id'], table: 'customers', to: ['id'] }]);
  const profiles = table('profiles', [column('customer_id', 'INTEGER', 1)], [{ from: ['customer_id'], table: 'customers', to: ['id'] }]);
  const unrelated = table('audit', [column('id', 'INTEGER', 1)]);

  it('draws the added table and its direct foreign-key neighbours, one-to-many and one-to-one, and parses', async () => {
    const d = renderErDiagram(delta({ tablesAdded: ['orders', 'profiles'] }), schema(customers, orders, profiles, unrelated))!;
    expect(d.split('\n')[0]).toBe('erDiagram');
    expect(d).toContain('  customers ||--o{ orders : "customer_id"');
    expect(d).toContain('  customers ||--o| profiles : "customer_id"');
    expect(d).toContain('    INTEGER id PK');
    expect(d).toContain('    INTEGER customer_id FK');
    expect(d).not.toContain('audit');
    await parses(d);
  });

  it('draws tables that point at a changed table too', async () => {
    const d = renderErDiagram(delta({ tablesChanged: [{ table: 'customers', columnsAdded: ['email'], columnsDropped: [], columnsRenamed: [], columnsChanged: [], indexesAdded: [], indexesDropped: [], foreignKeysAdded: [], foreignKeysDropped: [] }] }), schema(customers, orders, unrelated))!;
    expect(d).toContain('orders {');
    await parses(d);
  });

  it('nothing added or changed: no diagram', () => {
    expect(renderErDiagram(delta({ tablesDropped: ['orders'] }), schema(customers))).toBeUndefined();
  });

  it('hostile names, types and labels still parse and cannot end the code block', async () => {
    const evil = table('x"} ```\n# hi <img src=x>', [column('id; DROP', 'VARCHAR(20) "\n```', 1), column('9lives', ''), column('ünï')], [{ from: ['9lives'], table: '1st table', to: ['id'] }]);
    const first = table('1st table', [column('id', 'INT', 1)]);
    const d = renderErDiagram(delta({ tablesAdded: [evil.name] }), schema(evil, first))!;
    expect(d).not.toContain('```');
    expect(d).not.toMatch(/\n#/);
    await parses(d);
  });

  it('caps the number of tables and columns, and still parses', async () => {
    const many = Array.from({ length: 40 }, (_, i) => table(`t${i}`, Array.from({ length: 20 }, (_, c) => column(`c${c}`, 'TEXT', c === 0 ? 1 : 0)), i ? [{ from: ['c1'], table: 't0', to: ['c0'] }] : []));
    const d = renderErDiagram(delta({ tablesAdded: many.map((t) => t.name) }), schema(...many))!;
    expect(d.match(/ \{$/gm)).toHaveLength(30);
    expect(d).toContain('%% 10 more tables not drawn');
    await parses(d);
  });
});
