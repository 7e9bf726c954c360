// A stand-in for dist/replay/child.js, started through a launch plan's `namespaces` prefix (the real child's command
// line follows and is ignored). It speaks the protocol the way a broken or subverted child could:
//   error         answers each job with a message of an unknown type, an `error` message, then `done`
//   schema-crash  reports that it reads the schema back (`p 0 -1 0`), then dies
//   bogus-offset  reports a statement offset that no statement of the file has, then dies
//   recorder      appends a first line with its pid and working directory, then every line it reads, to
//                 <folder>/lines.ndjson (the folder follows the scenario; the children of one sandbox share the
//                 file, one append per line, so it keeps their order), and answers
//                 like an honest child whose migrations change nothing: an empty schema per segment, each `keep` kept
//                 (1000 bytes), a `restore` of a slot it does not hold (never kept, or forgotten) answered `missing`.
//                 Flags (comma-separated, after the folder) make it misbehave:
//                   amnesiac              says it keeps databases but holds none: every `restore` is `missing`
//                   keep-zero             says it kept 0 bytes (it could not serialize the database)
//                   bad-patch             answers a `restore` job with a patch naming a table neither sent nor known
//                   bad-patch-always      the same for every job
//                   retire                reports more CPU time than the pool lets a child use
//                   cpu=N                 reports N microseconds of CPU time with each answer
//                   reverses-segments     answers a job's segments last first
//                   slow-in=NAME          answers 2 s late a job whose first file's path contains NAME
//                   fails-job             answers each job with an error and no segment (the real child's answer to
//                                         an exception it caught), and stays alive
//                   silent                reads jobs and never answers
//                   dies-unless-skipping  dies in the first statement of a job that skips nothing
//                   dies-after-segment    starts the first statement, answers segment 0, then dies
//                   dies-at-job=N         dies in the first statement of the N-th job this process reads
//                   dies-in=NAME          dies in the first statement of the first segment whose first file's path
//                                         contains NAME, unless the job skips a statement of that segment
//                   dies-after-segment-at-job=N  dies-after-segment, in the N-th job this process reads
//                   lies-about-progress=S:F  says it runs statement 0 of file F of segment S (which need not exist) and
//                                         dies there
//                   oom                   prints 5000 characters and then V8's heap-limit line on stderr, and dies in
//                                         the first statement of a job that skips nothing
//                   closes-stdin          closes its end of the job pipe once ready (and so never answers)
//                   reports-failures      reports, in a segment of two files or more, a failure at line 3 of its first
//                                         file and one at line 1 of its last
//                   chatty                writes, in the same piece as its `ready` line and before it, a line that is
//                                         not JSON, a progress line and a `done` for a job nobody sent; and before each
//                                         answer, a segment and a `done` for another job
//                   dies-saying           prints three lines on stderr, then dies in the first statement of each job
//                   fails-to-start        prints four lines on stderr (the last ends in spaces) and exits before ready
//                   fails-to-start-quietly  exits before ready, having printed nothing
//                   fails-to-restart      starts if it is the folder's first child; any later one appends
//                                         `{"failed": pid}` and exits before ready
// Every scenario writes its `ready` line in two pieces, the newline alone in the second, as a pipe may deliver it.
import { appendFileSync, closeSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const scenario = process.argv[2];
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const permissions = { fsWrite: false, childProcess: false, worker: false };

const flags = new Set((process.argv[4] ?? '').split(',').filter(Boolean));
const flagValue = (name) => [...flags].find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
if (flags.has('fails-to-start')) process.stderr.write('one\ntwo\nthree\nfour  \n', () => process.exit(3));
if (flags.has('fails-to-start-quietly')) process.exit(3);
if (flags.has('fails-to-start') || flags.has('fails-to-start-quietly')) await new Promise(() => {}); // until the exit above
const log = scenario === 'recorder' ? join(process.argv[3], 'lines.ndjson') : '';
if (flags.has('fails-to-restart') && existsSync(log) && readFileSync(log, 'utf8').includes('"started"')) {
  appendFileSync(log, `${JSON.stringify({ failed: process.pid })}\n`);
  process.exit(3);
}
if (log) appendFileSync(log, `${JSON.stringify({ started: process.pid, cwd: process.cwd() })}\n`);
if (flags.has('closes-stdin')) {
  process.stdin.destroy();
  try {
    closeSync(0); // the pipe's read end itself, so the parent's next write fails (EPIPE)
  } catch {
    // already closed by destroy()
  }
  setInterval(() => {}, 1 << 30); // alive, deaf
}
// Lines the parent must pass over without a job running (nothing else writes to the child's stdout).
const noise = flags.has('chatty') ? `hello\np 0 0 0\n${JSON.stringify({ type: 'done', id: 0, cpuMicros: 0, kept: [] })}\n` : '';
process.stdout.write(noise + JSON.stringify({ type: 'ready', pid: process.pid, uid: null, sqlite: 'fake', permissions }));
await new Promise((r) => setTimeout(r, 100));
process.stdout.write('\n');

const held = new Set();
const emptyPatch = { order: [], tables: {}, views: {}, triggers: {} };

const dieAt = Number(flagValue('dies-at-job') ?? 0);
const diesIn = flagValue('dies-in');
const diesAfterSegmentAt = Number(flagValue('dies-after-segment-at-job') ?? 0);
let jobs = 0;
const die = (line) => process.stdout.write(line, () => process.exit(3));

function record(line, job) {
  appendFileSync(join(process.argv[3], 'lines.ndjson'), `${line}\n`);
  if (!('id' in job)) {
    for (const slot of job.forget) held.delete(slot);
    return;
  }
  jobs++;
  if (flags.has('silent')) return;
  const slowIn = flagValue('slow-in');
  if (slowIn && job.segments[0]?.[0]?.path.includes(slowIn)) setTimeout(() => answer(job), 2000);
  else answer(job);
}

function answer(job) {
  const skips = job.skip?.length > 0;
  if (flags.has('oom') && !skips) {
    process.stderr.write(`${'x'.repeat(5000)}\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n`, () => die('p 0 0 0\n'));
    return;
  }
  if (flags.has('dies-saying')) {
    process.stderr.write('one\ntwo\nthree\n', () => die('p 0 0 0\n'));
    return;
  }
  if (flags.has('chatty')) {
    const other = { type: 'segment', id: job.id + 1, index: 0, result: { patch: { ...emptyPatch, order: ['ghost'] }, failures: [], compatibility: [], renames: [], migrations: 9, statements: 9 } };
    send(other);
    send({ type: 'done', id: job.id + 1, cpuMicros: 0, kept: [] });
  }
  if (jobs === dieAt || (flags.has('dies-unless-skipping') && !skips)) return die('p 0 0 0\n');
  if (job.restore !== undefined && !held.has(job.restore)) {
    send({ type: 'done', id: job.id, cpuMicros: 0, kept: [], missing: true });
    return;
  }
  const badPatch = flags.has('bad-patch-always') || (flags.has('bad-patch') && job.restore !== undefined);
  const patch = badPatch ? { ...emptyPatch, order: ['ghost'] } : emptyPatch;
  const segment = (files, index) => {
    const failure = (file, line) => ({ kind: 'sql', file: file.path, line, statement: 'SELECT 1;', message: 'reported', more: 0 });
    const failures = flags.has('reports-failures') && files.length > 1 ? [failure(files[0], 3), failure(files.at(-1), 1)] : [];
    const result = { patch, failures, compatibility: [], renames: [], migrations: files.length, statements: 0 };
    return JSON.stringify({ type: 'segment', id: job.id, index, result }) + '\n';
  };
  const diesInSegment = diesIn ? job.segments.findIndex((files) => files[0]?.path.includes(diesIn)) : -1;
  if (diesInSegment >= 0 && !job.skip?.some((k) => k.segment === diesInSegment)) {
    const before = job.segments.slice(0, diesInSegment).map((files, index) => segment(files, index));
    return die(`${before.join('')}p ${diesInSegment} 0 0\n`);
  }
  const lie = flagValue('lies-about-progress');
  if (lie) return die(`p ${lie.replace(':', ' ')} 0\n`);
  if (flags.has('dies-after-segment') || jobs === diesAfterSegmentAt) return die(`p 0 0 0\n${segment(job.segments[0], 0)}`);
  const cpuMicros = flags.has('retire') ? 1e12 : Number(flagValue('cpu') ?? 0);
  if (flags.has('fails-job')) {
    send({ type: 'error', id: job.id, message: 'internal' });
    send({ type: 'done', id: job.id, cpuMicros, kept: [] });
    return;
  }
  const answers = job.segments.map((files, index) => segment(files, index));
  process.stdout.write((flags.has('reverses-segments') ? answers.reverse() : answers).join(''));
  for (const k of job.keep ?? []) if (!flags.has('amnesiac')) held.add(k.slot);
  const kept = (job.keep ?? []).map(() => (flags.has('keep-zero') ? 0 : 1000));
  send({ type: 'done', id: job.id, cpuMicros, kept });
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
