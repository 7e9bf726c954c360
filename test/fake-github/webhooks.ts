/**
 * Sends a webhook the way GitHub does: POST with the JSON body, `X-GitHub-Event`, `X-GitHub-Delivery`,
 * `X-GitHub-Hook-ID`, `X-GitHub-Hook-Installation-Target-*` and `X-Hub-Signature-256` (HMAC-SHA256 of the exact
 * bytes sent, keyed with the webhook secret).
 */
import { createHmac, randomUUID } from 'node:crypto';

/** The events the payload builders make. */
export type FakeEventName = 'pull_request' | 'issue_comment' | 'check_run' | 'check_suite' | 'push' | 'installation';

/**
 * A delivery: what `sendWebhook` posts and what `probot.receive(event)` takes. The payload is typed `any` so it
 * passes as Probot's event type for its name; its real shape is GitHub's (see payloads.ts).
 */
export interface WebhookEvent {
  /** The event name, sent as `X-GitHub-Event`. */
  name: FakeEventName;
  /** The delivery id, sent as `X-GitHub-Delivery` (a redelivery reuses it). */
  id: string;
  payload: any;
}

/** `sha256=<hex>`: the value of X-Hub-Signature-256 for `body`. */
export function signWebhook(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface SendOptions {
  secret: string;
  /** Sign with this secret instead (to test that a bad signature is refused). */
  signWith?: string;
  /** Send no signature header at all. */
  unsigned?: boolean;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export interface WebhookResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Milliseconds from sending to the complete answer. */
  ms: number;
}

/** A fresh delivery id, as GitHub makes them (a UUID). */
export function deliveryId(): string {
  return randomUUID();
}

/** Signs and POSTs `event` to `url` (e.g. `http://127.0.0.1:3000/api/github/webhooks`). */
export async function sendWebhook(url: string, event: WebhookEvent, options: SendOptions): Promise<WebhookResponse> {
  const body = JSON.stringify(event.payload);
  const installation = event.payload.installation as { id?: number } | undefined;
  const repository = event.payload.repository as { id?: number } | undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/fake',
    'x-github-event': event.name,
    'x-github-delivery': event.id,
    'x-github-hook-id': '1',
    'x-github-hook-installation-target-type': installation ? 'integration' : 'repository',
    'x-github-hook-installation-target-id': String(installation ? 1 : repository?.id ?? 1),
  };
  if (!options.unsigned) headers['x-hub-signature-256'] = signWebhook(options.signWith ?? options.secret, body);
  Object.assign(headers, options.headers ?? {});
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text,
    headers: Object.fromEntries(response.headers.entries()),
    ms: performance.now() - started,
  };
}
