import { describe, expect, it } from 'vitest';
import { codeHtml, codeSpan, escapeHtml, escapeText, fencedBlock } from '../../src/render/markdown-escape.js';
import { replaceControlChars } from '../../src/render/control-chars.js';

describe('Markdown escaping', () => {
  it('makes code spans that hold backticks, leading backticks and table pipes', () => {
    expect(codeSpan('users')).toBe('`users`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x``')).toBe('``` `x`` ```');
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(codeSpan('a\nb')).toBe('`a b`');
    expect(codeSpan('')).toBe('(empty)');
    expect(codeSpan(' a ')).toBe('`  a  `'); // CommonMark strips one space from each end
    expect(codeSpan('   ')).toBe('`   `');
  });

  it('leaves @ alone inside code (GitHub never links a mention there)', () => {
    expect(codeSpan('@org/team')).toBe('`@org/team`');
    expect(codeHtml('@org/<b>')).toBe('<code>@org/&lt;b&gt;</code>');
  });

  it('never lets code spell an HTML comment opener, so the sticky-comment marker appears once', () => {
    expect(codeSpan('<!-- migration-safari -->')).toBe('`<!-\u200b- migration-safari -->`');
    expect(fencedBlock(['x <!-- migration-safari -->'])).not.toContain('<!--');
    expect(codeHtml('<!--')).not.toContain('<!--');
  });

  it('escapes plain text: HTML, Markdown punctuation, mentions, line breaks', () => {
    expect(escapeText('<b>hi</b> & [x](y) *z* @org/team\nnext')).toBe(
      '&lt;b&gt;hi&lt;/b&gt; &amp; \\[x\\](y) \\*z\\* @&#8203;org/team next',
    );
    expect(escapeHtml('<i>"q"</i> @me')).toBe('&lt;i&gt;&quot;q&quot;&lt;/i&gt; @&#8203;me');
  });

  it('breaks the autolinks GitHub makes in plain text', () => {
    expect(escapeText('see https://evil.example and www.evil.example or HTTP://x, a@b.example')).toBe(
      'see https&#8203;://evil.example and www&#8203;.evil.example or HTTP&#8203;://x, a@&#8203;b.example',
    );
  });

  it('fences blocks longer than any backtick run inside', () => {
    expect(fencedBlock(['a', '```', 'b'], '  ')).toBe('  ````\n  a\n  ```\n  b\n  ````');
    expect(fencedBlock(['plain'])).toBe('```\nplain\n```');
  });

  it('indents every physical line: \\n, \\r\\n, \\r, U+2028 and U+2029 inside a line start new ones', () => {
    expect(fencedBlock(['a\n# b\r\nc\rd\u2028e\u2029f', 'g'], '  ')).toBe('  ```\n  a\n  # b\n  c\n  d\n  e\n  f\n  g\n  ```');
  });

  it('shows control and bidi characters instead of emitting them', () => {
    expect(replaceControlChars('a\u001b[31mb\u0000c\u202ed\te\nf')).toBe('a\\x1b[31mb\\x00c\\u{202e}d\te\nf');
  });
});
