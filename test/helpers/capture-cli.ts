import { main } from '../../src/cli.js';

/** Runs the CLI in-process and collects what it writes to stdout and stderr. */
export async function captureCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
  const err = { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
  const code = await main(args, out, err);
  return { code, stdout, stderr };
}
