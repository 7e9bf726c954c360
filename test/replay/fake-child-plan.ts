// Launch plans that start test/replay/fake-child.mjs instead of the replay child (see that file's scenarios).
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
