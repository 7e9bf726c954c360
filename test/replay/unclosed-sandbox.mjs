// Run by sandbox-lifecycle.test.ts: replays once and never closes the sandbox; the process must still exit.
import { ReplaySandbox } from '../../dist/replay/sandbox.js';

const sandbox = new ReplaySandbox({ size: 2, log: () => {} });
const r = await sandbox.replay({
  database: 'x',
  dialect: 'sqlite',
  files: [{ path: 'm/0001.sql', source: 'm', applier: 'wrangler', content: 'CREATE TABLE t (x);', number: 1, numberText: '0001' }],
});
process.stdout.write(`${Object.keys(r.schema.tables).join(',')} ${sandbox.workingDirectory}\n`);
