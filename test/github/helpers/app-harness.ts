/** A Probot instance running the Safari App against a GitHubModel served through nock (throttling and retry delays off). */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createSafariApp, type AppHandle, type AppSettings } from '../../../src/github/app.js';
import { APP_ID, GitHubModel } from './github-model.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export interface Harness {
  model: GitHubModel;
  probot: Probot;
  handle: AppHandle;
  logs: Record<string, any>[];
  /** Delivers a webhook and waits until every review it queued has finished. */
  deliver(name: string, payload: any): Promise<void>;
  close(): Promise<void>;
}

export const defaultSettings: AppSettings = {
  concurrency: 1,
  reviewTimeoutMs: 60_000,
  isolation: 'best-effort',
  docsBaseUrl: 'https://example.test/docs/rules/',
  blobCacheBytes: 8 * 1024 * 1024,
  shutdownGraceMs: 1_000,
  basePushLimit: 30,
};

export async function startHarness(model: GitHubModel, settings: Partial<AppSettings> = {}): Promise<Harness> {
  nock.disableNetConnect();
  model.install();
  const logs: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  process.env.APP_ID = String(APP_ID);
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    log: pino({ level: 'info' }, stream),
    // Retries stay on (a 500 then success must work) but without delays; throttling off (FACTS.md: function form).
    Octokit: ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: true, retryAfterBaseValue: 1 }, throttle: { enabled: false } })),
  });
  let handle!: AppHandle;
  await probot.load(createSafariApp({ ...defaultSettings, ...settings }, { onLoad: (h) => (handle = h) }));
  let delivery = 0;
  return {
    model,
    probot,
    handle,
    logs,
    async deliver(name, payload) {
      await probot.receive({ id: `d${++delivery}`, name, payload } as any);
      await handle.idle();
    },
    async close() {
      await handle.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

const FIXTURES = new URL('../../../fixtures/webhooks/', import.meta.url);

/**
 * A real-shaped payload (fixtures/webhooks, from @octokit/webhooks-examples) pointed at the model's repository.
 * GitHub's examples have no comment on a pull request, so `issue_comment.created.pr` is its issue_comment.created
 * with the `issue.pull_request` links GitHub adds for PR conversations.
 */
export function payload(name: string, patch: (p: any) => void = () => {}): any {
  const p = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'));
  p.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  patch(p);
  return p;
}

export function pullRequestPayload(model: GitHubModel, action: string, number: number, patch: (p: any) => void = () => {}): any {
  const pr = model.pulls.get(number)!;
  const shas = model.shas(pr);
  const fixture = ['opened', 'synchronize', 'reopened', 'ready_for_review'].includes(action) ? action : 'opened';
  return payload(`pull_request.${fixture}`, (p) => {
    p.action = action;
    p.number = number;
    p.pull_request.number = number;
    p.pull_request.head.sha = shas.head;
    p.pull_request.base.sha = shas.base;
    p.repository.name = model.repo;
    p.repository.owner.login = model.owner;
    p.repository.full_name = `${model.owner}/${model.repo}`;
    patch(p);
  });
}
