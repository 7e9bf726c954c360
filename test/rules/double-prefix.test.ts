import { describe, expect, it } from 'vitest';
import rule, { repeatedPrefix } from '../../src/rules/double-prefix.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const config = { '.github/safari.yml': JSON.stringify({ domains: { garden: { prefixes: ['link_garden_'], database: 'app-db' } } }) };
const input = (sql: string, base: Record<string, string> = {}) => migrationsInput(base, { 'm/0002.sql': sql }, { files: config });

describe('double-prefix', () => {
  it('recognises repeated words and repeated configured prefixes only', () => {
    expect(repeatedPrefix('auth_auth_tokens')).toBe('auth_');
    expect(repeatedPrefix('link_garden_link_garden_items', ['link_garden_'])).toBe('link_garden_');
    expect(repeatedPrefix('auth_tokens')).toBeUndefined();
    expect(repeatedPrefix('user_users')).toBeUndefined();
    expect(repeatedPrefix('__new_posts')).toBeUndefined();
    expect(repeatedPrefix('tag_tag')).toBeUndefined();
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
});
