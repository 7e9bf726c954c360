// Launch plans that start test/replay/fake-child.mjs instead of the replay child (see that file's scenarios), and a
// sandbox of its recording children with what they were sent.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Job } from '../../src/replay/protocol.js';
import { ReplaySandbox, type ReplaySandboxOptions } from '../../src/replay/sandbox.js';
import type { LaunchPlan } from '../../src/sandbox/launch.js';

export type FakeChildScenario = 'error' | 'schema-crash' | 'bogus-offset' | 'recorder';

/** `args` follow the scenario on the fake child's command line (the recorder's folder; a tag to find its processes). */
export function fakeChildPlans(scenario: FakeChildScenario, ...args: string[]): () => LaunchPlan[] {
  const script = new URL('./fake-child.mjs', import.meta.url).pathname;
  return () => [
    {
      name: 'plain',
      protections: [],
      missing: ['network', 'processes', 'user', 'limits'],
      // The prefix runs the fake child; the real child's command line follows as its ignored arguments.
      namespaces: [process.execPath, script, scenario, ...args],
      prlimit: null,
      dedicatedUid: false,
    },
  ];
}

/** A line a recording child read (a job or a `forget`), or the line it wrote about itself when it started (or failed to). */
export type RecordedLine = Job | { forget: string[] } | { started: number; cwd: string } | { failed: number };

export interface RecordingSandbox {
  sandbox: ReplaySandbox;
  /** Every line the children of this sandbox recorded, in order. */
  lines(): RecordedLine[];
  /** The slots the children were told to forget, in order. */
  forgotten(): string[];
  /** Closes the sandbox and removes the recording. */
  close(): Promise<void>;
}

/** A sandbox (one child unless `size` says otherwise) of recording children that misbehave as `flags` say. */
export function recordingSandbox(options: Omit<ReplaySandboxOptions, 'launchPlans'> & { flags?: string[] } = {}): RecordingSandbox {
  const { flags = [], ...rest } = options;
  const folder = mkdtempSync(join(tmpdir(), 'safari-fake-'));
  const sandbox = new ReplaySandbox({ size: 1, log: () => {}, ...rest, launchPlans: fakeChildPlans('recorder', folder, flags.join(',')) });
  const log = join(folder, 'lines.ndjson');
  const lines = (): RecordedLine[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
  return {
    sandbox,
    lines,
    forgotten: () => lines().flatMap((line) => ('forget' in line ? line.forget : [])),
    close: async () => {
      await sandbox.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** For the tests of the calling `describe` (or file): recordingSandbox, each sandbox closed after its test. */
export function recordingSandboxPerTest(): typeof recordingSandbox {
  let open: RecordingSandbox[] = [];
  afterEach(async () => {
    await Promise.all(open.map((r) => r.close()));
    open = [];
  });
  return (options) => {
    const rec = recordingSandbox(options);
    open.push(rec);
    return rec;
  };
}
