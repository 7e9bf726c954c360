import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig, parseConfig, type ConfigError } from '../../src/config/load-config.js';
import { defaultConfig } from '../../src/config/schema.js';
import { memoryTree } from '../helpers/memory-tree.js';

const errorsOf = (text: string): ConfigError[] => {
  const r = parseConfig(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};
const lines = (text: string): string[] => errorsOf(text).map(formatConfigError);

describe('parseConfig', () => {
  it('accepts the documented config and fills defaults', () => {
    const r = parseConfig(`# Safari config
databases:                       # omit to auto-discover
  grove-engine-db:
    migrations: [libs/engine/migrations, apps/landing/migrations]
    owner: libs/engine
    maxTables: 80
failOn: warning
rules:
  table-budget: error
domains:
  curios: { prefixes: [gallery_, timeline_], tables: [hit_counters], database: grove-curios-db }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.databases).toEqual({ 'grove-engine-db': { migrations: ['libs/engine/migrations', 'apps/landing/migrations'], owner: 'libs/engine', maxTables: 80 } });
    expect(r.config).toMatchObject({ failOn: 'warning', rules: { 'table-budget': 'error' }, maxTables: 100, naming: { requirePrefix: false } });
    expect(r.config.domains.curios).toEqual({ prefixes: ['gallery_', 'timeline_'], tables: ['hit_counters'], database: 'grove-curios-db' });
    expect(r.locate(['domains', 'curios', 'database'])).toBe(11);
  });

  it('reads rule settings as a severity or a mapping, the isolation setting and the evaluation-failure severity', () => {
    const r = parseConfig(
      'rules:\n  table-budget: error\n  drop-referenced-table: { severity: warning, allowInlineAck: true }\nsandbox:\n  isolation: strict\ndrizzle:\n  evaluationFailure: error\n',
    );
    expect(r.ok && r.config.rules).toEqual({ 'table-budget': 'error', 'drop-referenced-table': { severity: 'warning', allowInlineAck: true } });
    expect(r.ok && r.config.sandbox).toEqual({ isolation: 'strict' });
    expect(r.ok && r.config.drizzle).toEqual({ evaluateSchema: 'same-repo', evaluationFailure: 'error' });
    expect(defaultConfig().drizzle.evaluationFailure).toBe('warning');
    expect(defaultConfig().sandbox).toEqual({});
  });

  it('names the key and line of a bad rule mapping, isolation or evaluation-failure setting', () => {
    expect(
      lines('rules:\n  table-budget: { severity: loud }\n  drop-referenced-table: { allowInlineAck: yes please }\nsandbox:\n  isolation: weak\ndrizzle:\n  evaluationFailure: off\n'),
    ).toEqual([
      '.github/safari.yml:2: rules.table-budget.severity: expected one of error | warning | notice | off, got "loud"',
      '.github/safari.yml:3: rules.drop-referenced-table.allowInlineAck: expected true or false, got "yes please"',
      '.github/safari.yml:5: sandbox.isolation: expected one of strict | best-effort, got "weak"',
      '.github/safari.yml:7: drizzle.evaluationFailure: expected one of error | warning | notice, got "off"',
    ]);
  });

  it('treats an empty file as the defaults', () => {
    const r = parseConfig('# nothing yet\n');
    expect(r).toMatchObject({ ok: true, config: defaultConfig() });
  });

  it('names the key path, line and expected values of a wrong enum', () => {
    expect(lines('databases:\n  x:\n    migrations: [a]\nfailOn: sometimes\n')).toEqual([
      '.github/safari.yml:4: failOn: expected one of error | warning | never, got "sometimes"',
    ]);
  });

  it('rejects paths that escape the repository or are absolute, naming the path', () => {
    const text = `databases:
  x:
    migrations:
      - libs/engine/migrations
      - ../../etc
      - /etc/passwd
      - libs/../../outside
`;
    expect(lines(text)).toEqual([
      '.github/safari.yml:5: databases.x.migrations[1]: "../../etc" must stay inside the repository (no "..")',
      '.github/safari.yml:6: databases.x.migrations[2]: "/etc/passwd" must be relative to the repository root',
      '.github/safari.yml:7: databases.x.migrations[3]: "libs/../../outside" must stay inside the repository (no "..")',
    ]);
  });

  it('rejects Windows-absolute paths too', () => {
    expect(lines("databases:\n  x:\n    migrations: ['C:\\repo\\m', '\\\\server\\share', ok/folder]\n")).toEqual([
      '.github/safari.yml:3: databases.x.migrations[0]: "C:\\\\repo\\\\m" must be relative to the repository root',
      '.github/safari.yml:3: databases.x.migrations[1]: "\\\\\\\\server\\\\share" must be relative to the repository root',
    ]);
  });

  it('reports unknown keys at their own line, with a hint', () => {
    const errors = errorsOf(`failOn: error
databases:
  grove-engine-db:
    migration: [libs/engine/migrations]
    color: blue
failon: never
`);
    expect(errors).toEqual([
      { file: '.github/safari.yml', path: 'databases.grove-engine-db.migration', line: 4, message: 'unknown key (did you mean "migrations"?)' },
      {
        file: '.github/safari.yml',
        path: 'databases.grove-engine-db.color',
        line: 5,
        message: 'unknown key; expected one of migrations, dialect, applier, owner, maxTables, baseline',
      },
      { file: '.github/safari.yml', path: 'failon', line: 6, message: 'unknown key (did you mean "failOn"?)' },
    ]);
  });

  it('reports wrong types, missing keys and bad numbers', () => {
    expect(
      lines(`databases:
  x:
    migrations: libs/engine/migrations
    maxTables: -3
domains:
  curios:
    prefixes: [gallery_]
naming: yes please
rules:
  table-budget: loud
maxTables: 2.5
`),
    ).toEqual([
      '.github/safari.yml:3: databases.x.migrations: expected a list, got "libs/engine/migrations"',
      '.github/safari.yml:4: databases.x.maxTables: expected a number > 0, got -3',
      '.github/safari.yml:6: domains.curios.database: required: expected a string',
      '.github/safari.yml:8: naming: expected a mapping, got "yes please"',
      '.github/safari.yml:10: rules.table-budget: expected one of error | warning | notice | off, got "loud"',
      '.github/safari.yml:11: maxTables: expected an integer, got 2.5',
    ]);
  });

  it('reports an empty migrations list and an empty value', () => {
    expect(lines('databases:\n  x:\n    migrations: []\nfailOn:\n')).toEqual([
      '.github/safari.yml:3: databases.x.migrations: expected at least 1 entry',
      '.github/safari.yml:4: failOn: expected one of error | warning | never, got null (an empty value)',
    ]);
  });

  it('reads an emptied collection (every entry commented out) as absent', () => {
    const r = parseConfig('databases:\n  # grove-engine-db:\n  #   migrations: [libs/engine/migrations]\nrules:\n');
    expect(r).toMatchObject({ ok: true, config: { rules: {} } });
    expect(r.ok && r.config.databases).toBeUndefined();
  });

  it('quotes keys that are not plain words', () => {
    expect(lines('owners:\n  "libs/engine/**": 42\n')).toEqual(['.github/safari.yml:2: owners["libs/engine/**"]: expected a string, got 42']);
  });

  it('reports YAML syntax errors with their line', () => {
    const errors = errorsOf('databases:\n  x:\n    migrations: [a, b\nfailOn: error\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: '.github/safari.yml', path: '' });
    expect(errors[0].line).toBeGreaterThanOrEqual(3);
    expect(errors[0].message).toMatch(/^YAML syntax error: /);
    expect(errorsOf('failOn: error\nfailOn: never\n')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/unique/) });
  });

  it('reports a document that is not a mapping', () => {
    expect(lines('- just\n- a list\n')).toEqual(['.github/safari.yml:1: expected a mapping, got a list']);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const r = parseConfig(bomb);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toMatch(/could not be read|alias/i);
  });

  it('refuses an oversized config before parsing it, naming its size', () => {
    const huge = `ignore:\n${'  - "x/**"\n'.repeat(40_000)}`;
    expect(lines(huge)).toEqual([`.github/safari.yml: is ${Math.ceil(huge.length / 1024)} KiB; a configuration may be at most 256 KiB`]);
  });

  it('refuses keys zod would drop or yaml would stringify, naming their line', () => {
    expect(lines('databases:\n  __proto__:\n    migrations: [db]\n')).toEqual(['.github/safari.yml:2: databases.__proto__: is a reserved name']);
    expect(lines('owners:\n  ? [a, b]\n  : "@team"\n')).toEqual(['.github/safari.yml:2: owners: a key must be a plain name, not a list or mapping']);
  });

  it('uses the file name it is given', () => {
    expect(errorsOf('failOn: 3\n')[0].file).toBe('.github/safari.yml');
    const r = parseConfig('failOn: 3\n', '.github/safari.yaml');
    expect(!r.ok && formatConfigError(r.errors[0])).toBe('.github/safari.yaml:1: failOn: expected one of error | warning | never, got 3');
  });
});

describe('formatConfigError', () => {
  it('omits what it does not know', () => {
    expect(formatConfigError({ file: 'f.yml', path: '', message: 'm' })).toBe('f.yml: m');
    expect(formatConfigError({ file: 'f.yml', path: 'a.b', message: 'm' })).toBe('f.yml: a.b: m');
  });
});

describe('loadConfig', () => {
  it('returns the defaults when there is no config', async () => {
    expect(await loadConfig(memoryTree({ 'README.md': '' }))).toEqual({ config: defaultConfig(), errors: [] });
  });

  it('reads .github/safari.yaml too, and prefers .yml', async () => {
    const yaml = await loadConfig(memoryTree({ '.github/safari.yaml': 'failOn: never\n' }));
    expect(yaml).toMatchObject({ file: '.github/safari.yaml', errors: [], config: { failOn: 'never' } });
    const both = await loadConfig(memoryTree({ '.github/safari.yaml': 'failOn: never\n', '.github/safari.yml': 'failOn: warning\n' }));
    expect(both).toMatchObject({ file: '.github/safari.yml', config: { failOn: 'warning' } });
  });

  it('reads the review limits, and names a wrong one by key and line', () => {
    const ok = parseConfig('limits:\n  deadlineSeconds: 90\n  onIncomplete: neutral\n');
    expect(ok.ok && ok.config.limits).toEqual({ ...defaultConfig().limits, deadlineSeconds: 90, onIncomplete: 'neutral' });
    const bad = parseConfig('limits:\n  deadline: 5\n  maxDatabases: 0\n');
    expect(bad.ok ? [] : bad.errors.map(formatConfigError)).toEqual([
      expect.stringMatching(/^\.github\/safari\.yml:2: limits.*deadline/),
      expect.stringMatching(/^\.github\/safari\.yml:3: limits\.maxDatabases: /),
    ]);
  });

  it('refuses an oversized config before reading it', async () => {
    const tree = memoryTree({ '.github/safari.yml': `# ${'x'.repeat(300 * 1024)}\n` });
    const r = await loadConfig(tree);
    expect(r.errors.map(formatConfigError)).toEqual(['.github/safari.yml: is 301 KiB; a configuration may be at most 256 KiB']);
    expect(tree.reads.flat()).toEqual([]);
  });

  it('reports a config that exists but is not text instead of using the defaults', async () => {
    const tree = memoryTree({ '.github/safari.yml': 'failOn: never\n' });
    const r = await loadConfig({ ...tree, read: async (paths) => new Map(paths.map((p) => [p, undefined])) });
    expect(r.errors.map(formatConfigError)).toEqual(['.github/safari.yml: is not a text file (binary content)']);
  });

  it('returns errors (and the defaults) for a bad config', async () => {
    const r = await loadConfig(memoryTree({ '.github/safari.yml': 'failOn: sometimes\n' }));
    expect(r.config).toEqual(defaultConfig());
    expect(r.errors.map(formatConfigError)).toEqual(['.github/safari.yml:1: failOn: expected one of error | warning | never, got "sometimes"']);
  });
});
