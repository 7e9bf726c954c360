/**
 * Uids for sandbox children when Safari runs as root: one per child, never the reviewer's, never `nobody` (which
 * other processes share), never another child's. A child that gets out of SQLite or Node's permission model can then
 * neither signal nor read another review's sandbox, the reviewer, or any other process on the host.
 *
 * The range is above every uid a distribution hands out (useradd stops at 60000; systemd's dynamic users at 65519;
 * container subuid ranges usually start at 100000 and span 65536 per user) and is split per Safari process by its
 * pid, so two Safari processes on one host don't share uids. No passwd entry is needed: setuid takes any number.
 */
const BASE = 0x20000000;
const PER_PROCESS = 4096;
let next = 0;

export function nextChildUid(): number {
  const slot = process.pid % 0x8000;
  return BASE + slot * PER_PROCESS + (next++ % PER_PROCESS);
}

/** Whether a uid is one of ours (tests check the child's uid). */
export function isChildUid(uid: number): boolean {
  return uid >= BASE && uid < BASE + 0x8000 * PER_PROCESS;
}
