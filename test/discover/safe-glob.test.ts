import { describe, expect, it } from 'vitest';
import { unsafeGlob } from '../../src/discover/safe-glob.js';
import { discover } from '../../src/discover/discover.js';
import { loadMigrations } from '../../src/discover/load-migrations.js';
import { memoryTree } from '../helpers/memory-tree.js';

describe('unsafeGlob', () => {
  it('accepts the shapes real configs use', () => {
    for (const glob of ['migrations/*.sql', 'db/**/*.sql', '*/migration.sql', 'src/{a,b}/schema.ts', 'src/db/schema/*.{ts,js}', 'm/[0-9]*.sql', 'src/**/*.schema.ts']) {
      expect(unsafeGlob(glob), glob).toBeUndefined();
    }
  });

  it('refuses what can make picomatch backtrack or blow up', () => {
    expect(unsafeGlob(`${'*a'.repeat(9)}b`)).toBe('it uses more than one `*` in a path segment');
    expect(unsafeGlob('**/x/**/*.sql')).toBe('it uses `**` more than once');
    expect(unsafeGlob('a**b/*.sql')).toBe('`**` must be a whole path segment');
    expect(unsafeGlob('+(a|aa)b.sql')).toBe('extglobs (parentheses) are not supported');
    expect(unsafeGlob('{a,{b,c}}.sql')).toBe('nested braces are not supported');
    expect(unsafeGlob('{1..100000}.sql')).toBe('brace ranges are not supported');
    expect(unsafeGlob(`{${Array.from({ length: 17 }, (_, i) => i).join(',')}}.sql`)).toBe('braces may list at most 16 alternatives');
    expect(unsafeGlob('a'.repeat(201))).toBe('it is longer than 200 characters');
  });
});

// Issue 9: `*a*a*a*a*a*a*a*a*ab` made picomatch backtrack for seconds per path (12 pairs never finished); the old
// loader matched it against every file of the folder. The timeout fails the old code.
describe('a hostile migrations_pattern', () => {
  it('is not used, said in a notice, and the fixed folder is still reviewed', { timeout: 5_000 }, async () => {
    const pattern = `migrations/${'*a'.repeat(9)}b`;
    const tree = memoryTree({
      'wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\nmigrations_pattern = "${pattern}"\n`,
      [`migrations/${'a'.repeat(40)}.sql`]: 'CREATE TABLE a (id INTEGER);\n',
      'migrations/0001_init.sql': 'CREATE TABLE b (id INTEGER);\n',
    });
    const d = await discover(tree);
    expect(d.notices).toContainEqual(expect.objectContaining({ messageId: 'config-unreadable', data: expect.objectContaining({ message: expect.stringMatching(/migrations_pattern` is not used: it uses more than one `\*`/) }) }));
    const files = await loadMigrations(tree, d.databases.find((db) => db.name === 'app')!);
    expect(files.map((f) => f.path)).toEqual(['migrations/0001_init.sql', `migrations/${'a'.repeat(40)}.sql`]);
  });
});
