import { describe, expect, it } from 'vitest';
import { codeSpan, escapeHtml, escapeMessage, escapeText, fencedBlock } from '../../src/render/markdown-escape.js';
import { replaceControlChars } from '../../src/render/control-chars.js';

describe('Markdown escaping', () => {
  it('makes code spans that hold backticks, leading backticks and table pipes', () => {
    expect(codeSpan('users')).toBe('`users`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x``')).toBe('``` `x`` ```');
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(codeSpan('a\nb')).toBe('`a b`');
    expect(codeSpan('')).toBe('(empty)');
  });

  it('escapes plain text: HTML, Markdown punctuation, mentions, line breaks', () => {
    expect(escapeText('<b>hi</b> & [x](y) *z* @org/team\nnext')).toBe(
      '&lt;b&gt;hi&lt;/b&gt; &amp; \\[x\\](y) \\*z\\* @&#8203;org/team next',
    );
    expect(escapeHtml('<i>"q"</i> @me')).toBe('&lt;i&gt;&quot;q&quot;&lt;/i&gt; @&#8203;me');
  });

  it('turns paired backticks of a message into <code> and keeps an unpaired one literal', () => {
    expect(escapeMessage('table `a_b` is <big>')).toBe('table <code>a\\_b</code> is &lt;big&gt;');
    expect(escapeMessage('odd ` tick `code` end')).toBe('odd <code> tick </code>code\\` end');
    expect(escapeMessage('`<img src=x>`')).toBe('<code>&lt;img src=x&gt;</code>');
  });

  it('fences blocks longer than any backtick run inside', () => {
    expect(fencedBlock(['a', '```', 'b'], '  ')).toBe('  ````\n  a\n  ```\n  b\n  ````');
    expect(fencedBlock(['plain'])).toBe('```\nplain\n```');
  });

  it('shows control and bidi characters instead of emitting them', () => {
    expect(replaceControlChars('a\u001b[31mb\u0000c\u202ed\te\nf')).toBe('a\\x1b[31mb\\x00c\\u{202e}d\te\nf');
  });
});
