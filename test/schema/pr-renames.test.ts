import { describe, expect, it } from 'vitest';
import type { RenameEvent } from '../../src/replay/types.js';
import { prRenames } from '../../src/schema/pr-renames.js';

const table = (file: string, from: string, to: string): RenameEvent => ({ kind: 'table', file, line: 1, from, to });
const column = (file: string, t: string, from: string, to: string): RenameEvent => ({ kind: 'column', file, line: 1, table: t, from, to });

describe('prRenames', () => {
  it('keeps renames of the files the PR adds and drops those of files it does not touch', () => {
    const head = [table('m/0002.sql', 'users', 'members'), table('m/0004.sql', 'members', 'people')];
    expect(prRenames(head, [head[0]], [{ path: 'm/0004.sql', status: 'added' }])).toEqual([head[1]]);
  });

  it('drops a rename main ran in a file the PR modifies, renames or replaces, but keeps one the edit adds', () => {
    const base = [table('m/0002.sql', 'users', 'members'), column('m/0003.sql', 'members', 'mail', 'email')];
    const edited = [table('m/0002.sql', 'Users', 'Members'), table('m/0002.sql', 'orders', 'sales')];
    expect(prRenames(edited, base, [{ path: 'm/0002.sql', status: 'modified' }])).toEqual([edited[1]]);
    const moved = [column('m/0003_email.sql', 'members', 'mail', 'email')];
    expect(prRenames(moved, base, [{ path: 'm/0003_email.sql', oldPath: 'm/0003.sql', status: 'renamed' }])).toEqual([]);
    expect(prRenames(moved, base, [{ path: 'm/0003.sql', status: 'deleted' }, { path: 'm/0003_email.sql', status: 'added' }])).toEqual([]);
  });

  it('counts: a rename done twice by the edited file, once on main, is the PR\'s once', () => {
    const base = [table('m/0002.sql', 'a', 'b')];
    const head = [table('m/0002.sql', 'a', 'b'), table('m/0002.sql', 'a', 'b')];
    expect(prRenames(head, base, [{ path: 'm/0002.sql', status: 'modified' }])).toEqual([head[1]]);
  });
});
