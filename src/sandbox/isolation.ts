/**
 * The isolation setting: `strict` refuses to replay or evaluate anything unless every protection is in place;
 * `best-effort` runs on the strongest plan the machine allows and the review names what was missing.
 *
 * It comes from `SAFARI_ISOLATION`, the BASE branch's `.github/safari.yml` (`sandbox.isolation`) and the caller (the
 * App defaults to strict; the CLI to best-effort): the strictest of them wins, so a PR can never weaken it.
 */
export type IsolationMode = 'strict' | 'best-effort';
export const ISOLATION_MODES: readonly IsolationMode[] = ['strict', 'best-effort'];

/** Every protection a sandbox child can have, in the order they are reported. */
export const PROTECTIONS = ['network', 'processes', 'user', 'limits'] as const;
export type Protection = (typeof PROTECTIONS)[number];

/** What each protection means, for findings and logs. */
export const PROTECTION_TEXT: Record<Protection, string> = {
  network: 'no network (an empty network namespace)',
  processes: 'no other process visible (a PID namespace with its own /proc)',
  user: "a user that is not the reviewer's (a dedicated uid, or a user namespace)",
  limits: 'OS limits (address space, CPU time, no file writes, no core dumps)',
};

export class IsolationSettingError extends Error {}

/** SAFARI_ISOLATION, validated: a typo must not silently mean best-effort. */
export function isolationFromEnvironment(env: NodeJS.ProcessEnv = process.env): IsolationMode | undefined {
  const raw = env.SAFARI_ISOLATION?.trim();
  if (!raw) return undefined;
  if ((ISOLATION_MODES as readonly string[]).includes(raw)) return raw as IsolationMode;
  throw new IsolationSettingError(`must be "strict" or "best-effort", not ${JSON.stringify(raw)}`);
}

/** The strictest of the given settings; best-effort when none is given. */
export function strictest(...modes: (IsolationMode | undefined)[]): IsolationMode {
  return modes.includes('strict') ? 'strict' : 'best-effort';
}
