/**
 * The one Safari comment per PR: found by the hidden marker AND this App's bot login (another bot's or a human's
 * comment that carries the marker is never touched), created once, updated in place. It also carries the App's only
 * state — `/safari ack` acknowledgements and the head it last described — in a hidden, versioned data block, so the
 * App needs no database and survives restarts.
 */
import { MARKDOWN_MARKER } from '../render/markdown.js';
import type { GitHubApi } from './github-api.js';

/** GitHub's limit is 65,536 characters. */
export const MAX_COMMENT = 65_000;
const DATA_PREFIX = '<!-- safari-data:v1 ';
const DATA_SUFFIX = ' -->';

export interface StoredAck {
  rule: string;
  file?: string;
  reason: string;
  by: string;
  at: string;
  /** Blob SHAs of the files the acknowledged findings were in, once a review saw them: a change lapses the ack. */
  shas?: Record<string, string>;
}

export interface CommentData {
  v: 1;
  /** The PR head the comment describes. */
  head?: string;
  acks: StoredAck[];
}

export interface StickyComment {
  id: number;
  body: string;
  data: CommentData;
}

export const emptyData = (): CommentData => ({ v: 1, acks: [] });

/** The data block, base64 so no text in it can end the HTML comment or show as Markdown. */
export function encodeData(data: CommentData): string {
  return `${DATA_PREFIX}${Buffer.from(JSON.stringify(data), 'utf8').toString('base64')}${DATA_SUFFIX}`;
}

export function decodeData(body: string): CommentData {
  const start = body.lastIndexOf(DATA_PREFIX);
  if (start < 0) return emptyData();
  const end = body.indexOf(DATA_SUFFIX, start + DATA_PREFIX.length);
  try {
    const parsed = JSON.parse(Buffer.from(body.slice(start + DATA_PREFIX.length, end), 'base64').toString('utf8')) as Partial<CommentData>;
    if (parsed.v !== 1 || !Array.isArray(parsed.acks)) return emptyData();
    return { v: 1, head: typeof parsed.head === 'string' ? parsed.head : undefined, acks: parsed.acks.filter(isAck) };
  } catch {
    return emptyData();
  }
}

const isAck = (a: unknown): a is StoredAck =>
  typeof a === 'object' && a !== null && typeof (a as StoredAck).rule === 'string' && typeof (a as StoredAck).reason === 'string' && typeof (a as StoredAck).by === 'string';

interface IssueComment {
  id: number;
  body?: string;
  user: { login: string; type?: string } | null;
}

export async function findStickyComment(api: GitHubApi, number: number, botLogin: string): Promise<StickyComment | undefined> {
  for (let page = 1; page <= 30; page++) {
    const { data: comments, next } = await api.restPage<IssueComment[]>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: number, per_page: 100, page });
    const ours = comments.find((c) => c.user?.login === botLogin && (c.body ?? '').startsWith(MARKDOWN_MARKER));
    if (ours) return { id: ours.id, body: ours.body ?? '', data: decodeData(ours.body ?? '') };
    if (!next) return undefined;
  }
  return undefined;
}

/** Writes the comment (creating it the first time); the body gets the data block appended. */
export async function writeStickyComment(api: GitHubApi, number: number, existing: StickyComment | undefined, body: string, data: CommentData): Promise<number> {
  const full = `${body.trimEnd()}\n\n${encodeData(data)}\n`;
  if (existing) {
    if (existing.body === full) return existing.id;
    await api.rest('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { comment_id: existing.id, body: full });
    return existing.id;
  }
  const created = await api.rest<{ id: number }>('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: number, body: full });
  return created.id;
}
