/**
 * Clients and credentials for talking to the fake the way the App does: Probot's own Octokit class (retry,
 * throttling, pagination, REST methods, config plugin), authenticated as the App's installation through the real
 * JWT → access-token flow, with retry and throttling off unless a test turns them on.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ProbotOctokit } from 'probot';
import type { FakeGitHub } from './fake-github.js';

export interface AppCredentials {
  appId: number;
  /** PKCS#8 PEM: what PRIVATE_KEY holds. */
  privateKey: string;
  publicKey: string;
}

let cached: { privateKey: string; publicKey: string } | undefined;

/** The App's RSA key pair (generated once per process): `startFakeGitHub({ appPublicKey: testKeys().publicKey })`. */
export function testKeys(): { privateKey: string; publicKey: string } {
  cached ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return cached;
}

/** The fake's App id with the test key pair: what APP_ID and PRIVATE_KEY hold for an App under test. */
export function appCredentials(fake: FakeGitHub): AppCredentials {
  return { appId: fake.app.id, ...testKeys() };
}

/**
 * ProbotOctokit with retry and throttling off — the function form of `.defaults`, since Probot merges its own
 * throttle options over an object (see FACTS.md). `{ retry: true, throttle: true }` keeps Probot's defaults;
 * `retryAfterBaseValue: 1` then turns their waits (seconds from `retry-after`, 1 s/4 s/9 s between retries) into
 * milliseconds, so a test of "500 then success" or "secondary rate limit then success" takes no time.
 */
export function quietProbotOctokit(
  options: { retry?: boolean; throttle?: boolean; retryAfterBaseValue?: number } = {},
): typeof ProbotOctokit {
  const base = options.retryAfterBaseValue;
  return ProbotOctokit.defaults((instance: Record<string, any>) => ({
    ...instance,
    retry: options.retry ? { ...instance.retry, ...(base === undefined ? {} : { retryAfterBaseValue: base }) } : { enabled: false },
    throttle: options.throttle ? { ...instance.throttle, ...(base === undefined ? {} : { retryAfterBaseValue: base }) } : { enabled: false },
  })) as typeof ProbotOctokit;
}

export type FakeAuth = 'installation' | 'app' | { token: string };

/**
 * A ProbotOctokit pointed at the fake: as the installation (default; gets its token from the fake), as the App
 * (JWT), or with a given token (e.g. `fake.userToken('alice')`).
 */
export function fakeOctokit(
  fake: FakeGitHub,
  options: { auth?: FakeAuth; retry?: boolean; throttle?: boolean; retryAfterBaseValue?: number; enterprise?: boolean } = {},
): InstanceType<typeof ProbotOctokit> {
  const Octokit = quietProbotOctokit(options);
  const baseUrl = options.enterprise ? `${fake.url}/api/v3` : fake.url;
  const auth = options.auth ?? 'installation';
  const { appId, privateKey } = appCredentials(fake);
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  if (typeof auth === 'object') return new Octokit({ baseUrl, auth: { token: auth.token }, log });
  return new Octokit({
    baseUrl,
    log,
    auth: auth === 'app' ? { appId, privateKey } : { appId, privateKey, installationId: fake.defaultInstallationId },
  });
}
