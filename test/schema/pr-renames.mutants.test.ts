// Cases that pin branches of pr-renames.ts the main tests leave open (Stryker survivors, issue 11 §4).
import { describe, expect, it } from 'vitest';
import type { RenameEvent } from '../../src/replay/types.js';
import { prRenames } from '../../src/schema/pr-renames.js';

const table = (file: string, from: string, to: string): RenameEvent => ({ kind: 'table', file, line: 1, from, to });
const column = (file: string, t: string, from: string, to: string): RenameEvent => ({ kind: 'column', file, line: 1, table: t, from, to });
const modified = (path: string) => [{ path, status: 'modified' as const }];

describe('prRenames: what counts as the same rename', () => {
  it('tells renames apart by every name they carry', () => {
    const base = [table('m/2.sql', 'a', 'b'), column('m/2.sql', 't', 'x', 'y')];
    // Those that look like main's come first: a key that mixed them up would spend main's count on them.
    const head = [
      // Same names as the table rename on main, but a column of a table called "undefined".
      column('m/2.sql', 'undefined', 'a', 'b'),
      column('m/2.sql', 'u', 'x', 'y'),
      column('m/2.sql', 't', 'v', 'w'),
      table('m/2.sql', 'c', 'd'),
      table('m/2.sql', 'a', 'b'),
      column('m/2.sql', 't', 'x', 'y'),
    ];
    expect(prRenames(head, base, modified('m/2.sql'))).toEqual(head.slice(0, 4));
  });

  it('does not take straße and strasse for the same name', () => {
    // 'ß'.toUpperCase() is 'SS': upper-cased, straße and strasse would look alike.
    const head = [table('m/2.sql', 'a', 'strasse')];
    expect(prRenames(head, [table('m/2.sql', 'a', 'straße')], modified('m/2.sql'))).toEqual(head);
  });
});

describe('prRenames: which files are history', () => {
  it('keeps a rename of an added file that main also ran from a file it does not replace', () => {
    const head = [table('m/1.sql', 'a', 'b'), table('m/5.sql', 'b', 'a'), table('m/6.sql', 'a', 'b')];
    expect(prRenames(head, [table('m/1.sql', 'a', 'b')], [{ path: 'm/5.sql', status: 'added' }, { path: 'm/6.sql', status: 'added' }])).toEqual(head.slice(1));
  });

  it('keeps the renames of a file the PR adds under a path main also has', () => {
    const head = [table('m/5.sql', 'a', 'b')];
    expect(prRenames(head, [table('m/5.sql', 'a', 'b')], [{ path: 'm/5.sql', status: 'added' }])).toEqual(head);
  });
});
