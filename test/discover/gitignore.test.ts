import { describe, expect, it } from 'vitest';
import { ignoredBy } from '../../src/discover/gitignore.js';

const check = (path: string, files: Record<string, string>) => ignoredBy(path, Object.keys(files), async (p) => files[p]);

describe('ignoredBy (the .gitignore subset real repositories use)', () => {
  it('names the line that ignores a folder on the way to the path, anchored or at any depth', async () => {
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': '# Drizzle\n\ndb/migrations/meta/\n' })).toBe('.gitignore:3');
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': 'meta\n' })).toBe('.gitignore:1');
    expect(await check('db/migrations/meta/_journal.json', { 'db/.gitignore': 'migrations/meta/\n' })).toBe('db/.gitignore:1');
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': '*.json\n' })).toBe('.gitignore:1');
  });

  it('ignores nothing for other folders, a folder-only line matching a file, an anchored line elsewhere, or a negation', async () => {
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': 'node_modules/\n/meta/\n' })).toBeUndefined();
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': '_journal.json/\n' })).toBeUndefined();
    expect(await check('db/migrations/meta/_journal.json', { 'other/.gitignore': 'meta/\n' })).toBeUndefined();
    expect(await check('db/migrations/meta/_journal.json', { '.gitignore': 'db/migrations/meta/*\n!db/migrations/meta/_journal.json\n' })).toBeUndefined();
    expect(await check('db/migrations/meta/_journal.json', {})).toBeUndefined();
  });
});
