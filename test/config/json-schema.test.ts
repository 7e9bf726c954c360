import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';

const committed = (): unknown => JSON.parse(readFileSync(new URL('../../docs/safari.schema.json', import.meta.url), 'utf8'));

describe('docs/safari.schema.json', () => {
  it('matches the zod schema (run `node scripts/gen-config-schema.mjs` after changing src/config/schema.ts)', () => {
    expect(committed()).toEqual(configJsonSchema());
  });

  it('is exactly what the generator writes', () => {
    // --check exits 1 when the file differs byte for byte.
    expect(() => execFileSync(process.execPath, ['scripts/gen-config-schema.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('describes the config an editor should complete', () => {
    const schema = configJsonSchema() as { type: string; additionalProperties: boolean; properties: Record<string, { enum?: string[] }>; required?: string[] };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['databases', 'failOn', 'rules', 'domains', 'naming', 'owners', 'drizzle', 'ignore']));
    expect(schema.properties.failOn.enum).toEqual(['error', 'warning', 'never']);
    expect((schema.properties.failOn as { description?: string }).description).toMatch(/fails the check/);
    // Keys with defaults are optional to write.
    expect(schema.required ?? []).toEqual([]);
  });
});
