/** `/safari` commands: a PR comment whose first line starts with `/safari`. Parsing only; app.ts acts on them. */

export type Command =
  | { name: 'help' }
  | { name: 'rerun' }
  | { name: 'map' }
  | { name: 'table'; table: string }
  | { name: 'explain'; rule: string }
  | { name: 'ack'; rule: string; file?: string; reason: string }
  | { name: 'unknown'; text: string };

export const HELP = `**Migration Safari commands** (comment on the pull request):

| command | what it does |
| --- | --- |
| \`/safari help\` | this list |
| \`/safari rerun\` | review the pull request again now |
| \`/safari map\` | every database of the PR's head, the folders that feed it and its tables |
| \`/safari table <name>\` | which database holds a table, and what the map knows of it |
| \`/safari explain <rule-id>\` | the rule's documentation |
| \`/safari ack <rule-id> [file] <reason>\` | acknowledge that rule's findings on this PR (write access needed); a later push that changes the file lapses it |`;

/** undefined when the comment is not a command at all. */
export function parseCommand(body: string): Command | undefined {
  const first = body.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].trim();
  const m = /^\/safari(?:\s+(.*))?$/i.exec(first);
  if (!m) return undefined;
  const words = (m[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const [name = 'help', ...args] = words;
  switch (name.toLowerCase()) {
    case 'help':
      return { name: 'help' };
    case 'rerun':
      return { name: 'rerun' };
    case 'map':
      return { name: 'map' };
    case 'table':
      return args[0] ? { name: 'table', table: args[0] } : { name: 'unknown', text: first };
    case 'explain':
      return args[0] ? { name: 'explain', rule: args[0].toLowerCase() } : { name: 'unknown', text: first };
    case 'ack': {
      const [rule, ...rest] = args;
      if (!rule) return { name: 'unknown', text: first };
      // A second word with a `/` or a dot-extension is the file; the rest is the reason.
      const file = rest[0] && /[/.]/.test(rest[0]) && !/\s/.test(rest[0]) ? rest[0] : undefined;
      const reason = (file ? rest.slice(1) : rest).join(' ').trim();
      if (!reason) return { name: 'unknown', text: first };
      return { name: 'ack', rule: rule.toLowerCase(), ...(file ? { file } : {}), reason: reason.slice(0, 500) };
    }
    default:
      return { name: 'unknown', text: first };
  }
}
