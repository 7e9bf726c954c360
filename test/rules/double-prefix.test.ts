import { describe, expect, it } from 'vitest';
import rule, { repeatedPrefix } from '../../src/rules/double-prefix.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const config = { '.github/safari.yml': JSON.stringify({ domains: { garden: { prefixes: ['link_garden_'], database: 'app-db' } } }) };
const input = (sql: string, base: Record<string, string> = {}) => migrationsInput(base, { 'm/0002.sql': sql }, { files: config });

describe('double-prefix', () => {
  it('recognises repeated words and repeated configured prefixes only', () => {
    expect(repeatedPrefix('auth_auth_tokens', [])).toBe('auth_');
    expect(repeatedPrefix('link_garden_link_garden_items', ['link_garden_'])).toBe('link_garden_');
    expect(repeatedPrefix('auth_tokens', [])).toBeUndefined();
    expect(repeatedPrefix('user_users', [])).toBeUndefined();
    expect(repeatedPrefix('__new_posts', [])).toBeUndefined();
    expect(repeatedPrefix('tag_tag', [])).toBeUndefined();
  });

  it('needs a real word after the repeat, and two equal leading words', () => {
    expect(repeatedPrefix('auth_tokens_log', [])).toBeUndefined();
    expect(repeatedPrefix('tag_tag_', [])).toBeUndefined();
    expect(repeatedPrefix('tag_tag__', [])).toBeUndefined();
    expect(repeatedPrefix('tag_tag_x', [])).toBe('tag_');
  });

  it('takes a configured prefix only when it is longer than one character and something follows the repeat', () => {
    expect(repeatedPrefix('__new_posts', ['_'])).toBeUndefined();
    expect(repeatedPrefix('link_garden_link_garden_', ['link_garden_'])).toBeUndefined();
    expect(repeatedPrefix('Link_Garden_link_garden_items', ['LINK_GARDEN_'])).toBe('link_garden_');
  });

  it('names the longest configured prefix that repeats, whatever order the config lists them in', () => {
    expect(repeatedPrefix('ab_ab_ab_ab_items', ['ab_', 'ab_ab_'])).toBe('ab_ab_');
    expect(repeatedPrefix('ab_ab_ab_ab_items', ['ab_ab_', 'ab_'])).toBe('ab_ab_');
  });

  it('passes for well-formed new names', async () => {
    await expectPasses(rule, input('CREATE TABLE auth_tokens(id);'));
  });

  it('does not blame the PR for a double prefix already on main', async () => {
    await expectPasses(rule, input('CREATE TABLE auth_users(id);', { 'm/0001.sql': 'CREATE TABLE auth_auth_codes(id);' }));
  });

  it('fires for auth_auth_tokens with a suggestion', async () => {
    const [r] = await expectFires(rule, input('CREATE TABLE auth_auth_tokens(id);'));
    expect(r).toMatchObject({ messageId: 'double', table: 'auth_auth_tokens', file: 'm/0002.sql', line: 1, data: { prefix: 'auth_', suggestion: 'auth_tokens' } });
  });

  it('fires for a configured multi-word prefix written twice', async () => {
    const [r] = await expectFires(rule, input('CREATE TABLE link_garden_link_garden_items(id);'));
    expect(r.data?.suggestion).toBe('link_garden_items');
  });

  it('points at the statement that creates the table, not an earlier one in the PR', async () => {
    const input = await migrationsInput({}, {
      'm/0001.sql': 'DROP TABLE IF EXISTS auth_auth_tokens;',
      'm/0002.sql': 'CREATE TABLE users(id);\nCREATE TABLE auth_auth_tokens(id);',
    });
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ file: 'm/0002.sql', line: 2 });
  });

  it('fires for a table the PR renames to a double prefix, at the rename', async () => {
    const input = await migrationsInput(
      { 'm/0001.sql': 'CREATE TABLE tokens(id, owner TEXT);' },
      { 'm/0002.sql': 'CREATE TABLE users(id);\nALTER TABLE tokens RENAME TO auth_auth_tokens;' },
    );
    const [r] = await expectFires(rule, input);
    expect(r).toMatchObject({ table: 'auth_auth_tokens', file: 'm/0002.sql', line: 2, data: { suggestion: 'auth_tokens' } });
  });
});
