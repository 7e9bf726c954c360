// The CLI as a user runs it: exit codes (0 pass, 1 fail, 2 usage/config), the JSON contract, one clear line on
// stderr for bad input and never a stack trace.
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, makeRepo } from './helpers/git-repo.js';
import { captureCli } from './helpers/capture-cli.js';

const bin = new URL('../bin/safari.js', import.meta.url).pathname;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

const capture = captureCli;

const wrangler = `name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "x"\n`;
const base = {
  'wrangler.toml': wrangler,
  'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
};

afterAll(() => cleanupRepos());

describe('safari review', () => {
  it('exits 0 and prints the JSON contract for a clean PR', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nCREATE INDEX posts_user ON posts(user_id);\n' } },
    ]);
    const { code, stdout, stderr } = await run(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ schemaVersion: 1, conclusion: 'success', findings: [] });
    expect(json.base).toMatch(/^[0-9a-f]{40}$/);
    expect(json.databases).toHaveLength(1);
    const [db] = json.databases;
    expect(db).toMatchObject({
      name: 'app-db',
      dialect: 'd1',
      sources: [{ kind: 'wrangler', path: 'migrations' }],
      base: { ok: true, migrations: 1, tables: 1 },
      head: { ok: true, migrations: 2, tables: 2 },
    });
    expect(db.delta).toEqual({
      tablesAdded: ['posts'], tablesDropped: [], tablesRenamed: [], tablesChanged: [],
      viewsAdded: [], viewsDropped: [], viewsChanged: [], triggersAdded: [], triggersDropped: [], triggersChanged: [],
    });
  });

  it('exits 1 when the PR adds a migration SQLite refuses, naming file and line', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_bad.sql': '-- add a column\n\nCREATE INDEX users_name ON users(name);\n' } },
    ]);
    const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.conclusion).toBe('failure');
    expect(json.findings[0]).toMatchObject({ rule: 'replay-error', severity: 'error', file: 'migrations/0002_bad.sql', line: 3, database: 'app-db' });
    expect(json.findings[0].message).toContain('no such column: name');
  });

  it('prints Markdown with the sticky marker and no terminal escapes', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }, { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } }]);
    const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout.startsWith('<!-- migration-safari -->')).toBe(true);
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it('--explain-discovery says which config and binding put each folder in each database', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }, { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } }]);
    for (const format of ['text', 'markdown']) {
      const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', format, '--explain-discovery']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/app-db.*←.*migrations/);
      expect(stdout).toContain('wrangler.toml');
      expect(stdout).toContain('DB');
    }
  });

  it('exits 2 with the config key and line for a bad .github/safari.yml on the base branch', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { ...base, '.github/safari.yml': 'failOn: error\ndatabases:\n  app-db:\n    migrations: [../../etc]\n' } },
      { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } },
    ]);
    const { code, stdout, stderr } = await run(['review', '--repo', repo, '--base', 'main', '--head', 'pr']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('.github/safari.yml:4: databases.app-db.migrations[0]');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 naming SAFARI_ISOLATION when it is neither strict nor best-effort, and reviews under strict', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_b.sql': 'CREATE TABLE b (x);\n' } },
    ]);
    const env = (value: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [bin, 'review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json'], { env: { ...process.env, SAFARI_ISOLATION: value } }, (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 99) : 0, stdout, stderr }),
        ),
      );
    const bad = await env('yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('safari: configuration error\nSAFARI_ISOLATION: must be "strict" or "best-effort", not "yes"\n');
    const strict = await env('strict');
    expect(strict.code).toBe(0);
    expect(JSON.parse(strict.stdout).sandbox).toEqual({ isolation: 'strict', missing: [], refused: false });
  });

  it('exits 2 naming an unknown rule id in the config', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { ...base, '.github/safari.yml': 'rules:\n  table-budjet: error\n' } },
      { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } },
    ]);
    const { code, stderr } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/safari\.yml:2: rules\.table-budjet: unknown rule "table-budjet" \(did you mean "table-budget"\?\)/);
  });

  it('exits 2 naming the key of a domain that points at an unknown database', async () => {
    const repo = await makeRepo([
      {
        branch: 'main',
        files: { ...base, '.github/safari.yml': 'domains:\n  observability:\n    prefixes: [observability_]\n    database: app-dbb\n' },
      },
      { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } },
    ]);
    const { code, stderr } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/safari\.yml:4: domains\.observability\.database: unknown database "app-dbb" \(did you mean "app-db"\?\)/);
  });

  it('still reviews databases the config does not name (naming one to give it an owner hides nothing)', async () => {
    const repo = await makeRepo([
      {
        branch: 'main',
        files: {
          ...base,
          'workers/jobs/wrangler.toml': `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "jobs-db"\n`,
          'workers/jobs/migrations/0001_jobs.sql': 'CREATE TABLE jobs (id INTEGER PRIMARY KEY);\n',
          '.github/safari.yml': 'databases:\n  app-db:\n    owner: "@org/app"\n',
        },
      },
      { branch: 'pr', from: 'main', files: { 'workers/jobs/migrations/0002_bad.sql': 'CREATE INDEX jobs_kind ON jobs(kind);\n' } },
    ]);
    const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.databases.map((d: { name: string }) => d.name)).toEqual(['app-db', 'jobs-db']);
    expect(json.findings[0]).toMatchObject({ rule: 'replay-error', database: 'jobs-db', file: 'workers/jobs/migrations/0002_bad.sql', line: 1 });
  });

  it('uses the base branch config, so a PR cannot turn its own review off', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      {
        branch: 'pr',
        from: 'main',
        files: { '.github/safari.yml': 'failOn: never\nrules:\n  replay-error: off\n', 'migrations/0002_bad.sql': 'CREATE INDEX x ON nope(a);\n' },
      },
    ]);
    const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.findings.map((f: { rule: string; messageId: string }) => `${f.rule}/${f.messageId}`)).toEqual(
      expect.arrayContaining(['replay-error/sql', 'discovery/config-changed']),
    );
  });

  it("names the file, line and key of a PR's broken safari.yml, which would stop every review after the merge", async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      {
        branch: 'pr',
        from: 'main',
        files: { '.github/safari.yml': 'failOn: error\ndatabases:\n  app-db:\n    migrations: libs/db\nrules:\n  no-such-rule: off\n' },
      },
    ]);
    const { code, stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    expect(code).toBe(0);
    const problems = JSON.parse(stdout).findings.filter((f: { messageId: string }) => f.messageId === 'config-unreadable');
    expect(problems).toEqual([
      expect.objectContaining({ file: '.github/safari.yml', line: 4, message: expect.stringContaining('databases.app-db.migrations: expected a list') }),
    ]);
    const fixed = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { '.github/safari.yml': 'rules:\n  no-such-rule: off\n' } },
    ]);
    const second = JSON.parse((await capture(['review', '--repo', fixed, '--base', 'main', '--head', 'pr', '--format', 'json'])).stdout);
    expect(second.findings.filter((f: { messageId: string }) => f.messageId === 'config-unreadable')).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('rules.no-such-rule: unknown rule') }),
    ]);
  });

  it('reviews a folder once when the PR gives it to a database under a new name', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { 'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n' } },
      { branch: 'pr', from: 'main', files: { 'wrangler.toml': wrangler, 'migrations/0002_drop.sql': 'DROP TABLE users;\n' } },
    ]);
    const { stdout } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json']);
    const json = JSON.parse(stdout);
    expect(json.databases.map((d: { name: string }) => d.name)).toEqual(['app-db']);
    expect(json.databases[0].base.tables).toBe(1);
    expect(json.findings.filter((f: { rule: string }) => f.rule === 'destructive-change')).toHaveLength(1);
  });

  it('does not call a folder unattributed when the PR names it in a wrangler config', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { ...base, 'migrations/manual/0001_fix.sql': 'CREATE TABLE fixes (id INTEGER);\n' } },
      {
        branch: 'pr',
        from: 'main',
        files: { 'wrangler.toml': `${wrangler}[[d1_databases]]\nbinding = "FIXES"\ndatabase_name = "fixes-db"\nmigrations_dir = "migrations/manual"\n` },
      },
    ]);
    const json = JSON.parse((await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json'])).stdout);
    expect(json.databases.map((d: { name: string; sources: { path: string }[] }) => [d.name, d.sources.map((s) => s.path)])).toEqual([
      ['app-db', ['migrations']],
      ['fixes-db', ['migrations/manual']],
    ]);
    expect(json.unattributed).toEqual([]);
    expect(json.findings.filter((f: { messageId: string }) => f.messageId === 'unattributed-folder')).toEqual([]);
  });

  it('exits 2 for an unknown ref, a missing repo and bad flags', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }]);
    const unknownRef = await capture(['review', '--repo', repo, '--base', 'origin/mian', '--head', 'main']);
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain('origin/mian');
    expect((await capture(['review', '--repo', '/nonexistent/repo', '--base', 'main'])).code).toBe(2);
    const badFormat = await capture(['review', '--repo', repo, '--base', 'main', '--format', 'yaml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be one of markdown, json, text');
    expect((await capture(['review', '--bogus'])).code).toBe(2);
    expect((await capture(['frobnicate'])).code).toBe(2);
  });

  it('--docs-url sets where rule links point, and refuses anything but an absolute http(s) URL', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' } },
    ]);
    const args = ['review', '--repo', repo, '--base', 'main', '--head', 'pr'];
    const md = await capture([...args, '--format', 'markdown', '--docs-url', 'https://docs.example.com/rules']);
    expect(md.stdout).toContain('[`destructive-change`](https://docs.example.com/rules/destructive-change.md)');
    const json = JSON.parse((await capture([...args, '--format', 'json', '--docs-url', 'https://docs.example.com/r/{rule}'])).stdout);
    expect(json.docsUrl).toBe('https://docs.example.com/r/{rule}');
    for (const bad of ['docs/rules', 'javascript:alert(1)', 'file:///etc/passwd']) {
      const refused = await capture([...args, '--docs-url', bad]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--docs-url must be an absolute http(s) URL');
    }
  });

  it('exits 2 naming docsUrl and its line when safari.yml gives a docs URL that is not http(s)', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: { ...base, '.github/safari.yml': 'failOn: error\ndocsUrl: javascript:alert(1)\n' } },
      { branch: 'pr', from: 'main', files: { 'README.md': 'hi' } },
    ]);
    const { code, stderr } = await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr']);
    expect(code).toBe(2);
    expect(stderr).toContain('.github/safari.yml:2: docsUrl: must be an absolute http(s) URL');
  });

  it('--fail-on warning turns warnings into a failing exit code', async () => {
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' } },
    ]);
    expect((await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr'])).code).toBe(0);
    expect((await capture(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--fail-on', 'warning'])).code).toBe(1);
  });
});

describe('safari review --deadline', () => {
  // Issue 9: a hanging migration must not hold the check, nor pass it. The sandbox alone would wait 10 s per try.
  it('ends the review at the deadline, names the database it did not replay, and fails', { timeout: 30_000 }, async () => {
    const hang = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n;\n';
    const repo = await makeRepo([
      { branch: 'main', files: base },
      { branch: 'pr', from: 'main', files: { 'migrations/0002_hang.sql': hang } },
    ]);
    const { code, stdout } = await run(['review', '--repo', repo, '--base', 'main', '--head', 'pr', '--format', 'json', '--deadline', '1']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.conclusion).toBe('failure');
    expect(json.findings.map((f: { rule: string; messageId: string; database?: string }) => [f.rule, f.messageId, f.database])).toEqual([
      ['review-incomplete', 'deadline-replay', 'app-db'],
    ]);
  });

  it('refuses a deadline that is not a positive number of seconds', async () => {
    const bad = await capture(['review', '--repo', '.', '--base', 'main', '--deadline', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deadline must be a number of seconds between 0 and 3600, got "soon"');
  });
});

describe('output to a pipe the reader closes early (safari map | head -c 10)', () => {
  it('stops quietly: no EPIPE stack trace', async () => {
    const files: Record<string, string> = { ...base };
    for (let i = 2; i <= 400; i++) files[`migrations/${String(i).padStart(4, '0')}_t.sql`] = `CREATE TABLE t${i}_${'x'.repeat(1000)} (id INTEGER);\n`;
    const repo = await makeRepo([{ branch: 'main', files }]);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'map', '--repo', repo, '--rev', 'main', '--format', 'json']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\(/);
    expect(code).toBe(0);
  });
});

describe('safari map and rules', () => {
  it('maps databases and tables at a revision', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }]);
    const { code, stdout } = await capture(['map', '--repo', repo, '--rev', 'main', '--format', 'json']);
    expect(code).toBe(0);
    const map = JSON.parse(stdout);
    expect(map.schemaVersion).toBe(1);
    expect(map.rev).toMatch(/^[0-9a-f]{40}$/);
    expect(map.databases).toEqual([
      expect.objectContaining({ name: 'app-db', migrations: 1, replayOk: true, firstFailure: null, tables: [{ name: 'users', columns: 2, domain: 'other', references: 0, testReferences: 0 }] }),
    ]);
    expect(map.totals).toEqual(expect.objectContaining({ databases: 1, migrations: 1, tables: 1, unusedTables: 1 }));
  });

  it('describes one table: safari table NAME (exit 1 when no table has that name)', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }]);
    const found = await capture(['table', 'users', '--repo', repo, '--rev', 'main', '--format', 'text']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('users in app-db');
    expect(found.stdout).toMatch(/migrations\/0001_\w+\.sql:1 {2}created/);
    const missing = await capture(['table', 'user', '--repo', repo, '--rev', 'main', '--format', 'text']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('no table named user (did you mean users?)\n');
    expect((await capture(['table', '--repo', repo])).code).toBe(2);
  });

  it('says which migration files it could not read, and honours the config\'s ignore globs', async () => {
    const repo = await makeRepo([
      {
        branch: 'main',
        files: {
          ...base,
          '.github/safari.yml': 'ignore: ["migrations/*_draft.sql"]\n',
          'migrations/0002_blob.sql': new Uint8Array([0x53, 0x51, 0x4c, 0x00, 0x01]),
          'migrations/0003_wip_draft.sql': 'CREATE TABLE draft (id INTEGER);\n',
        },
      },
    ]);
    const map = JSON.parse((await capture(['map', '--repo', repo, '--rev', 'main', '--format', 'json'])).stdout);
    // SQLite runs the blob up to its NUL byte: it is a migration (that fails), and the map says where the NUL is.
    expect(map.databases).toEqual([expect.objectContaining({ name: 'app-db', migrations: 2, tables: [expect.objectContaining({ name: 'users' })] })]);
    expect(map.notices).toEqual(['config-unreadable: migrations/0002_blob.sql · SQLite stops reading it at the NUL byte on line 1']);
  });

  it('names the --rev it cannot find, not a "base ref"', async () => {
    const repo = await makeRepo([{ branch: 'main', files: base }]);
    const { code, stderr } = await capture(['map', '--repo', repo, '--rev', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toBe(`safari: --rev "nope" not found in ${repo}\n`);
  });

  it('lists every rule with its default severity', async () => {
    const { code, stdout } = await capture(['rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^replay-error\s+error\s+/m);
    expect(stdout).toMatch(/^duplicate-number\s+error\s+/m);
  });
});
