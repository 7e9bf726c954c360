import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unknown-domain.js';
import { expectFires, expectPasses } from '../helpers/lint.js';
import { migrationsInput } from '../helpers/prepared-input.js';

const domains = {
  auth: { prefixes: ['auth_'], database: 'app-db' },
  learn: { prefixes: ['learn_'], tables: ['courses'], database: 'app-db' },
};

function input(requirePrefix: boolean, sql: string, withDomains = true) {
  const config = JSON.stringify({ domains: withDomains ? domains : {}, naming: { requirePrefix } });
  return migrationsInput({ 'm/0001.sql': 'CREATE TABLE users(id);' }, { 'm/0002.sql': sql }, { files: { '.github/safari.yml': config } });
}

describe('unknown-domain', () => {
  it('passes for new tables that match a prefix or a listed name', async () => {
    await expectPasses(rule, input(true, 'CREATE TABLE auth_tokens(id); CREATE TABLE courses(id);'));
  });

  it('passes when requirePrefix is off or no domains are configured', async () => {
    await expectPasses(rule, input(false, 'CREATE TABLE notifications(id);'));
    await expectPasses(rule, input(true, 'CREATE TABLE notifications(id);', false));
  });

  it('does not judge tables that already exist on main (users has no prefix)', async () => {
    await expectPasses(rule, input(true, 'CREATE TABLE auth_sessions(id);'));
  });

  it('fires for a new table that matches no domain, listing the known prefixes', async () => {
    const [r] = await expectFires(rule, input(true, '\nCREATE TABLE notifications(id);'));
    expect(r).toMatchObject({ messageId: 'unknown', table: 'notifications', file: 'm/0002.sql', line: 2, data: { prefixes: ['auth_', 'learn_'] } });
  });

  it('points at the statement that introduces the table: its CREATE, or the RENAME onto it', async () => {
    const created = await expectFires(rule, input(true, 'CREATE TABLE auth_codes(id);\nDROP TABLE IF EXISTS misc;\nCREATE TABLE misc(id);'));
    expect(created).toEqual([expect.objectContaining({ table: 'misc', file: 'm/0002.sql', line: 3 })]);
    const renamed = await expectFires(rule, input(true, 'CREATE TABLE auth_codes(id);\nALTER TABLE auth_codes RENAME TO codes;\nALTER TABLE users RENAME TO people;'));
    expect(renamed.map((r) => [r.table, r.line])).toEqual([
      ['codes', 2],
      ['people', 3],
    ]);
  });

  it('lists the known prefixes sorted, whatever order the config gives them', async () => {
    const config = JSON.stringify({ domains: { z: { prefixes: ['zoo_'], database: 'app-db' }, a: { prefixes: ['app_', 'zoo_'], database: 'app-db' } }, naming: { requirePrefix: true } });
    const [r] = await expectFires(rule, migrationsInput({}, { 'm/0001.sql': 'CREATE TABLE misc(id);' }, { files: { '.github/safari.yml': config } }));
    expect(r.data?.prefixes).toEqual(['app_', 'zoo_']);
  });
});
