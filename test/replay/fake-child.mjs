// A stand-in for dist/replay/child.js, started through a launch plan's `namespaces` prefix (the real child's command
// line follows and is ignored). It speaks the protocol the way a broken or subverted child could:
//   error         answers each job with a message of an unknown type, an `error` message, then `done`
//   schema-crash  reports that it reads the schema back (`p 0 -1 0`), then dies
//   bogus-offset  reports a statement offset that no statement of the file has, then dies
//   recorder      appends every line it reads to <folder>/<pid>.ndjson (the folder follows the scenario), and answers
//                 like an honest child whose migrations change nothing: an empty schema per segment, each `keep` kept
//                 (1000 bytes), a `restore` of a slot it does not hold (never kept, or forgotten) answered `missing`
// Every scenario writes its `ready` line in two pieces, the newline alone in the second, as a pipe may deliver it.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const scenario = process.argv[2];
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const permissions = { fsWrite: false, childProcess: false, worker: false };

process.stdout.write(JSON.stringify({ type: 'ready', pid: process.pid, uid: null, sqlite: 'fake', permissions }));
await new Promise((r) => setTimeout(r, 100));
process.stdout.write('\n');

const held = new Set();
const emptyPatch = { order: [], tables: {}, views: {}, triggers: {} };

function record(line, job) {
  appendFileSync(join(process.argv[3], `${process.pid}.ndjson`), `${line}\n`);
  if (!('id' in job)) {
    for (const slot of job.forget) held.delete(slot);
    return;
  }
  if (job.restore !== undefined && !held.has(job.restore)) {
    send({ type: 'done', id: job.id, cpuMicros: 0, kept: [], missing: true });
    return;
  }
  job.segments.forEach((files, index) => {
    const result = { patch: emptyPatch, failures: [], compatibility: [], renames: [], migrations: files.length, statements: 0 };
    send({ type: 'segment', id: job.id, index, result });
  });
  for (const k of job.keep ?? []) held.add(k.slot);
  send({ type: 'done', id: job.id, cpuMicros: 0, kept: (job.keep ?? []).map(() => 1000) });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const job = JSON.parse(line);
  if (scenario === 'recorder') return record(line, job);
  if (!('id' in job)) return; // a `forget`
  if (scenario === 'error') {
    send({ type: 'surprise', id: job.id });
    send({ type: 'error', id: job.id, message: 'boom' });
    send({ type: 'done', id: job.id, cpuMicros: 0, kept: [] });
  } else {
    process.stdout.write(scenario === 'schema-crash' ? 'p 0 -1 0\n' : 'p 0 0 99999\n', () => process.exit(3));
  }
});
