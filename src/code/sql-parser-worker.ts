/**
 * The SQL parser's worker thread: parses one literal per message. It runs under resourceLimits and is terminated
 * when a parse outlives its timeout (sql-names.ts), so no literal can stall or kill the review process.
 */
import { parentPort } from 'node:worker_threads';
import { parseSqlNames } from './parse-sql-names.js';

const port = parentPort!;
port.on('message', ({ id, sql }: { id: number; sql: string }) => port.postMessage({ id, names: parseSqlNames(sql) }));
port.postMessage({ ready: true });
