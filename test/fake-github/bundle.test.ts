// The bundle plain-Node scripts (the benchmark) import: it builds, and the fake it exports serves a real review's reads.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('scripts/build-fake-github.mjs bundles a working fake into test/fake-github/dist.mjs', async () => {
  const script = fileURLToPath(new URL('../../scripts/build-fake-github.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim();
  expect(out).toMatch(/test\/fake-github\/dist\.mjs$/);
  const m = await import(/* @vite-ignore */ `${out}?t=${Date.now()}`);
  const fake = await m.startFakeGitHub();
  try {
    const { pulls } = await m.seedGrove(fake);
    const octokit = m.fakeOctokit(fake);
    const { data } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'grove', pull_number: pulls.pr.number });
    const event = await m.pullRequestEvent(fake, pulls.pr, 'opened');
    expect(event.payload.pull_request.head.sha).toBe(data.head.sha);
    expect(data.mergeable).toBe(true);
  } finally {
    await fake.close();
    await m.removeClones();
  }
}, 120_000);
