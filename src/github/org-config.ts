/**
 * Probot's config convention for `.github/safari.yml` on the base branch, in front of the core's loader:
 *
 * - a repository without its own file uses the organization's: `.github/safari.yml` of the `<owner>/.github`
 *   repository;
 * - `_extends: <repo>` or `_extends: <owner>/<repo>[:<path>]` takes that file's top-level keys as defaults; the
 *   repository's own keys win (top-level merge).
 *
 * The core sees one YAML text: the repository's own lines unchanged (the `_extends` line becomes a comment, so every
 * line number in an error is still the repository's), the inherited keys appended after them.
 */
import { isMap, parseDocument, stringify } from 'yaml';
import { CONFIG_PATHS } from '../config/load-config.js';
import type { Tree } from '../source/types.js';
import type { KeyedTree } from './api-tree.js';
import type { GitHubApi } from './github-api.js';

const OWN_PATH = '.github/safari.yml';

export interface ConfigRef {
  owner: string;
  repo: string;
  path: string;
}

/** `_extends` value → where to read; undefined when it doesn't look like a repository reference. */
export function parseExtends(value: string, owner: string): ConfigRef | undefined {
  const m = /^(?:([A-Za-z0-9-]+)\/)?([A-Za-z0-9._-]+)(?::(.+))?$/.exec(value.trim());
  if (!m) return undefined;
  return { owner: m[1] ?? owner, repo: m[2], path: m[3] ?? OWN_PATH };
}

/** Reads a config file from another repository's default branch; undefined when absent or not visible to the App. */
export async function fetchConfigText(api: GitHubApi, ref: ConfigRef): Promise<string | undefined> {
  try {
    const data = await api.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: ref.owner, repo: ref.repo, path: ref.path });
    api.counts.reads++;
    const file = data.data as { type?: string; content?: string; encoding?: string };
    if (file.type !== 'file' || typeof file.content !== 'string') return undefined;
    return Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  } catch (error) {
    api.counts.reads++;
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The repository's own text with `inherited`'s top-level keys it lacks appended; `_extends` commented out. */
export function mergeConfigText(own: string, inherited: string | undefined, from: string): string {
  const lines = own.split('\n');
  const doc = parseDocument(own);
  const ownKeys = new Set<string>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? '');
      ownKeys.add(key);
      if (key === '_extends' && pair.key && (pair.key as { range?: number[] }).range) {
        const start = (pair.key as { range: number[] }).range[0];
        const line = own.slice(0, start).split('\n').length - 1;
        lines[line] = `# ${lines[line]}`;
      }
    }
  }
  const base = inherited === undefined ? undefined : parseDocument(inherited).toJS();
  if (!base || typeof base !== 'object' || Array.isArray(base)) return lines.join('\n');
  const extra = Object.fromEntries(Object.entries(base as Record<string, unknown>).filter(([k]) => !ownKeys.has(k) && k !== '_extends'));
  if (Object.keys(extra).length === 0) return lines.join('\n');
  return `${lines.join('\n').replace(/\n*$/, '\n')}# inherited from ${from}\n${stringify(extra)}`;
}

/**
 * The base tree with the organization's defaults applied to its Safari config. Reads of other paths pass through.
 * `fetch` reads another repository's file (one request, made only when the convention asks for it).
 */
export function withOrgDefaults(tree: KeyedTree, owner: string, repo: string, fetch: (ref: ConfigRef) => Promise<string | undefined>): KeyedTree {
  let resolved: Promise<{ path: string; text: string } | undefined> | undefined;
  const resolve = () =>
    (resolved ??= (async () => {
      const texts = await tree.read([...CONFIG_PATHS]);
      const path = CONFIG_PATHS.find((p) => texts.get(p) !== undefined);
      if (path === undefined) {
        if (repo === '.github' || (await tree.list()).some((p) => (CONFIG_PATHS as readonly string[]).includes(p))) return undefined;
        const org = await fetch({ owner, repo: '.github', path: OWN_PATH });
        return org === undefined ? undefined : { path: OWN_PATH, text: mergeConfigText(org, undefined, '') };
      }
      const own = texts.get(path)!;
      const value = parseDocument(own).get('_extends');
      if (typeof value !== 'string') return { path, text: own };
      const ref = parseExtends(value, owner);
      if (!ref || (ref.owner === owner && ref.repo === repo)) return { path, text: own };
      return { path, text: mergeConfigText(own, await fetch(ref), `${ref.owner}/${ref.repo}:${ref.path}`) };
    })());
  return {
    id: tree.id,
    // Config paths may read as the merged text, not their blob: they get no SHA (always sent as text).
    ...(tree.shas
      ? { shas: (paths: string[]) => new Map(paths.map((p) => [p, (CONFIG_PATHS as readonly string[]).includes(p) ? undefined : tree.shas!([p]).get(p)])) }
      : {}),
    // The resolved config text may be longer than the file's own blob; the config loader caps what it parses.
    sizes: (paths) => tree.sizes(paths),
    list: async () => {
      const [listing, config] = await Promise.all([tree.list(), resolve()]);
      return config && !listing.includes(config.path) ? [...listing, config.path].sort() : listing;
    },
    read: async (paths) => {
      const wantsConfig = paths.some((p) => (CONFIG_PATHS as readonly string[]).includes(p));
      const [texts, config] = await Promise.all([tree.read(paths), wantsConfig ? resolve() : undefined]);
      if (config && paths.includes(config.path)) texts.set(config.path, config.text);
      return texts;
    },
  };
}
