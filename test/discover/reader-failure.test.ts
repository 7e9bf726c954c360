// A config reader that throws on one file (a bug, or hostile input that overflows the stack) must cost that file a
// notice, never the whole review (issue 9).
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/discover/wrangler.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/discover/wrangler.js')>();
  return {
    ...real,
    readWranglerConfig: (file: string, text: string) => {
      if (file.startsWith('bad/')) throw new RangeError('Maximum call stack size exceeded\n    at deep');
      return real.readWranglerConfig(file, text);
    },
  };
});

const { discover } = await import('../../src/discover/discover.js');
const { memoryTree } = await import('../helpers/memory-tree.js');

describe('discover with a config reader that throws', () => {
  it('reports that file and still reads the others', async () => {
    const toml = '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "good-db"\n';
    const d = await discover(memoryTree({ 'bad/wrangler.toml': toml, 'bad/migrations/0001_a.sql': 'SELECT 1;', 'good/wrangler.toml': toml, 'good/migrations/0001_a.sql': 'SELECT 1;' }));
    expect(d.notices).toContainEqual({
      messageId: 'config-unreadable',
      file: 'bad/wrangler.toml',
      data: { file: 'bad/wrangler.toml', message: 'could not be read: Maximum call stack size exceeded' },
    });
    expect(d.databases.map((db) => db.name)).toContain('good-db');
  });
});
