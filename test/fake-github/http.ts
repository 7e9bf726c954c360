/**
 * The small HTTP layer of the fake GitHub: route patterns, JSON replies in GitHub's error shapes, pagination with
 * `Link` headers. No framework: node:http is enough for a loopback test server.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What a handler returns: a JSON (or raw string) body, a status and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is (a string) instead of JSON, with this content type. */
  raw?: { contentType: string };
}

/** A failure a handler throws; becomes a GitHub-shaped error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';

export function notFound(documentation = DOCS): HttpError {
  return new HttpError(404, 'Not Found', { documentation_url: documentation });
}

/** GitHub's 422: `Validation Failed` with one error entry, or a plain `Invalid request` message. */
export function validationFailed(resource: string, field: string, message: string, code = 'custom'): HttpError {
  return new HttpError(422, 'Validation Failed', {
    errors: [{ resource, code, field, message }],
    documentation_url: DOCS,
  });
}

export function errorBody(error: HttpError): Record<string, unknown> {
  return { message: error.message, documentation_url: DOCS, ...error.extra, status: String(error.status) };
}

/** A compiled route pattern: `GET /repos/:owner/:repo/contents/*path` (`*name` takes the rest of the path). */
export interface Pattern {
  method: string;
  source: string;
  match(method: string, path: string): Record<string, string> | undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function compilePattern(source: string): Pattern {
  const space = source.indexOf(' ');
  const method = space < 0 ? '*' : source.slice(0, space).toUpperCase();
  const parts = (space < 0 ? source : source.slice(space + 1)).split('/').filter(Boolean);
  return {
    method,
    source,
    match(actualMethod, path) {
      if (method !== '*' && method !== actualMethod) return undefined;
      const segments = path.split('/').filter(Boolean);
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        if (part.startsWith('*')) {
          const rest = segments.slice(i);
          if (rest.length === 0) return undefined;
          params[part.slice(1)] = rest.map(decode).join('/');
          return params;
        }
        const segment = segments[i];
        if (segment === undefined) return undefined;
        if (part.startsWith(':')) params[part.slice(1)] = decode(segment);
        else if (part !== decode(segment)) return undefined;
      }
      return segments.length === parts.length ? params : undefined;
    },
  };
}

export interface RequestContext {
  method: string;
  /** The path without `/api/v3` (GitHub Enterprise prefix) and without the query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  headers: IncomingHttpHeaders;
  /** `http://127.0.0.1:port` + the prefix the client used (`/api/v3` or nothing): for URLs in responses. */
  apiBase: string;
}

/** GitHub's page parameters: per_page defaults to 30, at most 100; page from 1. */
export function pageParams(query: URLSearchParams, defaultPerPage = 30): { page: number; perPage: number } {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page')) || defaultPerPage));
  const page = Math.max(1, Math.floor(Number(query.get('page')) || 1));
  return { page, perPage };
}

/** One page of `items` plus GitHub's `Link` header (absolute URLs, rel next/last/first/prev). */
export function paginate<T>(
  ctx: RequestContext,
  items: T[],
  options: { defaultPerPage?: number; maxItems?: number } = {},
): { items: T[]; headers: Record<string, string> } {
  const all = options.maxItems === undefined ? items : items.slice(0, options.maxItems);
  const { page, perPage } = pageParams(ctx.query, options.defaultPerPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const pageItems = all.slice((page - 1) * perPage, page * perPage);
  const link = (n: number) => {
    const query = new URLSearchParams(ctx.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `${ctx.apiBase}${ctx.path}?${query.toString()}`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
  return { items: pageItems, headers: rels.length > 0 ? { link: rels.join(', ') } : {} };
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}
