// Builds MigrationFile values for replay tests.
import type { Applier, MigrationFile } from '../../src/discover/types.js';

export function migration(path: string, content: string, applier: Applier = 'wrangler'): MigrationFile {
  const m = /^(\d+)/.exec(path.split('/').pop() ?? '');
  return {
    path,
    source: path.split('/').slice(0, -1).join('/'),
    applier,
    content,
    number: m ? Number(m[1]) : null,
    numberText: m ? m[1] : null,
  };
}

export const tableNames = (schema: { tables: Record<string, unknown> }) => Object.keys(schema.tables).sort();
