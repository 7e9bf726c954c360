// Cases found by mutation testing (`npm run mutation`, issue 11): each fails under a mutant of
// src/rules/shared/code-owners.ts that survived the foreign-owner tests.
import { describe, expect, it } from 'vitest';
import {
  baseCodeowners,
  codeownersMatcher,
  codeownersOf,
  ownerOfFile,
  parseCodeowners,
  sameOwner,
} from '../../../src/rules/shared/code-owners.js';
import type { DatabaseReview, RuleContext, RuleInput } from '../../../src/rules/types.js';

const matches = (pattern: string, paths: string[]) => paths.filter(codeownersMatcher(pattern));
const PATHS = ['schema.sql', 'db/schema.sql', 'db', 'db/m/0001.sql', 'apps/db/m/0001.sql', 'apps/db', 'x/apps/db/m.sql', '.github/x.sql'];

describe('codeownersMatcher (mutation cases)', () => {
  it('matches a pattern without a slash anywhere, and everything below a match', () => {
    expect(matches('*.sql', PATHS)).toEqual(['schema.sql', 'db/schema.sql', 'db/m/0001.sql', 'apps/db/m/0001.sql', 'x/apps/db/m.sql', '.github/x.sql']);
    expect(matches('db', PATHS)).toEqual(['db/schema.sql', 'db', 'db/m/0001.sql', 'apps/db/m/0001.sql', 'apps/db', 'x/apps/db/m.sql']);
  });

  it('anchors a pattern with a slash at its start or in its middle at the root', () => {
    expect(matches('/schema.sql', PATHS)).toEqual(['schema.sql']);
    expect(matches('/db', PATHS)).toEqual(['db/schema.sql', 'db', 'db/m/0001.sql']);
    expect(matches('apps/db', PATHS)).toEqual(['apps/db/m/0001.sql', 'apps/db']);
  });

  it('matches what a directory pattern (trailing slash) holds, anchored or not', () => {
    expect(matches('db/', PATHS)).toEqual(['db/schema.sql', 'db', 'db/m/0001.sql', 'apps/db/m/0001.sql', 'apps/db', 'x/apps/db/m.sql']);
    expect(matches('/apps/db/', PATHS)).toEqual(['apps/db/m/0001.sql', 'apps/db']);
    expect(matches('apps/db/', PATHS)).toEqual(['apps/db/m/0001.sql', 'apps/db']);
  });

  it('matches dot files and folders', () => {
    expect(matches('*', ['.github/x.sql', 'db/.hidden.sql'])).toEqual(['.github/x.sql', 'db/.hidden.sql']);
  });
});

describe('parseCodeowners (mutation cases)', () => {
  const rules = (text: string) => parseCodeowners(text).map((r) => [r.pattern, ...r.owners]);

  it('reads patterns and owners, skipping blank lines, comments and negations', () => {
    const text = '# Owners\r\n\n*.sql   @org/dba\t@org/a # the DBAs\n  \n!db/ @org/x\n/docs/#x @org/docs\ndb/ @org/db\n';
    expect(rules(text)).toEqual([
      ['*.sql', '@org/dba', '@org/a'],
      ['/docs/#x', '@org/docs'],
      ['db/', '@org/db'],
    ]);
  });

  it('gives each rule its matcher', () => {
    const [sql, db] = parseCodeowners('*.sql @a\n/db/ @b\n');
    expect([sql.matches('x/y.sql'), sql.matches('db/y.txt'), db.matches('db/y.txt'), db.matches('x/db/y.txt')]).toEqual([true, false, true, false]);
  });
});

describe('codeownersOf (mutation cases)', () => {
  it('takes the last matching rule, the first one included', () => {
    const rules = parseCodeowners('*.sql @first\n/docs/ @docs\n/docs/x.md @x\n');
    expect(codeownersOf(rules, 'db/0001.sql')).toEqual(['@first']);
    expect(codeownersOf(rules, 'docs/x.md')).toEqual(['@x']);
    expect(codeownersOf(rules, 'docs/y.md')).toEqual(['@docs']);
    expect(codeownersOf(rules, 'README.md')).toBeUndefined();
    expect(codeownersOf([], 'README.md')).toBeUndefined();
  });
});

describe('baseCodeowners (mutation cases)', () => {
  const input = (files: Record<string, string>) => ({ baseTexts: new Map(Object.entries(files)) }) as unknown as RuleInput;
  const patterns = (files: Record<string, string>) => baseCodeowners(input(files)).map((r) => r.pattern);

  it('reads the first of GitHub\'s locations that exists, even an empty one', () => {
    expect(patterns({ CODEOWNERS: 'root @a', '.github/CODEOWNERS': 'github @b', 'docs/CODEOWNERS': 'docs @c' })).toEqual(['github']);
    expect(patterns({ CODEOWNERS: 'root @a', 'docs/CODEOWNERS': 'docs @c' })).toEqual(['root']);
    expect(patterns({ 'docs/CODEOWNERS': 'docs @c' })).toEqual(['docs']);
    expect(patterns({ '.github/CODEOWNERS': '', CODEOWNERS: 'root @a' })).toEqual([]);
    expect(patterns({})).toEqual([]);
  });
});

describe('ownerOfFile (mutation cases)', () => {
  const context = (config: { owners?: Record<string, string> }) =>
    ({ config: { owners: {}, ...config } }) as unknown as RuleContext;
  const db = (owner?: string) => ({ spec: { name: 'app-db', owner } }) as unknown as DatabaseReview;
  const codeowners = parseCodeowners('*.sql @org/dba\n/unowned/\n');
  const path = 'db/.m/0001.sql';

  it('takes the last matching safari.yml owners glob first, dot folders included', () => {
    const owners = { 'db/**': '@org/db', 'other/**': '@org/other', 'db/.m/*.sql': '@org/m' };
    expect(ownerOfFile(context({ owners }), db('@org/spec'), path, codeowners)).toEqual({ owners: ['@org/m'], source: 'safari.yml owners' });
    expect(ownerOfFile(context({ owners: { 'db/**': '@org/db', 'other/**': '@org/other' } }), db(), path, codeowners)).toEqual({
      owners: ['@org/db'],
      source: 'safari.yml owners',
    });
  });

  it('then the database\'s owner', () => {
    const owners = { 'other/**': '@org/other' };
    expect(ownerOfFile(context({ owners }), db('@org/spec'), path, codeowners)).toEqual({ owners: ['@org/spec'], source: 'safari.yml database owner' });
  });

  it('then CODEOWNERS; undefined when unowned', () => {
    const byCodeowners = { owners: ['@org/dba'], source: 'CODEOWNERS' };
    expect(ownerOfFile(context({}), db(), path, codeowners)).toEqual(byCodeowners);
    expect(ownerOfFile(context({}), db(), 'unowned/0001.sql', codeowners)).toBeUndefined();
    expect(ownerOfFile(context({}), db(), 'README.md', codeowners)).toBeUndefined();
  });
});

describe('sameOwner (mutation cases)', () => {
  it('compares owners without case or surrounding space', () => {
    expect([sameOwner(' @Org/Team ', '@org/team'), sameOwner('@org/team', '@ORG/TEAM '), sameOwner('@org/a', '@org/b')]).toEqual([true, true, false]);
  });
});
