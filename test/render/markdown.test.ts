import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MARKER, renderMarkdown } from '../../src/render/markdown.js';
import type { ReviewResult } from '../../src/result.js';
import { emptyDelta } from '../../src/schema/delta.js';
import { DEFAULT_DOCS_URL } from '../../src/docs-url.js';
import { finding, HOSTILE_TABLE, ruleFinding, sampleResult } from './sample-result.js';

/** The Markdown with fenced blocks and code spans removed: what GitHub would interpret as markup. */
function outsideCode(md: string): string {
  return md
    .replace(/^( *)(`{3,})[^\n]*\n[\s\S]*?\n\1\2\s*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** true when a fenced code block is still open at the end (a closing fence is at least as long as the opening one). */
function unclosedFence(md: string): boolean {
  let open: string | null = null;
  for (const line of md.split('\n')) {
    const fence = /^ *(`{3,})\s*$/.exec(line)?.[1] ?? /^ *(`{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === null) open = fence;
    else if (fence.length >= open.length && /^ *`+\s*$/.test(line)) open = null;
  }
  return open !== null;
}

const cleanResult = (): ReviewResult => ({ ...sampleResult(), conclusion: 'success', findings: [], unattributed: [] });

describe('renderMarkdown', () => {
  it('starts with the sticky-comment marker, then the verdict', () => {
    const lines = renderMarkdown(sampleResult()).split('\n');
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(MARKDOWN_MARKER).toBe('<!-- migration-safari -->');
    expect(lines[1]).toBe('❌ **Migration Safari: 1 error, 1 warning, 1 notice** — 2 of 4 databases changed');
  });

  it('says no problems were found when the PR has no findings of its own', () => {
    const result = cleanResult();
    result.findings = [finding({ rule: 'duplicate-number', severity: 'notice', message: 'old', preexisting: true })];
    const md = renderMarkdown(result);
    expect(md.split('\n')[1]).toBe('✅ **Migration Safari: no problems found** — 2 of 4 databases changed');
    expect(md).not.toContain('### ❌ Errors');
    expect(md).toContain('Already on main (1)');
  });

  it('says there were no schema changes when no database changed', () => {
    const result = cleanResult();
    result.databases = result.databases.map((db) => ({ ...db, delta: emptyDelta(), head: { ...db.head, ok: true } }));
    const md = renderMarkdown(result);
    expect(md.split('\n')[1]).toBe('✅ **Migration Safari: no problems found** — no schema changes in 4 databases');
    expect(md).not.toContain('| Database |');
    expect(md).not.toContain('### Schema changes');
  });

  it('counts a partially replayed database without schema change in the table but not as changed', () => {
    const result = sampleResult();
    result.databases[2] = { ...result.databases[2], delta: emptyDelta() };
    const md = renderMarkdown(result);
    expect(md.split('\n')[1]).toMatch(/— 1 of 4 databases changed$/);
    expect(md).toMatch(/\| `grove-curios-db` ⚠️ head replay was partial/);
    expect(md).toMatch(/<summary><code>grove-curios-db<\/code>: no schema change \(⚠️ head replay was partial/);
  });

  it('has one summary row per changed or partial database and collapses the unchanged ones into one line', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('| Database | Tables | Added | Dropped | Renamed | Changed |');
    expect(md).toContain('| `grove-engine-db` | 2 → 3 | 2 | 1 | 0 | 1 |');
    expect(md).toMatch(/\| `grove-curios-db` ⚠️ head replay was partial: the diff is best effort \| 7 → 8 \| 1 \| 0 \| 0 \| 0 \|/);
    expect(md).toContain('Unchanged: `grove-zeta-db`, `grove-auth-db`');
    expect(md).not.toContain('| `grove-zeta-db`');
  });

  it('puts column-level changes in a <details> per database, with the partial note next to the delta', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('<details>\n<summary><code>grove-engine-db</code>: tables 2 added, 1 dropped, 1 changed</summary>');
    expect(md).toContain('- `tenants`\n  - columns added: `seats`');
    expect(md).toContain('**Tables dropped:** `legacy`');
    expect(md).toMatch(/<summary><code>grove-curios-db<\/code>: tables 1 added \(⚠️ head replay was partial/);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('groups findings by severity with the rule linked to its doc, file:line, message, fix and details', () => {
    const md = renderMarkdown(sampleResult());
    const errors = md.indexOf('### ❌ Errors (1)');
    const warnings = md.indexOf('### ⚠️ Warnings (1)');
    const notices = md.indexOf('### ℹ️ Notices (1)');
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(notices).toBeGreaterThan(warnings);
    expect(md).toContain(
      `- [\`duplicate-number\`](${DEFAULT_DOCS_URL}duplicate-number.md) · \`libs/engine/migrations/0085_x.sql:1\` · database \`grove-engine-db\``,
    );
    // Safari's words as text, every value from the PR as code.
    expect(md).toContain(
      '  `0085_x.sql` uses number `0085`, which `0085_y.sql` already holds. The next free number in `libs/engine/migrations` is `0086`.',
    );
    expect(md).toContain('  **Fix:** Rename the file to `0086_x.sql` (and bump the reservation file, if the folder has one).');
    // The details hold a ``` line, so their fence is longer.
    expect(md).toContain('  ````\n  - DROP TABLE legacy;\n  ```\n  + nothing\n  ````');
  });

  it("links rules absolutely: the render option, else the result's docsUrl, else the published docs", () => {
    const links = (md: string) =>
      new MarkdownIt()
        .parse(md, {})
        .flatMap((t) => t.children ?? [])
        .filter((t) => t.type === 'link_open')
        .map((t) => t.attrGet('href') ?? '');
    const byDefault = links(renderMarkdown({ ...sampleResult(), docsUrl: undefined as unknown as string }));
    expect(byDefault).toContain(`${DEFAULT_DOCS_URL}duplicate-number.md`);
    expect(DEFAULT_DOCS_URL).toMatch(/^https:\/\//);

    const fromConfig = links(renderMarkdown({ ...sampleResult(), docsUrl: 'https://docs.example.com/safari/rules' }));
    expect(fromConfig).toContain('https://docs.example.com/safari/rules/duplicate-number.md');

    const option = links(renderMarkdown(sampleResult(), { docsUrl: 'https://safari.dev/r/{rule}?from=pr' }));
    expect(option).toContain('https://safari.dev/r/duplicate-number?from=pr');
    expect(option.every((url) => url.startsWith('https://safari.dev/r/'))).toBe(true);
  });

  it('keeps a docs URL with spaces or parentheses one link destination', () => {
    const md = renderMarkdown(sampleResult(), { docsUrl: 'https://wiki.example.com/Safari (rules)/' });
    expect(md).toContain('(https://wiki.example.com/Safari%20%28rules%29/duplicate-number.md)');
  });

  it('lists acknowledged findings apart with their reason, and keeps them out of the verdict', () => {
    const md = renderMarkdown(sampleResult());
    const acknowledged = md.slice(md.indexOf('### 🔕 Acknowledged (1)'));
    expect(acknowledged).toContain('[`table-budget`]');
    // The reason is the PR's text: code, so `#42` links nothing and nothing in it is markup.
    expect(acknowledged).toContain('**Reason:** `consolidation tracked in #42`');
    expect(md.slice(0, md.indexOf('### 🔕'))).not.toContain('table-budget');
  });

  it('collapses findings already on main in a <details>', () => {
    const md = renderMarkdown(sampleResult());
    const start = md.indexOf('<details>\n<summary>Already on main (1)</summary>');
    expect(start).toBeGreaterThan(0);
    const section = md.slice(start, md.indexOf('</details>', start));
    expect(section).toContain('`libs/engine/migrations` already holds 2 migrations numbered `0042`: `0042_a.sql`, `0042_b.sql`.');
    expect(section).toContain('`libs/engine/migrations/0042_a.sql:1`');
  });

  it('lists unattributed folders, and explains discovery only when asked', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('### Unattributed migration folders (1)');
    expect(md).toContain('- `libs/engine/migrations/manual`');
    expect(md).not.toContain('Discovery:');
    const explained = renderMarkdown(sampleResult(), { explainDiscovery: true });
    expect(explained).toContain('<summary>Discovery: which config put each folder in each database</summary>');
    expect(explained).toContain('- `grove-engine-db` ← `apps/landing/migrations` (wrangler) — **guessed**');
    expect(explained).toContain('  - `migrations_dir = "migrations" in libs/engine/wrangler.toml (binding DB)`');
  });

  it('shows hostile names in code, as written: no HTML, links, emphasis or mentions outside code', () => {
    const md = renderMarkdown(sampleResult());
    const markup = outsideCode(md);
    expect(markup).not.toMatch(/<img|<script/i);
    expect(markup).not.toMatch(/@(?!&#8203;)/);
    expect(markup).not.toMatch(/(?<!\\)\]\(http:\/\/evil/);
    expect(md).toContain('This PR drops table `x<img src=x> <script>alert(1)</script> [click](http://evil) *bold* @org/platform` from');
    expect(md).toContain(`\`${HOSTILE_TABLE}\``); // names are shown, inside code spans, where nothing is interpreted
  });

  it("shows a finding not made from its rule's template whole as code", () => {
    const result = cleanResult();
    result.findings = [finding({ rule: 'replay-error', severity: 'notice', message: 'Rule crashed: <img src=x> @org www.evil.com' })];
    const md = renderMarkdown(result);
    expect(md).toContain('\n  `Rule crashed: <img src=x> @org www.evil.com`\n');
  });

  it('lists old problems only of the databases the PR touches, and counts the others on one line', () => {
    const result = sampleResult();
    const old = (database: string, number: string) =>
      ruleFinding('duplicate-number', 'duplicateOnMain', {
        data: { folder: `workers/${database}/migrations`, count: 2, number, files: [`${number}_a.sql`, `${number}_b.sql`] },
        database,
        preexisting: true,
      });
    result.findings.push(old('grove-zeta-db', '0007'), old('grove-zeta-db', '0009'), old('grove-auth-db', '0003'));
    const md = renderMarkdown(result);
    const section = md.slice(md.indexOf('<summary>Already on main (1)</summary>'), md.indexOf('</details>', md.indexOf('Already on main')));
    expect(section).toContain('0042');
    expect(md).not.toContain('0007_a.sql');
    expect(md).toContain(
      'Already on main in 2 databases this PR does not touch: 3 findings (`grove-zeta-db` 2, `grove-auth-db` 1); ' +
        '`npx safari review --format json` lists them.',
    );
    // With nothing old in a touched database, the count line stands alone.
    result.findings = result.findings.filter((f) => !f.preexisting || f.database !== 'grove-engine-db');
    const alone = renderMarkdown(result);
    expect(alone).not.toContain('<summary>Already on main');
    expect(alone).toContain('Already on main in 2 databases this PR does not touch: 3 findings');
  });

  it('keeps a hostile database name from breaking the summary table', () => {
    const result = sampleResult();
    result.databases[1] = { ...result.databases[1], name: 'evil|db`\n| injected |' };
    const md = renderMarkdown(result);
    const row = md.split('\n').find((line) => line.includes('evil'))!;
    expect(row.match(/(?<!\\)\|/g)?.length).toBe(7);
    expect(md).not.toMatch(/^\| injected/m);
  });

  it('never contains terminal escape codes, even from hostile names', () => {
    const result = sampleResult();
    result.findings.push(finding({ rule: 'destructive-change', severity: 'error', message: 'drop \u001b[31mred\u001b[0m', table: '\u001b]8;;x\u0007' }));
    result.databases[1].delta.tablesAdded.push('\u001b[2Jwipe');
    const md = renderMarkdown(result, { explainDiscovery: true });
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).toContain('\\x1b');
  });

  it('truncates under maxLength with a note, keeping the marker, the verdict and balanced <details> and fences', () => {
    const result = sampleResult();
    for (let i = 0; i < 500; i++) {
      result.findings.push(
        finding({ rule: 'destructive-change', severity: 'warning', message: `drop ${'x'.repeat(200)} ${i}`, details: ['a', 'b'] }),
      );
    }
    for (const maxLength of [4_000, 20_000]) {
      const md = renderMarkdown(result, { maxLength });
      expect(md.length).toBeLessThanOrEqual(maxLength);
      expect(md.startsWith(`${MARKDOWN_MARKER}\n❌ **Migration Safari: 1 error, 501 warnings, 1 notice**`)).toBe(true);
      expect(md).toMatch(/✂️ \*\*Truncated:\*\* .* \d+ more sections not shown/);
      expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
      expect(unclosedFence(md)).toBe(false);
    }
    const full = renderMarkdown(result);
    expect(full.length).toBeGreaterThan(60_000 - 2_000);
    expect(full.length).toBeLessThanOrEqual(60_000);
  });

  it('closes a <details> that truncation cut through', () => {
    const result = cleanResult();
    for (let i = 0; i < 300; i++) {
      result.findings.push(finding({ rule: 'duplicate-number', severity: 'notice', message: `old ${'y'.repeat(100)} ${i}`, preexisting: true }));
    }
    const md = renderMarkdown(result, { maxLength: 5_000 });
    expect(md.length).toBeLessThanOrEqual(5_000);
    expect(md).toContain('<summary>Already on main (300)</summary>');
    expect(md).toMatch(/old y+ 0`\n/);
    expect(md).not.toMatch(/old y+ 299`\n/);
    expect(md).toMatch(/<\/details>\n+> ✂️ \*\*Truncated/);
  });

  it('counts and caps details by physical line, so one detail full of line breaks stays short and inside its fence', () => {
    const result = cleanResult();
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    result.findings = [
      ruleFinding('edited-migration', 'edited', {
        data: { name: '0001_init.sql', changed: 100, s: 's' },
        file: 'migrations/0001_init.sql',
        details: [lines.join('\n')],
      }),
    ];
    const md = renderMarkdown(result);
    expect(md).toContain('  ```\n  line 0\n  line 1\n');
    expect(md).toContain('  line 39\n  … 60 more lines\n  ```');
    expect(md).not.toContain('line 40');
  });

  it('does not truncate what fits', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).not.toContain('Truncated');
    expect(md.endsWith('\n')).toBe(true);
  });
});
