// Issue 9 §4: a PR must not be able to write its own Markdown into the bot's comment. Every message of every
// registered rule (read from the registry, so a new rule or message id is covered without touching this file) is
// rendered with hostile values in every field, then parsed as CommonMark (markdown-it, GFM tables, GitHub-style
// autolinks). PR text may only be found inside code spans, fenced blocks or <code> elements.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { leaks, parser, PR } from '../helpers/markdown-leaks.js';
import { DEFAULT_DOCS_URL } from '../../src/docs-url.js';
import type { DataValue, Finding } from '../../src/findings.js';
import { MARKDOWN_MARKER, renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import type { DatabaseResult, ReviewResult } from '../../src/result.js';
import { toFinding } from '../../src/rules/engine/run-rules.js';
import { fixTemplate, rules } from '../../src/rules/registry.js';
import { emptyDelta } from '../../src/schema/delta.js';

/** One hostile value: every way out of a code span, a list item or a <details> block, each piece marked. */
const hostile = (label: string) =>
  [
    `${PR}${label}`,
    `\n# ${PR} all checks passed ✅\n`,
    `${PR}\r\n## ${PR}\r${PR}\u2028${PR}\u2029- ${PR} item`,
    `${PR}\n\n${PR}`,
    `${PR}@org/security-team ${PR}@octocat`,
    `${PR}![${PR}](https://evil.com/track.png)`,
    `${PR}[${PR} click](https://evil.com/phish)`,
    `${PR}https://evil.com/a ${PR}www.evil.com ${PR}phish@evil.com`,
    `${PR}<img src=x onerror=alert(1)> ${PR}<a href="https://evil.com">${PR}</a>`,
    `${PR}</details></summary> ${PR}<details><summary>${PR}`,
    `${PR}<!-- migration-safari --> ${PR}<!-- ${PR}`,
    `${PR}\`${PR}\`\`${PR}\`\`\`\n\`\`\`\`\n${PR}`,
    `${PR}| ${PR} | ${PR} |`,
    `${PR}*${PR}* _${PR}_ ~~${PR}~~ \\${PR}`,
    `${PR}&lt;${PR}&#64;${PR}`,
    `${PR}\u001b[2J\u001b]0;${PR}\u0007\u009b31m${PR}`,
    `    ${PR} indented code`,
    `${PR}`,
  ].join(' ');

const WORDING = 'plain words';

const placeholders = (template: string | undefined) => [...(template ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** Every message id of every rule, with hostile data: strings in one pass, lists of strings in the other. */
function everyFindingKind(database: string | undefined, asList: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const messageId of Object.keys(rule.meta.messages)) {
      const keys = new Set([...placeholders(rule.meta.messages[messageId]), ...placeholders(fixTemplate(rule.meta, messageId))]);
      const data: Record<string, DataValue> = {};
      for (const key of keys) {
        const value = hostile(`${rule.meta.id}.${messageId}.${key}`);
        data[key] = rule.meta.wording?.includes(key) ? WORDING : asList ? [value, hostile('second'), hostile('third')] : value;
      }
      const base = toFinding(rule, {
        messageId,
        data,
        database,
        file: hostile('file'),
        line: 3,
        table: hostile('table'),
        details: [hostile('detail'), `\`\`\`\n</details>\n# ${PR}`, `${PR}\n<!-- migration-safari -->`],
      }, undefined);
      findings.push(base);
      findings.push({ ...base, acknowledged: { reason: hostile('reason') } });
      findings.push({ ...base, preexisting: true, severity: 'notice' });
    }
  }
  // A finding made outside a rule's template (a crashed rule): shown whole as code.
  findings.push({ rule: rules[0].meta.id, messageId: 'rule-crashed', severity: 'notice', message: hostile('crash'), data: {}, preexisting: false, fingerprint: 'rule-crashed' });
  return findings;
}

function hostileDatabase(name: string, touched: boolean): DatabaseResult {
  const n = (label: string) => hostile(`${name}.${label}`);
  return {
    name,
    dialect: 'd1',
    sources: [{ kind: 'wrangler', path: n('source') }],
    base: { ok: true, migrations: 1, tables: 2 },
    head: { ok: !touched, migrations: 2, tables: 3 },
    delta: touched
      ? {
          ...emptyDelta(),
          tablesAdded: [n('added'), n('added2')],
          tablesDropped: [n('dropped')],
          tablesRenamed: [{ from: n('from'), to: n('to') }],
          tablesChanged: [
            {
              table: n('changed'),
              columnsAdded: [n('col')],
              columnsDropped: [n('col2')],
              columnsRenamed: [{ from: n('cfrom'), to: n('cto') }],
              columnsChanged: [{ column: n('c'), changes: [`type ${n('type')} → INTEGER`, 'NOT NULL added'] }],
              indexesAdded: [n('idx')],
              indexesDropped: [],
              foreignKeysAdded: [n('fk')],
              foreignKeysDropped: [],
              changes: [`CHECK (${n('check')}) added`],
            },
          ],
          viewsAdded: [n('view')],
          triggersChanged: [n('trigger')],
        }
      : emptyDelta(),
    touched,
  };
}

function hostileResult(asList: boolean): ReviewResult {
  const touchedName = hostile('database');
  const otherName = hostile('untouched-database');
  return {
    schemaVersion: 1,
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    conclusion: 'failure',
    databases: [hostileDatabase(touchedName, true), hostileDatabase(otherName, false)],
    findings: [
      ...everyFindingKind(touchedName, asList),
      ...everyFindingKind(otherName, asList).filter((f) => f.preexisting),
      ...everyFindingKind(undefined, asList).slice(0, 3), // findings about no one database
    ],
    unattributed: [hostile('unattributed')],
    discovery: [{ database: touchedName, source: hostile('source'), kind: 'wrangler', reasons: [hostile('reason')], guessed: true }],
    docsUrl: DEFAULT_DOCS_URL,
  };
}

describe('a hostile PR cannot write Markdown into the comment', () => {
  const kinds = rules.reduce((n, rule) => n + Object.keys(rule.meta.messages).length, 0);

  it(`renders every finding kind of every rule (${kinds} messages) with hostile values inside code only`, () => {
    for (const asList of [false, true]) {
      const md = renderMarkdown(hostileResult(asList), { explainDiscovery: true, maxLength: 50_000_000 });
      expect(md).not.toContain('Truncated');
      expect(leaks(md)).toEqual([]);
      // A `|` in a name splits no table cell: every row keeps the header's six.
      const tokens = parser.parse(md, {});
      const rows = tokens.filter((t) => t.type === 'tr_open').map((open) => {
        const start = tokens.indexOf(open);
        const end = tokens.findIndex((t, i) => i > start && t.type === 'tr_close');
        return tokens.slice(start, end).filter((t) => t.type === 'td_open' || t.type === 'th_open').length;
      });
      expect(rows.length).toBeGreaterThan(1);
      expect(new Set(rows)).toEqual(new Set([6]));
      // Every kind really was rendered, with its values shown (in code), not dropped.
      for (const rule of rules) {
        for (const messageId of Object.keys(rule.meta.messages)) {
          const valued = placeholders(rule.meta.messages[messageId]).some((k) => !rule.meta.wording?.includes(k));
          if (valued) expect(md, `${rule.meta.id}.${messageId}`).toContain(`${PR}${rule.meta.id}.${messageId}.`);
        }
      }
    }
  });

  it('writes the sticky-comment marker exactly once, as the first line, and balances <details>', () => {
    for (const maxLength of [50_000_000, undefined, 20_000, 4_000]) {
      const md = renderMarkdown(hostileResult(false), { explainDiscovery: true, maxLength });
      expect(md.split(MARKDOWN_MARKER)).toHaveLength(2);
      expect(md.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
      const html = parser.parse(md, {}).filter((t) => t.type === 'html_block').map((t) => t.content);
      expect(html.filter((c) => c.includes(MARKDOWN_MARKER))).toHaveLength(1);
      const opened = html.join('\n').match(/<details>/g)?.length ?? 0;
      const closed = html.join('\n').match(/<\/details>/g)?.length ?? 0;
      if (maxLength === 50_000_000) expect(opened).toBeGreaterThan(2);
      expect(closed).toBe(opened);
      expect(leaks(md)).toEqual([]);
    }
  });

  it('shows the PR values themselves, not a mangled copy (`@` and backticks stay as written in code)', () => {
    const md = renderMarkdown(hostileResult(false), { maxLength: 50_000_000 });
    const code = parser
      .parse(md, {})
      .flatMap((t) => [t, ...(t.children ?? [])])
      .filter((t) => t.type === 'code_inline')
      .map((t) => t.content);
    expect(code.some((c) => c.includes(`${PR}@org/security-team`))).toBe(true);
    expect(code.some((c) => c.includes(`${PR}\`${PR}\`\`${PR}\`\`\``))).toBe(true);
  });

  it('finds a leak when PR text is written outside code (the check can fail)', () => {
    expect(leaks(`${MARKDOWN_MARKER}\nTable ${PR}x dropped`)).toHaveLength(1);
    expect(leaks('- item\n  ```\n  a\n# PWN heading\n  ```')).not.toEqual([]);
    expect(leaks('see www.evil.com')).toEqual([{ type: 'link', content: 'http://www.evil.com' }]);
    expect(leaks('<details>\n<summary>PWN</summary>')).not.toEqual([]);
    expect(leaks('hi @octocat')).not.toEqual([]);
  });
});

// GitHub renders comments with cmark-gfm; where it is installed (CI installs it), the same comment goes through it too.
const cmarkGfm = spawnSync('cmark-gfm', ['--version']).status === 0;

describe.skipIf(!cmarkGfm)("GitHub's own parser (cmark-gfm) on the same hostile comment", () => {
  it('finds PR text only inside <code>, links only to rule docs, no image, one marker and balanced <details>', () => {
    for (const asList of [false, true]) {
      const md = renderMarkdown(hostileResult(asList), { explainDiscovery: true, maxLength: 50_000_000 });
      const args = ['--unsafe', ...['table', 'autolink', 'strikethrough', 'tagfilter'].flatMap((e) => ['-e', e])];
      const run = spawnSync('cmark-gfm', args, { input: md, encoding: 'utf8', maxBuffer: 1 << 30 });
      expect(run.status).toBe(0);
      const html = run.stdout;
      // cmark escapes `<` inside code, so a code element ends at the first `</code>`.
      expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).not.toContain(PR);
      const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
      expect(hrefs.length).toBeGreaterThan(0);
      expect(hrefs.filter((href) => !href.startsWith(DEFAULT_DOCS_URL))).toEqual([]);
      expect(html).not.toMatch(/<img/i);
      expect(html.split(MARKDOWN_MARKER)).toHaveLength(2);
      expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    }
  });
});

describe('the terminal summary of a hostile PR', () => {
  it('sends no control or escape sequence of the PR to the terminal, for every finding kind', () => {
    for (const color of [false, true]) {
      const text = renderText(hostileResult(false), { color, explainDiscovery: true });
      // The only ESC bytes left are Safari's own SGR colour codes.
      expect(text.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('\\x1b[2J');
    }
  });
});
