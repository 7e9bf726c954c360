/**
 * `safari review | map | rules`: argument parsing → pipeline → renderer → exit code.
 * Exit codes: 0 success or neutral, 1 failure, 2 usage or configuration error (one line on stderr, no stack trace).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { openGitSource, GitSourceError } from './source/git.js';
import { ConfigurationError, review } from './review.js';
import { inventoryRepository } from './map/map.js';
import { renderMapJson, renderMapMarkdown, renderMapText } from './map/render-map.js';
import { renderTableJson, renderTableMarkdown, renderTableText, tableDetails } from './map/table-details.js';
import { ReplaySandbox } from './replay/sandbox.js';
import { renderMarkdown } from './render/markdown.js';
import { isHttpUrl } from './docs-url.js';
import { renderJson } from './render/json.js';
import { renderText, shouldUseColor } from './render/text.js';
import { plural } from './render/review-summary.js';
import { rules } from './rules/registry.js';
import { backtest } from './backtest/backtest.js';
import { progressLine, renderBacktestJson, renderBacktestMarkdown, renderBacktestText } from './backtest/render-backtest.js';

const USAGE = `Usage:
  safari review [--repo DIR] [--base REF] [--head REF] [--format markdown|json|text]
                [--explain-discovery] [--fail-on error|warning|never] [--no-evaluate-schema]
                [--docs-url URL] [--deadline SECONDS]
  safari map    [--repo DIR] [--rev REF] [--format markdown|json|text]
  safari backtest [--repo DIR] [--branch REF] [--last N | --since REV] [--format markdown|json|text]
                  [--no-evaluate-schema]
  safari table  NAME [--repo DIR] [--rev REF] [--format markdown|json|text]
  safari rules

review   Replays the base and head migrations of every database and reviews the difference.
         --base defaults to origin/main (else main), --head to HEAD, --repo to the current directory.
         --deadline bounds the whole review (default: the base config's limits.deadlineSeconds, 30 s);
         what it leaves unreviewed is reported and the review does not pass.
map      The database journal at one revision: databases, bindings, domains, tables (and which no code uses),
         tables inside Durable Objects, duplicate names, numbering conflicts. JSON is a stable contract.
table    One table: its database, columns, indexes, foreign keys, and the migrations that made it (file:line).
backtest Reviews each first-parent commit of --branch (default HEAD) that touches migrations, configs or Drizzle
         schemas as a PR onto its parent, and summarises what the check would have said. Progress goes to stderr.
rules    Lists the rules and their default severities.

Sandbox isolation is best-effort by default here: on a machine that can't give the sandbox every protection, the
review runs anyway and names what was missing. SAFARI_ISOLATION=strict (or sandbox.isolation: strict in the base
branch's .github/safari.yml) refuses to replay or evaluate anything then, and the review ends neutral.`;

class UsageError extends Error {}

const FORMATS = ['markdown', 'json', 'text'] as const;
type Format = (typeof FORMATS)[number];

function format(value: string | undefined, fallback: Format): Format {
  const f = value ?? fallback;
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${f}"`);
  return f as Format;
}

async function defaultBase(repo: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  const exists = (ref: string) =>
    new Promise<boolean>((resolve) =>
      execFile('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], (err) => resolve(!err)),
    );
  for (const ref of ['origin/main', 'main', 'origin/master', 'master']) if (await exists(ref)) return ref;
  throw new UsageError('no --base given and none of origin/main, main, origin/master, master exists');
}

async function runReview(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      repo: { type: 'string', default: '.' },
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      format: { type: 'string' },
      'explain-discovery': { type: 'boolean', default: false },
      'fail-on': { type: 'string' },
      'no-evaluate-schema': { type: 'boolean', default: false },
      'docs-url': { type: 'string' },
      deadline: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const deadline = values.deadline === undefined ? undefined : Number(values.deadline);
  if (deadline !== undefined && !(Number.isFinite(deadline) && deadline > 0 && deadline <= 3600)) {
    throw new UsageError(`--deadline must be a number of seconds between 0 and 3600, got "${values.deadline}"`);
  }
  const fmt = format(values.format, process.stdout.isTTY ? 'text' : 'markdown');
  const failOn = values['fail-on'];
  if (failOn !== undefined && !['error', 'warning', 'never'].includes(failOn)) {
    throw new UsageError(`--fail-on must be one of error, warning, never, got "${failOn}"`);
  }
  const docsUrl = values['docs-url'];
  if (docsUrl !== undefined && !isHttpUrl(docsUrl)) throw new UsageError(`--docs-url must be an absolute http(s) URL, got "${docsUrl}"`);
  const repo = values.repo!;
  const base = values.base ?? (await defaultBase(repo));
  const source = await openGitSource(repo, base, values.head!);
  // Strict from the environment makes the sandbox itself refuse too (a bad value is reported by review()).
  const strict = process.env.SAFARI_ISOLATION?.trim() === 'strict';
  const sandbox = new ReplaySandbox({ log: (line) => process.stderr.write(`safari: ${line}\n`), isolation: strict ? 'strict' : 'best-effort' });
  try {
    const plan = await sandbox.launchPlan.catch(() => null);
    if (plan?.missing.length && !process.env.SAFARI_ISOLATION) {
      process.stderr.write('safari: isolation is best-effort (the CLI default); SAFARI_ISOLATION=strict refuses a weaker sandbox\n');
    }
    const result = await review(source, {
      sandbox,
      evaluateSchema: !values['no-evaluate-schema'],
      failOn: failOn as 'error' | 'warning' | 'never' | undefined,
      docsUrl,
      ...(deadline !== undefined ? { limits: { deadlineSeconds: deadline } } : {}),
    });
    const rendered =
      fmt === 'json'
        ? renderJson(result)
        : fmt === 'markdown'
          ? renderMarkdown(result, { explainDiscovery: values['explain-discovery'] })
          : renderText(result, { color: shouldUseColor(process.stdout), explainDiscovery: values['explain-discovery'] });
    out.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
    return result.conclusion === 'failure' ? 1 : 0;
  } finally {
    await sandbox.close();
    await source.close?.();
  }
}

async function runMap(args: string[], out: NodeJS.WritableStream, command: 'map' | 'table'): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      repo: { type: 'string', default: '.' },
      rev: { type: 'string', default: 'HEAD' },
      format: { type: 'string' },
    },
    strict: true,
    allowPositionals: command === 'table',
  });
  const fmt = format(values.format, process.stdout.isTTY ? 'text' : 'markdown');
  const name = positionals[0];
  if (command === 'table' && (positionals.length !== 1 || !name)) throw new UsageError('safari table takes one table name');
  const source = await openGitSource(values.repo!, values.rev!, values.rev!, { refLabels: ['--rev', '--rev'] });
  const sandbox = new ReplaySandbox({ log: (line) => process.stderr.write(`safari: ${line}\n`) });
  try {
    const inventory = await inventoryRepository(source.head, sandbox, { rev: source.headSha });
    let rendered: string;
    if (command === 'table') {
      const details = tableDetails(inventory, name!);
      rendered = fmt === 'json' ? renderTableJson(details) : fmt === 'markdown' ? renderTableMarkdown(details) : renderTableText(details);
    } else {
      const map = inventory.map;
      rendered = fmt === 'json' ? renderMapJson(map) : fmt === 'markdown' ? renderMapMarkdown(map) : renderMapText(map);
    }
    out.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
    return command === 'table' && !tableDetails(inventory, name!).found ? 1 : 0;
  } finally {
    await sandbox.close();
    await source.close?.();
  }
}

async function runBacktest(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      repo: { type: 'string', default: '.' },
      branch: { type: 'string', default: 'HEAD' },
      last: { type: 'string' },
      since: { type: 'string' },
      format: { type: 'string' },
      'no-evaluate-schema': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const fmt = format(values.format, process.stdout.isTTY ? 'text' : 'markdown');
  if (values.last !== undefined && values.since !== undefined) throw new UsageError('--last and --since exclude each other');
  let last: number | undefined;
  if (values.last !== undefined) {
    last = Number(values.last);
    if (!/^\d+$/.test(values.last) || last < 1) throw new UsageError(`--last must be a positive whole number, got "${values.last}"`);
  }
  const sandbox = new ReplaySandbox({ log: (line) => err.write(`safari: ${line}\n`) });
  try {
    const result = await backtest({
      repo: values.repo!,
      branch: values.branch!,
      since: values.since,
      last,
      sandbox,
      evaluateSchema: !values['no-evaluate-schema'],
      progress: (event) => {
        if (event.kind === 'start') err.write(`safari: backtest of ${plural(event.total, 'commit')} (of ${event.considered} first-parent commits)\n`);
        else err.write(`${progressLine(event.index, event.total, event.commit)}\n`);
      },
    });
    const rendered = fmt === 'json' ? renderBacktestJson(result) : fmt === 'markdown' ? renderBacktestMarkdown(result) : renderBacktestText(result);
    out.write(rendered);
    return 0;
  } finally {
    await sandbox.close();
  }
}

function listRules(out: NodeJS.WritableStream): number {
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  for (const r of rules) out.write(`${r.meta.id.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.description}\n`);
  return 0;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `safari map | head` closes the pipe early: the reader's choice, not a crash with a stack trace. */
function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (out === process.stdout) ignoreClosedPipe(out);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'review':
        return await runReview(rest, out);
      case 'map':
        return await runMap(rest, out, command);
      case 'table':
        return await runMap(rest, out, command);
      case 'backtest':
        return await runBacktest(rest, out, err);
      case 'rules':
        return listRules(out);
      case '--version':
      case '-v':
        out.write(`${version()}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      err.write(`safari: configuration error\n${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof GitSourceError || isParseArgsError(error)) {
      err.write(`safari: ${(error as Error).message}\n${error instanceof UsageError || isParseArgsError(error) ? `\n${USAGE}\n` : ''}`);
      return 2;
    }
    err.write(`safari: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.SAFARI_DEBUG) err.write(`${(error as Error).stack}\n`);
    return 3;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
