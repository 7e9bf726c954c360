// Cases that pin branches of renames.ts the main tests leave open (Stryker survivors, issue 11 §4).
import { describe, expect, it } from 'vitest';
import { resolveRenames, unquoteIdentifier } from '../../src/schema/renames.js';
import type { RenameEvent } from '../../src/replay/types.js';
import { schemaFromSql } from '../helpers/schema-from-sql.js';

describe('unquoteIdentifier', () => {
  it('strips one level of each quoting style, around trimmed text, undoubling the quote', () => {
    expect(unquoteIdentifier(' "a b" ')).toBe('a b');
    expect(unquoteIdentifier('"a""b"')).toBe('a"b');
    expect(unquoteIdentifier('`a``b`')).toBe('a`b');
    expect(unquoteIdentifier('[a b]')).toBe('a b');
    expect(['""', '``', '[]'].map(unquoteIdentifier)).toEqual(['', '', '']);
  });

  it('leaves a name alone when its quotes do not pair', () => {
    const names = ['"', '`', '[', ']', '"ab', 'ab"', '`ab', 'ab`', '[ab', 'ab]', '"ab`', '`ab"', 'plain'];
    expect(names.map(unquoteIdentifier)).toEqual(names);
  });
});

describe('resolveRenames', () => {
  it('forgets the column renames of a table whose name another table took over', () => {
    const base = schemaFromSql('CREATE TABLE a (x TEXT); CREATE TABLE b (y TEXT);');
    // a's column renamed, a dropped (no event), b renamed into a's name.
    const events: RenameEvent[] = [
      { kind: 'column', file: 'm.sql', line: 1, table: 'a', from: 'x', to: 'z' },
      { kind: 'table', file: 'm.sql', line: 2, from: 'b', to: 'a' },
    ];
    const resolved = resolveRenames(events, base);
    expect(resolved.tables).toEqual(new Map([['b', 'a']]));
    expect(resolved.columns).toEqual(new Map());
  });
});
