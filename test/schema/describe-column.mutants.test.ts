import { describe, expect, it } from 'vitest';
import { describeColumnChanges } from '../../src/schema/describe-column.js';
import type { Column } from '../../src/schema/model.js';

const col = (over: Partial<Column> = {}): Column => ({
  name: 'c',
  type: 'TEXT',
  notNull: false,
  default: null,
  pk: 0,
  generated: null,
  ...over,
});
const changes = (base: Partial<Column>, head: Partial<Column>) => describeColumnChanges(col(base), col(head));

describe('describeColumnChanges: types', () => {
  it('ignores case and spacing of a type but not a different type', () => {
    expect(changes({ type: 'varchar ( 10 , 2 )' }, { type: 'VARCHAR(10,2)' })).toEqual([]);
    expect(changes({ type: ' DOUBLE  PRECISION ' }, { type: 'double precision' })).toEqual([]);
    expect(changes({ type: 'DOUBLE PRECISION' }, { type: 'DOUBLEPRECISION' })).toEqual([
      'type DOUBLE PRECISION → DOUBLEPRECISION',
    ]);
    expect(changes({ type: 'NUMERIC(10,2)' }, { type: 'NUMERIC(102)' })).toEqual(['type NUMERIC(10,2) → NUMERIC(102)']);
  });

  it('shows a type trimmed, and no type as (none)', () => {
    expect(changes({ type: ' TEXT ' }, { type: '' })).toEqual(['type TEXT → (none)']);
    expect(changes({ type: '  ' }, { type: ' INTEGER ' })).toEqual(['type (none) → INTEGER']);
  });
});

describe('describeColumnChanges: defaults', () => {
  it('treats parentheses around the whole default, surrounding spaces and DEFAULT NULL as no change', () => {
    expect(changes({ default: '(0)' }, { default: ' 0 ' })).toEqual([]);
    expect(changes({ default: '(( 0 ))' }, { default: '0' })).toEqual([]);
    expect(changes({ default: '(NULL)' }, { default: null })).toEqual([]);
    expect(changes({ default: 'null' }, { default: null })).toEqual([]);
  });

  it('keeps parentheses that do not wrap the whole default', () => {
    expect(changes({ default: '(1) + (2)' }, { default: '1) + (2' })).toEqual(['default (1) + (2) → 1) + (2']);
    expect(changes({ default: "ltrim(' a')" }, { default: "rtrim(' a')" })).toEqual([
      "default ltrim(' a') → rtrim(' a')",
    ]);
    expect(changes({ default: '(1))' }, { default: '1)' })).toEqual(['default (1)) → 1)']);
    expect(changes({ default: '((1)' }, { default: '(1' })).toEqual(['default ((1) → (1']);
  });

  it('does not count parentheses inside string literals or quoted names', () => {
    expect(changes({ default: "(')') || (')')" }, { default: "')') || (')'" })).toEqual([
      "default (')') || (')') → ')') || (')'",
    ]);
    expect(changes({ default: `("a)" || "(b")` }, { default: `"a)" || "(b"` })).toEqual([]);
    expect(changes({ default: `(')')` }, { default: `')'` })).toEqual([]);
    expect(changes({ default: `("(")` }, { default: `"("` })).toEqual([]);
  });

  it('reports a default added, removed or changed with the text as stored', () => {
    expect(changes({}, { default: "'free'" })).toEqual(["default added: 'free'"]);
    expect(changes({ default: "'free'" }, {})).toEqual(['default removed']);
    expect(changes({ default: "('free')" }, { default: "'pro'" })).toEqual(["default ('free') → 'pro'"]);
  });
});

describe('describeColumnChanges: other attributes', () => {
  it('reports NOT NULL, primary key and generated changes', () => {
    expect(changes({}, { notNull: true })).toEqual(['NOT NULL added']);
    expect(changes({ notNull: true }, {})).toEqual(['NOT NULL removed']);
    expect(changes({}, { pk: 1 })).toEqual(['primary key added']);
    expect(changes({ pk: 1 }, {})).toEqual(['primary key removed']);
    expect(changes({ pk: 1 }, { pk: 2 })).toEqual(['primary key position 1 → 2']);
    expect(changes({}, { generated: 'stored' })).toEqual(['generated (stored) added']);
    expect(changes({ generated: 'virtual' }, {})).toEqual(['generated (virtual) removed']);
    expect(changes({ generated: 'virtual' }, { generated: 'stored' })).toEqual(['generated virtual → stored']);
  });
});
