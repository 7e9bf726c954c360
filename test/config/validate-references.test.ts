import { describe, expect, it } from 'vitest';
import { formatConfigError, parseConfig } from '../../src/config/load-config.js';
import { validateConfigReferences } from '../../src/config/validate-references.js';

const known = { ruleIds: ['destructive-change', 'duplicate-number', 'table-budget'], databaseNames: ['grove-curios-db', 'grove-engine-db'] };

describe('validateConfigReferences', () => {
  it('accepts known rule ids and databases', () => {
    const r = parseConfig('rules:\n  table-budget: off\ndomains:\n  core: { tables: [posts], database: grove-engine-db }\n');
    if (!r.ok) throw new Error('bad fixture');
    expect(validateConfigReferences(r.config, known, { locate: r.locate })).toEqual([]);
  });

  it('names unknown rule ids and databases with their lines and a hint', () => {
    const text = `rules:
  table-budget: warning
  tabel-budget: error
  no-such-rule: off
domains:
  curios:
    prefixes: [gallery_]
    database: grove-curio-db
  billing:
    tables: [platform_billing]
    database: payments
`;
    const r = parseConfig(text);
    if (!r.ok) throw new Error('bad fixture');
    expect(validateConfigReferences(r.config, known, { locate: r.locate }).map(formatConfigError)).toEqual([
      '.github/safari.yml:3: rules.tabel-budget: unknown rule "tabel-budget" (did you mean "table-budget"?)',
      '.github/safari.yml:4: rules.no-such-rule: unknown rule "no-such-rule"; known: destructive-change, duplicate-number, table-budget',
      '.github/safari.yml:8: domains.curios.database: unknown database "grove-curio-db" (did you mean "grove-curios-db"?)',
      '.github/safari.yml:11: domains.billing.database: unknown database "payments"; known: grove-curios-db, grove-engine-db',
    ]);
  });

  it('works without line information', () => {
    const r = parseConfig('rules:\n  nope: off\n');
    if (!r.ok) throw new Error('bad fixture');
    expect(validateConfigReferences(r.config, { ruleIds: [], databaseNames: [] })).toEqual([
      { file: '.github/safari.yml', path: 'rules.nope', line: undefined, message: 'unknown rule "nope"; none are known' },
    ]);
  });
});
