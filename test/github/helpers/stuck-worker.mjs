// A review worker that never finishes (its event loop busy forever) or dies mid-review — what a hostile PR could do
// to the real one. It starts a grandchild in its process group, as the real worker's sandbox children are, and writes
// that pid to the parent so the test can check the whole group was stopped.
import { spawn } from 'node:child_process';

const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
process.send({ t: 'ready', isolation: 'full' });
process.on('message', (m) => {
  if (m.t !== 'review') return;
  process.send({ t: 'read', job: m.job, req: 1, side: 'head', paths: [`pid:${grandchild.pid}`] });
  if (process.env.SAFARI_TEST_STUCK_MODE === 'crash') setTimeout(() => process.exit(7), 50);
  else setTimeout(() => { for (;;); }, 50);
});
