/**
 * Where each rule's doc page lives. Links in a PR comment must be absolute (a relative `docs/rules/x.md` resolves
 * against the PR page, not the repository), so this is the project's published docs unless `docsUrl` (safari.yml,
 * `--docs-url`, the renderers' option) says otherwise. The one place the default is written.
 */
export const DEFAULT_DOCS_URL = 'https://github.com/migration-safari/migration-safari/blob/main/docs/rules/';

/** An absolute http(s) URL: the only kind a docs base may be. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * A rule's doc page under a docs base URL: `{rule}` in the base is replaced by the rule id
 * (`https://safari.example/rules/{rule}`); otherwise the page is `<base>/<rule-id>.md`, as in this repository.
 */
export function ruleDocUrl(base: string, ruleId: string): string {
  const id = encodeURIComponent(ruleId);
  if (base.includes('{rule}')) return base.replaceAll('{rule}', id);
  // The page goes on the path; a query or fragment of the base stays at the end.
  const cut = base.search(/[?#]/);
  const [path, rest] = cut === -1 ? [base, ''] : [base.slice(0, cut), base.slice(cut)];
  return `${path.endsWith('/') ? path : `${path}/`}${id}.md${rest}`;
}
