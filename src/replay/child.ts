/**
 * The replay process that runs inside the sandbox (see sandbox.ts for the OS limits around it).
 * Reads jobs as NDJSON on stdin, answers on stdout (protocol.ts). Each job gets a fresh in-memory database with
 * foreign keys enforced (D1 always does), a page cap and in-memory temp storage; every statement is split, gated,
 * then prepared and run alone — `prepare()` refuses a string holding two statements, so a splitting bug cannot
 * smuggle one past the gate. Never calls unsafeMode() or loadExtension().
 */
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { definitionState, extractPatch, type DefinitionState } from './extract-patch.js';
import { gateStatement } from './gate.js';
import { shortenStatement, type ChildMessage, type Job, type JobFile, type ParentMessage, type SegmentResult } from './protocol.js';
import { parseRename } from './rename.js';
import { splitDrizzle, splitStatements, type Statement } from './split.js';
import type { ReplayFailure, ReplayFailureKind } from './types.js';

/** 256 MiB at SQLite's default 4 KiB page: far above any schema's needs, far below the address-space limit. */
const MAX_PAGES = 65536;

type DB = Database.Database;
type Engine = Job['engine'];

/**
 * libSQL (npm `libsql`, better-sqlite3's API over Turso's fork) is loaded only when a job asks for it, so reviews
 * without a Turso database never pay for it. Its `serialize()` is not implemented: the parent never asks such a job to
 * keep, restore or fork a database. Its `prepare()` ignores text after the first statement rather than refusing it;
 * every statement reaching it has been split and gated one by one, so nothing after a `;` runs unseen either way.
 */
const load = createRequire(import.meta.url);
let libsql: typeof Database | undefined;
const engineClass = (engine: Engine): typeof Database => (engine === 'libsql' ? (libsql ??= load('libsql') as typeof Database) : Database);

function send(message: ChildMessage): void {
  process.stdout.write(JSON.stringify(message) + '\n');
}

/** Serialized databases kept for later jobs' `restore`, by slot; the parent decides when to forget them. */
const kept = new Map<string, Buffer>();

function openDatabase(restore?: Buffer, engine?: Engine): DB {
  const Engine = engineClass(engine);
  const db = restore ? new Engine(restore) : new Engine(':memory:');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma(`main.max_page_count = ${MAX_PAGES}`);
  db.pragma(`temp.max_page_count = ${MAX_PAGES}`);
  return db;
}

function failureKind(error: unknown): ReplayFailureKind {
  const code = (error as { code?: unknown })?.code;
  if (code === 'SQLITE_NOMEM' || code === 'SQLITE_FULL' || code === 'SQLITE_TOOBIG') return 'memory';
  if (error instanceof RangeError) return 'memory'; // a JS allocation (a huge blob converted to a Buffer)
  return 'sql';
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Failures of one file: the first in full, the rest counted. */
class FileFailures {
  private first: ReplayFailure | null = null;
  private more = 0;
  constructor(private readonly file: string) {}
  add(kind: ReplayFailureKind, line: number, statement: string, message: string): void {
    if (this.first) this.more++;
    else this.first = { kind, file: this.file, line, statement: shortenStatement(statement), message, more: 0 };
  }
  flush(into: ReplayFailure[]): void {
    if (this.first) into.push({ ...this.first, more: this.more });
  }
}

function begin(db: DB): void {
  if (!db.inTransaction) db.exec('BEGIN');
}

/** Names as SQLite stores them (a rename may spell them in another case). */
function storedTableName(db: DB, name: string): string {
  const row = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`).get(name) as
    | { name: string }
    | undefined;
  return row?.name ?? name;
}
function storedColumnName(db: DB, table: string, name: string): string {
  const row = db.prepare(`SELECT name FROM pragma_table_xinfo(?) WHERE name = ? COLLATE NOCASE`).get(table, name) as
    | { name: string }
    | undefined;
  return row?.name ?? name;
}

function runStatement(db: DB, sql: string): void {
  const prepared = db.prepare(sql);
  if (prepared.reader) {
    // Run it to the end (a SELECT can be the hostile part) without keeping rows.
    for (const _row of prepared.raw(true).iterate()) void _row;
  } else prepared.run();
}

/** Replays one segment; `before` describes the schema it starts from, and becomes the one it ends with. */
function replaySegment(db: DB, job: Job, segment: number, before: { state: DefinitionState }): SegmentResult {
  const files = job.segments[segment];
  const result: SegmentResult = {
    patch: { order: [], tables: {}, views: {}, triggers: {} },
    failures: [],
    compatibility: [],
    renames: [],
    migrations: files.length,
    statements: 0,
  };
  const skip = new Set((job.skip ?? []).filter((s) => s.segment === segment).map((s) => `${s.file}:${s.offset}`));
  for (let f = 0; f < files.length; f++) {
    const file: JobFile = files[f];
    const drizzle = file.applier === 'drizzle';
    // wrangler: one transaction per file. drizzle: one outer transaction around consecutive drizzle files.
    const opens = !drizzle || files[f - 1]?.applier !== 'drizzle';
    const closes = !drizzle || files[f + 1]?.applier !== 'drizzle';
    const failures = new FileFailures(file.path);
    const split = drizzle ? splitDrizzle(file.content) : splitStatements(file.content);
    if (opens) begin(db);
    let last: Statement | undefined;
    for (const stmt of split.statements) {
      last = stmt;
      if (skip.has(`${f}:${stmt.offset}`)) continue;
      process.stdout.write(`p ${segment} ${f} ${stmt.offset}\n`);
      const decision = gateStatement(stmt, { dialect: job.dialect });
      if (decision.action === 'skip') {
        result.compatibility.push({ messageId: decision.note, file: file.path, line: stmt.line, statement: shortenStatement(stmt.sql) });
        continue;
      }
      if (decision.action === 'refuse') {
        failures.add('refused', stmt.line, stmt.sql, decision.reason);
        continue;
      }
      const rename = stmt.keyword === 'ALTER' ? parseRename(stmt.sql) : null;
      let from = '';
      let table = '';
      if (rename) {
        table = storedTableName(db, rename.table);
        if (rename.kind === 'column') from = storedColumnName(db, table, rename.from);
      }
      const wasInTransaction = db.inTransaction;
      result.statements++;
      try {
        runStatement(db, stmt.sql);
        if (rename?.kind === 'table') result.renames.push({ kind: 'table', file: file.path, line: stmt.line, from: table, to: rename.to });
        else if (rename?.kind === 'column') {
          result.renames.push({ kind: 'column', file: file.path, line: stmt.line, table, from, to: rename.to });
        }
      } catch (error) {
        failures.add(failureKind(error), stmt.line, stmt.sql, messageOf(error));
        // Some errors (SQLITE_FULL, RAISE(ROLLBACK)…) end the transaction; keep replaying inside one.
        if (wasInTransaction && !db.inTransaction) begin(db);
      }
    }
    if (split.incomplete) {
      failures.add('incomplete', split.incomplete.line, split.incomplete.sql, 'the file ends inside an unterminated statement');
    }
    if (closes && db.inTransaction) {
      try {
        db.exec('COMMIT');
      } catch (error) {
        // e.g. a deferred foreign key still violated: the tool would roll the file back, so do we.
        failures.add(failureKind(error), last?.line ?? 1, 'COMMIT', `${messageOf(error)} (when committing the migration)`);
        db.exec('ROLLBACK');
      }
    }
    failures.flush(result.failures);
  }
  process.stdout.write(`p ${segment} -1 0\n`);
  const extracted = extractPatch(db, before.state);
  result.patch = extracted.patch;
  before.state = extracted.state;
  return result;
}

function runJob(job: Job): void {
  const cpuMicros = () => {
    const cpu = process.cpuUsage();
    return cpu.user + cpu.system;
  };
  const restore = job.restore === undefined ? undefined : kept.get(job.restore);
  if (job.restore !== undefined && !restore) {
    send({ type: 'done', id: job.id, cpuMicros: cpuMicros(), kept: [], missing: true });
    return;
  }
  let db: DB | null = null;
  let snapshots: [string, Buffer][] = [];
  // Databases that a later, non-adjacent segment continues (-1: the start), with the schema state they ended at.
  const continued = new Set((job.continues ?? []).filter((from, s) => from !== s - 1));
  const branchPoints = new Map<number, { database: Buffer | undefined; state: DefinitionState }>();
  try {
    db = openDatabase(restore, job.engine);
    const before = { state: restore ? definitionState(db) : (new Map() as DefinitionState) };
    if (continued.has(-1)) branchPoints.set(-1, { database: restore, state: before.state });
    for (let s = 0; s < job.segments.length; s++) {
      const from = job.continues?.[s] ?? s - 1;
      if (from !== s - 1) {
        const point = branchPoints.get(from);
        if (!point) throw new Error(`segment ${s} continues segment ${from}, which no earlier segment is`);
        db.close();
        db = null;
        db = openDatabase(point.database, job.engine);
        before.state = point.state;
      }
      const result = replaySegment(db, job, s, before);
      if (continued.has(s)) branchPoints.set(s, { database: db.serialize(), state: before.state });
      // A copy: later segments don't change it.
      for (const k of job.keep ?? []) if (k.segment === s) snapshots.push([k.slot, db.serialize()]);
      send({ type: 'segment', id: job.id, index: s, result });
    }
  } catch (error) {
    send({ type: 'error', id: job.id, message: messageOf(error) });
    snapshots = [];
  } finally {
    db?.close();
  }
  for (const [slot, snapshot] of snapshots) kept.set(slot, snapshot);
  send({ type: 'done', id: job.id, cpuMicros: cpuMicros(), kept: snapshots.map(([, s]) => s.length) });
}

/** Runs the replay code paths once so the first real job does not pay for all of the JIT compilation. */
function warmUp(): void {
  const files: JobFile[] = [];
  for (let i = 0; i < 20; i++) {
    const body = [
      `CREATE TABLE w${i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x;y', ref INTEGER REFERENCES w0(id));`,
      `CREATE INDEX w${i}_name ON w${i} (name) WHERE name <> '';`,
      `INSERT INTO w${i} (name) VALUES ('seed');`,
      `ALTER TABLE w${i} ADD COLUMN extra TEXT; -- comment`,
      `ALTER TABLE w${i} RENAME COLUMN extra TO more;`,
      `CREATE TRIGGER w${i}_t AFTER INSERT ON w${i} BEGIN SELECT 1; END;`,
      'PRAGMA defer_foreign_keys = ON;',
    ];
    files.push({ path: `warm/${i}.sql`, applier: i % 2 ? 'drizzle' : 'wrangler', content: body.join('\n--> statement-breakpoint\n') });
  }
  const db = openDatabase();
  const out = process.stdout.write;
  try {
    process.stdout.write = (() => true) as typeof process.stdout.write; // no progress lines for this one
    const before = { state: new Map() as DefinitionState };
    replaySegment(db, { id: 0, dialect: 'd1', segments: [files.slice(0, 10)] }, 0, before);
    replaySegment(db, { id: 0, dialect: 'd1', segments: [files.slice(10)] }, 0, before);
  } finally {
    process.stdout.write = out;
    db.close();
  }
}

function main(): void {
  const probe = new Database(':memory:');
  const sqlite = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  const permissions = {
    fsWrite: permission?.has('fs.write') ?? true,
    childProcess: permission?.has('child') ?? true,
    worker: permission?.has('worker') ?? true,
  };
  send({ type: 'ready', pid: process.pid, uid: process.getuid?.() ?? null, sqlite, permissions });
  // While the parent is still discovering and loading files; a job that arrives meanwhile waits in the pipe.
  warmUp();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message: ParentMessage;
    try {
      message = JSON.parse(line) as ParentMessage;
    } catch (error) {
      send({ type: 'error', id: -1, message: `bad job: ${messageOf(error)}` });
      return;
    }
    if ('forget' in message) for (const slot of message.forget) kept.delete(slot);
    else runJob(message);
  });
  lines.on('close', () => process.exit(0));
}

main();
