/**
 * The review worker: a child process of the server that runs the core (review, map) on files it asks the server
 * for over IPC. The server can kill it at a deadline from outside its event loop, so no PR can stall or crash the
 * server. It never talks to the network itself; the PR's SQL and schema.ts run one level further down, in the core's
 * sandbox (whose warm children and base-schema cache serve every review this worker runs).
 */
import { ConfigurationError, review } from '../review.js';
import { inventoryRepository } from '../map/map.js';
import { tableDetails } from '../map/table-details.js';
import { ReplaySandbox } from '../replay/sandbox.js';
import { renderErDiagram } from '../render/mermaid.js';
import type { Schema } from '../schema/model.js';
import type { Tree } from '../source/types.js';
import { LRUCache } from 'lru-cache';
import type { FilesReply, FromWorker, Side, ToWorker } from './worker-protocol.js';

const send = (message: FromWorker) => process.send!(message);
// The server splits the machine between its workers: sandbox children and base-cache bytes per worker.
const positive = (value: string | undefined) => (Number(value) > 0 ? Number(value) : undefined);
// The App reviews strangers' PRs: strict isolation unless the operator explicitly chose best-effort.
const isolation = process.env.SAFARI_ISOLATION === 'best-effort' ? 'best-effort' : 'strict';
const sandbox = new ReplaySandbox({
  isolation,
  log: (line) => process.stderr.write(`safari worker: ${line}\n`),
  size: positive(process.env.SAFARI_WORKER_SANDBOX_SIZE),
  cacheBytes: positive(process.env.SAFARI_WORKER_CACHE_BYTES),
});
const waiting = new Map<number, { resolve: (m: FilesReply) => void }>();
let nextReq = 0;
// Blob texts by SHA, kept across reviews: the server then sends a SHA instead of a text this worker already has.
const BINARY = Symbol('binary');
const blobs = new LRUCache<string, string | typeof BINARY>({
  maxSize: positive(process.env.SAFARI_WORKER_BLOB_BYTES) ?? 32 * 1024 * 1024,
  sizeCalculation: (value) => (value === BINARY ? 1 : Math.max(1, value.length * 2)),
});

function ask(message: { t: 'list'; side: Side; job: number } | { t: 'read' | 'sizes' | 'blobs'; side: Side; job: number; paths: string[] }) {
  const req = ++nextReq;
  return new Promise<FilesReply>((resolve, reject) => {
    waiting.set(req, {
      resolve: (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)),
    });
    send({ ...message, req });
  });
}

function remoteTree(job: number, side: Side, id: string): Tree {
  // The listing comes with every file's size: the core's many small `sizes` calls are answered here, not over IPC.
  let listing: Promise<FilesReply> | undefined;
  const listed = () => (listing ??= ask({ t: 'list', side, job }));
  return {
    id,
    list: async () => (await listed()).list ?? [],
    read: async (paths) => (paths.length ? readThroughCache(job, side, paths) : new Map()),
    sizes: async (paths) => {
      if (!paths.length) return new Map();
      const { sizes } = await listed();
      if (sizes) return new Map(paths.map((p) => [p, sizes.get(p)]));
      return (await ask({ t: 'sizes', side, job, paths })).sizes ?? new Map();
    },
  };
}

/** Texts of `paths`: the server names blobs by SHA; only the ones not kept here are sent as text. */
async function readThroughCache(job: number, side: Side, paths: string[]): Promise<Map<string, string | undefined>> {
  const reply = await ask({ t: 'read', side, job, paths });
  const texts = reply.texts ?? new Map<string, string | undefined>();
  const missing = new Map<string, string>(); // sha → one path holding it
  for (const [path, sha] of reply.keys ?? []) {
    const hit = blobs.get(sha);
    if (hit !== undefined) texts.set(path, hit === BINARY ? undefined : hit);
    else if (!missing.has(sha)) missing.set(sha, path);
  }
  if (missing.size) {
    const fetched = (await ask({ t: 'blobs', side, job, paths: [...missing.values()] })).texts ?? new Map();
    const bySha = new Map([...missing].map(([sha, path]) => [sha, fetched.get(path)]));
    for (const [sha, text] of bySha) blobs.set(sha, text === undefined ? BINARY : text);
    for (const [path, sha] of reply.keys ?? []) if (bySha.has(sha)) texts.set(path, bySha.get(sha));
  }
  return new Map(paths.map((p) => [p, texts.get(p)]));
}

process.on('message', async (message: ToWorker) => {
  if (message.t === 'files') {
    waiting.get(message.req)?.resolve(message);
    waiting.delete(message.req);
    return;
  }
  const { job } = message;
  try {
    if (message.t === 'map') {
      const inventory = await inventoryRepository(remoteTree(job, 'head', message.headId), sandbox);
      send({ t: 'mapped', job, map: inventory.map, ...(message.table !== undefined ? { table: tableDetails(inventory, message.table) } : {}) });
      return;
    }
    const { source } = message;
    const headSchemas: Record<string, Schema> = {};
    const result = await review(
      { ...source, base: remoteTree(job, 'base', source.baseId), head: remoteTree(job, 'head', source.headId) },
      { sandbox, isolation, evaluateSchema: message.evaluateSchema, acknowledgements: message.acknowledgements, headSchemas },
    );
    const diagrams: Record<string, string> = {};
    for (const db of result.databases) {
      const schema = headSchemas[db.name];
      const diagram = schema && renderErDiagram(db.delta, schema);
      if (diagram) diagrams[db.name] = diagram;
    }
    send({ t: 'reviewed', job, result, diagrams });
  } catch (error) {
    if (error instanceof ConfigurationError) send({ t: 'failed', job, configErrors: error.errors, message: error.message });
    else send({ t: 'failed', job, message: error instanceof Error ? error.message : String(error) });
  }
});

sandbox.isolation.then(
  (isolation) => send({ t: 'ready', isolation }),
  (error) => send({ t: 'ready', isolation: `unavailable: ${error instanceof Error ? error.message : String(error)}` }),
);
process.on('disconnect', () => void sandbox.close().finally(() => process.exit(0)));
