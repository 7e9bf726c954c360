/** The JSON Schema of `.github/safari.yml`, generated from the zod schema (editors use it for completion). */
import { z } from 'zod';
import { safariConfig } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // `input`: what a user may write (keys with defaults are optional), not what the parser returns.
  const schema = z.toJSONSchema(safariConfig, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'Migration Safari configuration (.github/safari.yml)',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
