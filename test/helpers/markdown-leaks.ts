// Where PR text would be live Markdown in a rendered comment. The comment is parsed as CommonMark (markdown-it with
// GFM tables, raw HTML and autolinks, as GitHub renders comments); PR text is recognised by a marker it carries.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { DEFAULT_DOCS_URL } from '../../src/docs-url.js';

/** Marks PR text in test data. Every piece of a hostile value carries it, so any piece that escapes code is caught. */
export const PR = 'PWN';

// Autolinks on (GitHub links `www.`, `http(s)://` and e-mail addresses in text; linkify also links bare domains).
export const parser = new MarkdownIt({ html: true, linkify: true });

/** HTML the renderer itself writes; anything else in an HTML token came from the PR. */
const OWN_HTML = /^(?:<!-- migration-safari -->|<\/?details>|<summary>.*<\/summary>)$/;

export interface Leak {
  type: string;
  content: string;
}

/** Every place PR text is live Markdown: text, HTML (outside <code>), link targets and images. */
export function leaks(markdown: string, docsUrl = DEFAULT_DOCS_URL): Leak[] {
  const found: Leak[] = [];
  const visit = (token: Token) => {
    switch (token.type) {
      case 'code_inline':
      case 'fence':
        return; // shown as written, nothing interpreted
      case 'code_block':
        // an indented block only appears when a line escaped its list item
        found.push({ type: token.type, content: token.content });
        return;
      case 'html_block':
      case 'html_inline':
        for (const line of token.content.split('\n').filter((l) => l.trim() !== '')) {
          if (!OWN_HTML.test(line.trim()) || line.replace(/<code>[^<]*<\/code>/g, '').includes(PR)) {
            found.push({ type: token.type, content: line });
          }
        }
        return;
      case 'image':
        found.push({ type: 'image', content: token.attrGet('src') ?? '' });
        return;
      case 'link_open': {
        const href = token.attrGet('href') ?? '';
        if (!href.startsWith(docsUrl)) found.push({ type: 'link', content: href });
        return;
      }
      default:
        if (token.content.includes(PR) && !token.children) found.push({ type: token.type, content: token.content });
        if (/@[A-Za-z0-9]/.test(token.type === 'text' ? token.content : '')) found.push({ type: 'mention', content: token.content });
        token.children?.forEach(visit);
    }
  };
  parser.parse(markdown, {}).forEach(visit);
  return found;
}
