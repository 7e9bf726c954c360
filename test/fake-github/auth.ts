/**
 * Who is calling: the App (a JWT), an installation (a token the fake issued), a human (a personal token a test
 * registered) or nobody. The fake checks JWTs the way GitHub does when given the App's public key: RS256
 * signature, `iss` = the App id, `exp` in the future and at most ten minutes ahead.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { HttpError } from './http.js';
import type { Store } from './store.js';

export type Identity =
  | { kind: 'app' }
  | { kind: 'installation'; installationId: number }
  | { kind: 'user'; login: string }
  | { kind: 'anonymous' };

export interface AuthOptions {
  appId: number;
  /** Verify App JWTs against this key (PEM of the public or private key). Without it any JWT-shaped token passes. */
  publicKey?: string | KeyObject;
  /** Refuse tokens the fake did not issue (default: an unknown token acts as the default installation). */
  strict: boolean;
  defaultInstallationId: number;
  now(): number;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function badCredentials(message = 'Bad credentials'): HttpError {
  return new HttpError(401, message, { documentation_url: 'https://docs.github.com/rest' });
}

function checkJwt(token: string, options: AuthOptions): void {
  const [header, payload, signature] = token.split('.');
  let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
  let alg: unknown;
  try {
    alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw badCredentials('A JSON web token could not be decoded');
  }
  if (!options.publicKey) return;
  if (alg !== 'RS256') throw badCredentials("'alg' must be RS256");
  const key = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  if (!signed) throw badCredentials('A JSON web token could not be decoded');
  if (String(claims.iss) !== String(options.appId)) throw badCredentials("'Issuer' claim ('iss') must be an Integer");
  const now = Math.floor(options.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    throw badCredentials("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
  }
  if (claims.exp > now + 600 + 60) throw badCredentials("'Expiration time' claim ('exp') is too far in the future");
}

/** The caller behind an Authorization header; throws 401 for what GitHub would refuse. */
export function identify(authorization: string | undefined, store: Store, options: AuthOptions): Identity {
  if (!authorization) return { kind: 'anonymous' };
  const match = /^(bearer|token)\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw badCredentials();
  const token = match[2];
  const issued = store.tokens.get(token);
  if (issued) {
    if (Date.parse(issued.expiresAt) <= options.now()) throw badCredentials();
    return { kind: 'installation', installationId: issued.installationId };
  }
  const login = store.userTokens.get(token);
  if (login !== undefined) return { kind: 'user', login };
  if (JWT.test(token)) {
    checkJwt(token, options);
    return { kind: 'app' };
  }
  if (options.strict) throw badCredentials();
  return { kind: 'installation', installationId: options.defaultInstallationId };
}

/** App-level endpoints (`/app`, access tokens, `/repos/…/installation`) need the App's JWT, as on GitHub. */
export function requireApp(identity: Identity): void {
  if (identity.kind !== 'app') {
    throw new HttpError(401, 'A JSON web token could not be decoded', {
      documentation_url: 'https://docs.github.com/rest',
    });
  }
}
