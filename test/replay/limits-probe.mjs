// Run by launch.test.ts under a launch plan: reports what this process may do, as one JSON line.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

const tryWrite = (path) => {
  try {
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, 'x');
      return 'written';
    } finally {
      closeSync(fd);
      rmSync(path, { force: true });
    }
  } catch (e) {
    rmSync(path, { force: true });
    return e.code ?? String(e);
  }
};
let bigAllocation;
try {
  const b = Buffer.alloc(3 * 1024 ** 3);
  bigAllocation = b.length > 0 ? 'allocated' : 'empty';
} catch (e) {
  bigAllocation = e.message;
}
const interfaces = Object.entries(networkInterfaces())
  .filter(([name]) => name !== 'lo')
  .map(([name]) => name);
process.stdout.write(
  JSON.stringify({
    env: Object.keys(process.env).length,
    cwdWrite: tryWrite(join(process.cwd(), 'probe.txt')),
    tmpWrite: tryWrite(join(tmpdir(), `safari-probe-${process.pid}.txt`)),
    bigAllocation,
    interfaces,
  }) + '\n',
);
