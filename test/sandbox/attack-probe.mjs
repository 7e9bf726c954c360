// Runs INSIDE a sandbox child (started by protections.test.ts under a real launch plan) and tries one attack, as code
// that got out of SQLite or Node's permission model would. Prints one JSON line with what happened; never cleans up
// after itself, so the parent sees exactly what the attack left behind.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

const [mode, ...args] = process.argv.slice(2);
const report = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const code = (e) => e?.code ?? e?.message ?? String(e);

async function network(port) {
  // Plain UDP, and DNS through c-ares (C++: no JavaScript lockdown sees it), both aimed at the parent's listener.
  const udp = await new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.on('error', (e) => resolve(code(e)));
    s.send('leak-udp', Number(port), '127.0.0.1', (e) => {
      s.close();
      resolve(e ? code(e) : 'sent');
    });
  });
  const resolver = new dns.Resolver({ timeout: 300, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const dnsResult = await new Promise((resolve) => resolver.resolveTxt('leak-dns.example', (e) => resolve(e ? code(e) : 'answered')));
  const interfaces = Object.keys(networkInterfaces()).filter((n) => n !== 'lo');
  return { udp, dns: dnsResult, interfaces };
}

function write(paths) {
  const out = {};
  for (const path of paths) {
    try {
      const fd = openSync(path, 'w');
      try {
        writeSync(fd, 'leaked bytes');
        out[path] = 'written';
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      out[path] = code(e);
    }
  }
  return out;
}

function memory() {
  try {
    // Reserved, not touched: without an address-space limit this succeeds without using the memory.
    const b = Buffer.allocUnsafe(3 * 1024 ** 3);
    return b.length > 0 ? 'allocated' : 'empty';
  } catch (e) {
    return code(e);
  }
}

function reach(pids) {
  const out = {};
  for (const pid of pids) {
    let signal;
    try {
      process.kill(Number(pid), 0); // signal 0: only asks whether a signal could be sent
      signal = 'allowed';
    } catch (e) {
      signal = code(e);
    }
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch (e) {
      environ = code(e);
    }
    out[pid] = { signal, environ };
  }
  return { ppid: process.ppid, visible: readdirPids(), targets: out };
}

function readdirPids() {
  try {
    return readFileSync('/proc/self/stat', 'latin1').split(' ')[0];
  } catch (e) {
    return code(e);
  }
}

if (mode === 'network') report(await network(args[0]));
else if (mode === 'write') report(write(args));
else if (mode === 'memory') report({ allocation: memory() });
else if (mode === 'env') report({ keys: Object.keys(process.env), uid: process.getuid(), gid: process.getgid() });
else if (mode === 'reach') report(reach(args));
else if (mode === 'spin') for (;;);
else if (mode === 'hold') {
  report({ pid: process.pid, uid: process.getuid() });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else throw new Error(`unknown probe mode ${mode}`);
