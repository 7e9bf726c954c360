#!/usr/bin/env node
// Copies the webhook payloads the App handles from @octokit/webhooks-examples (GitHub's own examples, from its
// OpenAPI description) into fixtures/webhooks/<event>.<action>.json. The fake GitHub's payload builders start from
// these files and overwrite ids, shas and names, so every payload a test sends has GitHub's real shape.
// test/fake-github/webhook-fixtures.test.ts checks the files still equal the package's examples.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which example of each event: the first one with an `installation` key (what an App receives). */
export const WEBHOOK_FIXTURES = [
  ['pull_request', 'opened'],
  ['pull_request', 'synchronize'],
  ['pull_request', 'reopened'],
  ['pull_request', 'ready_for_review'],
  ['pull_request', 'closed'],
  ['issue_comment', 'created'],
  ['issue_comment', 'edited'],
  ['issue_comment', 'deleted'],
  ['check_run', 'rerequested'],
  ['check_run', 'requested_action'],
  ['check_run', 'created'],
  ['check_run', 'completed'],
  ['check_suite', 'rerequested'],
  ['check_suite', 'requested'],
  ['push', null],
  ['installation', 'created'],
];

export function pickExample(examples, event, action) {
  const matching = examples.find((e) => e.name === event).examples.filter((x) => (action === null ? x.ref?.startsWith('refs/heads/') : x.action === action));
  return matching.find((x) => x.installation) ?? matching[0];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'webhooks');
  mkdirSync(out, { recursive: true });
  for (const [event, action] of WEBHOOK_FIXTURES) {
    const example = pickExample(examples, event, action);
    if (!example) throw new Error(`no example for ${event}.${action}`);
    const file = join(out, `${event}${action ? `.${action}` : ''}.json`);
    writeFileSync(file, `${JSON.stringify(example, null, 2)}\n`);
    process.stdout.write(`${file}\n`);
  }
}
