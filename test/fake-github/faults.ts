/**
 * Fault injection: the next N requests matching a route answer with an error instead of being served, so tests can
 * drive octokit's retry and throttling plugins and the App's "GitHub failed for good" path.
 */
import { compilePattern, type Pattern } from './http.js';

export interface FaultSpec {
  status: number;
  /** How many matching requests fail (default 1; Infinity for "for good"). */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Fault extends Required<Omit<FaultSpec, 'body'>> {
  pattern: Pattern;
  body: unknown;
  /** How many requests this fault has answered so far. */
  hits: number;
}

/** A server error GitHub answers now and then. */
export function serverError(times = 1): FaultSpec {
  return { status: 500, times, body: { message: 'Server Error' } };
}

/**
 * GitHub's secondary rate limit: 403 with `retry-after` and the message octokit's throttling plugin looks for
 * ("secondary rate limit").
 */
export function secondaryRateLimit(times = 1, retryAfterSeconds = 1): FaultSpec {
  return {
    status: 403,
    times,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

/** The primary rate limit is spent: 403 with `x-ratelimit-remaining: 0` and a reset time. */
export function primaryRateLimit(times = 1, resetInSeconds = 1): FaultSpec {
  const reset = Math.ceil(Date.now() / 1000) + resetInSeconds;
  return {
    status: 403,
    times,
    headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-used': '5000' },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
    },
  };
}

/** 429 Too Many Requests with `retry-after`. */
export function tooManyRequests(times = 1, retryAfterSeconds = 1): FaultSpec {
  return {
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { message: 'Too Many Requests' },
  };
}

/** A slow GitHub: the next `times` matching requests wait `ms` (Infinity: until the fake closes) before being served. */
export interface Delay {
  pattern: Pattern;
  ms: number;
  times: number;
  hits: number;
}

/** The first rule with times left that matches the request (its raw or decoded path); counts the hit. */
function consume<T extends { pattern: Pattern; hits: number; times: number }>(rules: T[], method: string, paths: string[]): T | undefined {
  const rule = rules.find((r) => r.hits < r.times && paths.some((p) => r.pattern.match(method, p) !== undefined));
  if (rule) rule.hits++;
  return rule;
}

export class Faults {
  private readonly active: Fault[] = [];
  private readonly delays: Delay[] = [];

  /**
   * Makes the next `times` requests matching `route` fail. `route` is a method and a path pattern, either the
   * route's own (`POST /repos/:owner/:repo/check-runs`) or a concrete one (`GET /repos/acme/grove/pulls/1`);
   * `*name` matches the rest of a path, and `*` as the method matches any method.
   */
  add(route: string, spec: FaultSpec): Fault {
    const fault: Fault = {
      pattern: compilePattern(route),
      status: spec.status,
      times: spec.times ?? 1,
      headers: spec.headers ?? {},
      body: spec.body ?? { message: `Injected ${spec.status}` },
      hits: 0,
    };
    this.active.push(fault);
    return fault;
  }

  /** The fault that answers this request (consuming one of its times), or undefined. */
  take(method: string, paths: string[]): Fault | undefined {
    return consume(this.active, method, paths);
  }

  /** Faults still waiting to fire. */
  pending(): Fault[] {
    return this.active.filter((f) => f.hits < f.times);
  }

  /** Delays the next `times` requests matching `route` by `ms` milliseconds (Infinity: they hang until close()). */
  addDelay(route: string, ms: number, times = 1): Delay {
    const delay: Delay = { pattern: compilePattern(route), ms, times, hits: 0 };
    this.delays.push(delay);
    return delay;
  }

  /** The delay for this request (consuming one of its times), or undefined. */
  takeDelay(method: string, paths: string[]): Delay | undefined {
    return consume(this.delays, method, paths);
  }

  clear(): void {
    this.active.length = 0;
    this.delays.length = 0;
  }
}

/** GraphQL's transient failure: 200 with `errors: Something went wrong while executing your query` (retried by octokit). */
export function graphqlSomethingWentWrong(times = 1): FaultSpec {
  return {
    status: 200,
    times,
    body: {
      data: null,
      errors: [{ message: 'Something went wrong while executing your query. Please include `FAKE:0001` when reporting this issue.' }],
    },
  };
}
