/**
 * Bundles a Drizzle schema (the config's `schema` entries and their relative imports) from an in-memory tree with
 * esbuild, in the parent process: the PR's tree is not on disk for the App. `drizzle-orm` resolves to Safari's own
 * copy (left external, as an absolute file URL, so the child loads the same instance drizzle-kit uses); the
 * repository's own packages (a monorepo's workspaces) resolve to their source in the tree; a short list of harmless
 * Node built-ins stays external, other built-ins fail the bundle with a clear message; any other package becomes an
 * inert stub (inert-stub.ts), since it only feeds runtime defaults, never the tables drizzle-kit snapshots.
 */
import { build, stop, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { inertStubSource } from './inert-stub.js';

/** Bigger schema files are refused before esbuild reads them (a real schema file is tens of KiB). */
export const MAX_SCHEMA_FILE_BYTES = 1024 * 1024;
/** esbuild's Go service, once dead, answers every later build with this: it must be restarted. */
const SERVICE_GONE = /service (was stopped|is no longer running)/;

/** Node built-ins a schema may reasonably use. Everything else (fs, net, child_process, worker_threads…) is refused. */
const ALLOWED_BUILTINS = new Set(['path', 'url', 'util', 'crypto', 'buffer', 'events', 'assert', 'string_decoder', 'querystring']);
/** An npm package name, optionally with a subpath: never a URL (`file:`), a drive or a UNC path. */
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(?:\/[\w.~@/-]*)?$/i;

/** true when `spec` reads as a path to a source file of the tree (from the root or any folder), not a package. */
function namesRepoFile(spec: string, files: ReadonlySet<string>): boolean {
  const stem = spec.replace(/\.(m|c)?js$/, '');
  const tails = [spec, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => `${spec}/index${e}`)];
  // A bare name (`nanoid`) is a package even beside a `lib/nanoid.ts`; `src/db/users` names the tree's file.
  const nested = spec.includes('/') && !spec.startsWith('@');
  for (const f of files) if (tails.some((t) => f === t || (nested && f.endsWith(`/${t}`)))) return true;
  return false;
}
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export type BundleResult =
  | { ok: true; code: string; inputs: string[] }
  | { ok: false; reason: 'bundle' | 'import'; message: string; file?: string; line?: number };

/** Expands the config's `schema` entries (files, folders or globs, repo-relative) against the tree's file list. */
export function schemaEntries(schema: readonly string[], files: readonly string[]): string[] {
  const out = new Set<string>();
  const isSource = (f: string) => SOURCE_EXTENSIONS.some((e) => f.endsWith(e)) && !f.endsWith('.d.ts') && !/\.(test|spec)\.[cm]?[jt]sx?$/.test(f);
  for (const raw of schema) {
    const entry = posix.normalize(raw.replace(/^\.\//, '')).replace(/\/+$/, '');
    if (/[*?{[]/.test(entry)) {
      const match = picomatch(entry);
      for (const f of files) if (match(f) && isSource(f)) out.add(f);
    } else if (files.includes(entry)) out.add(entry);
    else for (const f of files) if (f.startsWith(`${entry}/`) && isSource(f)) out.add(f);
  }
  return [...out].sort();
}

const RESOLVING = Symbol('safari-resolving');
const require = createRequire(import.meta.url);
let drizzleOrmRoot: string | undefined;
/** Safari's own drizzle-orm folder; imports of it are resolved there, never in the PR's tree. */
function drizzleOrmDir(): string {
  if (!drizzleOrmRoot) {
    let dir = posix.dirname(require.resolve('drizzle-orm'));
    while (posix.basename(dir) !== 'drizzle-orm' && dir !== '/') dir = posix.dirname(dir);
    drizzleOrmRoot = dir;
  }
  return drizzleOrmRoot;
}

interface WorkspacePackage {
  dir: string;
  json: { exports?: unknown; module?: unknown; main?: unknown; types?: unknown };
}

/** The repository's own packages (package.json files outside node_modules), by name: monorepo schemas import them. */
async function findWorkspacePackages(files: ReadonlySet<string>, read: (path: string) => Promise<string | undefined>): Promise<Map<string, WorkspacePackage>> {
  const paths = [...files].filter((f) => (f === 'package.json' || f.endsWith('/package.json')) && !f.split('/').includes('node_modules'));
  const texts = await Promise.all(paths.map((p) => read(p)));
  const out = new Map<string, WorkspacePackage>();
  paths.forEach((p, i) => {
    try {
      const json = JSON.parse(texts[i] ?? '') as WorkspacePackage['json'] & { name?: unknown };
      if (typeof json.name === 'string' && !out.has(json.name)) out.set(json.name, { dir: posix.dirname(p), json });
    } catch {
      // not a package we can use
    }
  });
  return out;
}

/** Source-first candidates for an `exports` target: `./dist/x.js` has no source in git, `./src/x.ts` does. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return ['types', 'import', 'module', 'default', 'node', 'require'].flatMap((k) => (k in v ? exportTargets(v[k]) : []));
  }
  return [];
}

function resolveWorkspaceImport(spec: string, packages: Map<string, WorkspacePackage>, files: ReadonlySet<string>): string | undefined {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const pkg = packages.get(name);
  if (!pkg) return undefined;
  const sub = spec.slice(name.length); // '' or '/x'
  const exportsField = pkg.json.exports;
  let targets: string[] = [];
  if (exportsField && typeof exportsField === 'object' && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'))) {
    targets = exportTargets((exportsField as Record<string, unknown>)[`.${sub}`]);
  } else if (sub === '') {
    targets = [...exportTargets(exportsField), ...[pkg.json.types, pkg.json.module, pkg.json.main].filter((t): t is string => typeof t === 'string')];
  }
  targets.push(sub === '' ? './src/index' : `./src${sub}`, sub === '' ? './index' : `.${sub}`);
  for (const target of targets) {
    const base = posix.normalize(posix.join(pkg.dir, target));
    if (base.startsWith('../')) continue;
    const stem = base.replace(/\.d\.ts$/, '').replace(/\.(m|c)?js$/, '');
    const found = [base, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)].find(
      (c) => files.has(c) && !c.endsWith('.d.ts'),
    );
    if (found) return found;
  }
  return undefined;
}

function treePlugin(files: ReadonlySet<string>, read: (path: string) => Promise<string | undefined>, entries: string[]): Plugin {
  let workspaces: Promise<Map<string, WorkspacePackage>> | undefined;
  return {
    name: 'safari-tree',
    setup(b) {
      b.onResolve({ filter: /^safari:entry$/ }, () => ({ path: 'entry', namespace: 'safari' }));
      b.onLoad({ filter: /.*/, namespace: 'safari' }, () => ({
        contents: entries.map((e, i) => `import * as m${i} from ${JSON.stringify(`tree:${e}`)};`).join('\n') + `\nexport default [${entries.map((_, i) => `m${i}`).join(', ')}];\n`,
        loader: 'js',
      }));
      b.onResolve({ filter: /^tree:/ }, (args) => ({ path: args.path.slice('tree:'.length), namespace: 'tree' }));
      b.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
        if (args.namespace !== 'tree') return { errors: [{ text: `unexpected relative import ${args.path}` }] };
        const base = posix.normalize(posix.join(posix.dirname(args.importer), args.path));
        if (base.startsWith('../')) return { errors: [{ text: `${args.path} points outside the repository` }] };
        const stem = base.replace(/\.(m|c)?js$/, '');
        const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)];
        const found = candidates.find((c) => files.has(c));
        if (!found) return { errors: [{ text: `${args.path} is not in the pull request's tree (looked for ${base})` }] };
        return { path: found, namespace: 'tree' };
      });
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        // Our own b.resolve() below comes back through here: let esbuild's resolver answer it.
        if (args.namespace === 'safari' || args.pluginData === RESOLVING) return undefined;
        const spec = args.path;
        const bare = spec.replace(/^node:/, '');
        if (spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/')) {
          const r = await b.resolve(spec, { kind: args.kind, resolveDir: posix.dirname(drizzleOrmDir()), pluginData: RESOLVING });
          if (r.errors.length) return { errors: [{ text: `drizzle-orm has no export "${spec}" in Safari's copy` }] };
          return { path: pathToFileURL(r.path).href, external: true };
        }
        if (ALLOWED_BUILTINS.has(bare.split('/')[0])) return { path: `node:${bare}`, external: true };
        const builtin = (await import('node:module')).builtinModules.includes(bare);
        if (!builtin && !spec.startsWith('node:')) {
          workspaces ??= findWorkspacePackages(files, read);
          const found = resolveWorkspaceImport(spec, await workspaces, files);
          if (found) return { path: found, namespace: 'tree' };
          // A path alias (`src/db/users` through tsconfig's baseUrl) may hold tables: never a stub, a failed bundle.
          if (namesRepoFile(spec, files)) {
            return { errors: [{ text: `imports "${spec}", a path alias Safari does not resolve (only relative imports and the repository's own packages)` }] };
          }
          // Any other package (nanoid, zod, @paralleldrive/cuid2…) only feeds runtime defaults: an inert stub.
          if (PACKAGE_NAME.test(spec)) return { path: spec, namespace: 'stub' };
        }
        return {
          errors: [
            {
              text: builtin
                ? `imports node:${bare}, which the schema sandbox does not provide (no file system, network or processes)`
                : `imports "${spec}", which the schema sandbox does not provide`,
            },
          ],
        };
      });
      // Everything else — above all absolute paths, which esbuild would read from the host's disk into the bundle.
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === 'safari' || args.pluginData === RESOLVING) return undefined;
        return { errors: [{ text: `imports "${args.path}": only drizzle-orm and files of the repository (relative paths) can be imported` }] };
      });
      b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: inertStubSource(args.path), loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'tree' }, async (args) => {
        const text = await read(args.path);
        if (text === undefined) return { errors: [{ text: `${args.path} could not be read` }] };
        if (text.length > MAX_SCHEMA_FILE_BYTES) {
          return { errors: [{ text: `${args.path} is ${Math.ceil(text.length / 1024)} KiB; Safari bundles schema files of at most ${MAX_SCHEMA_FILE_BYTES / 1024} KiB` }] };
        }
        const ext = posix.extname(args.path);
        const loader = ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : ext === '.json' ? 'json' : ext === '.js' || ext === '.mjs' || ext === '.cjs' ? 'js' : 'ts';
        return { contents: text, loader };
      });
    },
  };
}

export async function bundleSchema(args: {
  entries: string[];
  files: readonly string[];
  read: (path: string) => Promise<string | undefined>;
}): Promise<BundleResult> {
  const files = new Set(args.files);
  try {
    const result = await build({
      entryPoints: ['safari:entry'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
      // No module resolution at run time: `import(x)` becomes esbuild's require shim, which always throws the same
      // error in an ES module, and `import.meta` an empty object. Node's resolver would tell a schema which host paths
      // exist (ERR_ACCESS_DENIED for a file that exists, ERR_MODULE_NOT_FOUND for one that doesn't).
      supported: { 'dynamic-import': false, 'import-meta': false },
      plugins: [treePlugin(files, args.read, args.entries)],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .filter((p) => p.startsWith('tree:'))
      .map((p) => p.slice('tree:'.length))
      .sort();
    return { ok: true, code: result.outputFiles[0].text, inputs };
  } catch (e) {
    if (SERVICE_GONE.test((e as Error).message ?? '')) {
      // A schema crashed esbuild (a Go stack overflow on a deeply nested literal, say). Without a restart every later
      // bundle in this process would fail: one PR would switch off Drizzle checks for everyone until a restart.
      await stop();
      return { ok: false, reason: 'bundle', message: 'esbuild crashed while bundling the schema (its service was restarted)' };
    }
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
    if (!first) return { ok: false, reason: 'bundle', message: (e as Error).message.split('\n')[0] };
    const file = first.location?.file.replace(/^tree:/, '');
    const reason = /^imports /.test(first.text) || /drizzle-orm has no export/.test(first.text) ? 'import' : 'bundle';
    return { ok: false, reason, message: first.text, file, line: first.location?.line };
  }
}
