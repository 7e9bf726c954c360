import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_URL, isHttpUrl, ruleDocUrl } from '../src/docs-url.js';

describe('rule doc links', () => {
  it('point to the published docs by default, absolutely', () => {
    expect(ruleDocUrl(DEFAULT_DOCS_URL, 'replay-error')).toBe(
      'https://github.com/migration-safari/migration-safari/blob/main/docs/rules/replay-error.md',
    );
  });

  it('put the page under a base, with or without its slash, before a query or fragment', () => {
    expect(ruleDocUrl('https://docs.example.com/rules', 'replay-error')).toBe('https://docs.example.com/rules/replay-error.md');
    expect(ruleDocUrl('https://docs.example.com/rules/', 'replay-error')).toBe('https://docs.example.com/rules/replay-error.md');
    expect(ruleDocUrl('https://docs.example.com/rules?ref=v2#top', 'x')).toBe('https://docs.example.com/rules/x.md?ref=v2#top');
  });

  it('replace {rule} when the URL names where the id goes', () => {
    expect(ruleDocUrl('https://safari.example/r/{rule}/', 'edited-migration')).toBe('https://safari.example/r/edited-migration/');
  });

  it('accept only absolute http(s) URLs as a base', () => {
    expect(isHttpUrl('https://docs.example.com/rules')).toBe(true);
    expect(isHttpUrl('http://localhost:8080/{rule}')).toBe(true);
    for (const bad of ['docs/rules', '/docs/rules', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://x/y', '']) expect(isHttpUrl(bad)).toBe(false);
  });
});
