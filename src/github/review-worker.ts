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
import type { FromWorker, Side, ToWorker } from './worker-protocol.js';

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
const waiting = new Map<number, { resolve: (m: Extract<ToWorker, { t: 'files' }>) => void }>();
let nextReq = 0;

function ask(message: { t: 'list'; side: Side; job: number } | { t: 'read' | 'sizes'; side: Side; job: number; paths: string[] }) {
  const req = ++nextReq;
  return new Promise<Extract<ToWorker, { t: 'files' }>>((resolve, reject) => {
    waiting.set(req, {
      resolve: (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)),
    });
    send({ ...message, req });
  });
}

function remoteTree(job: number, side: Side, id: string): Tree {
  let listing: Promise<string[]> | undefined;
  return {
    id,
    list: () => (listing ??= ask({ t: 'list', side, job }).then((r) => r.list ?? [])),
    read: async (paths) => (paths.length ? ((await ask({ t: 'read', side, job, paths })).texts ?? new Map()) : new Map()),
    sizes: async (paths) => (paths.length ? ((await ask({ t: 'sizes', side, job, paths })).sizes ?? new Map()) : new Map()),
  };
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
