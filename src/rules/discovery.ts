/**
 * Tells the user what discovery guessed, could not read, or found unattributed, and when the PR's config or merge
 * could not be taken at face value. Never fails a PR: these are notices about the review itself.
 */
import type { Report } from '../findings.js';
import { notReviewedFolders } from '../discover/not-reviewed.js';
import type { Rule, RuleInput, RuleMeta } from './types.js';

export const CONFIG_FILES = ['.github/safari.yml', '.github/safari.yaml'];

export const meta: RuleMeta = {
  id: 'discovery',
  identity: { 'guessed-folder': ['data.folder'], 'unattributed-folder': ['data.folder'], 'missing-folder': ['database', 'data.folder'], 'not-replayed': ['database'], '*': ['file'] },
  defaultSeverity: 'notice',
  description: 'Notices about how Safari found databases and migration folders, and what it could not review.',
  messages: {
    'guessed-folder':
      '`{folder}` is the implicit default `migrations_dir` of several bindings in {config} ({bindings}); Safari attributed it to {database}.',
    'unattributed-folder': '`{folder}` holds .sql files that no wrangler, drizzle or safari.yml config names; it is not replayed.',
    'missing-folder': '`{folder}` (configured for {database}) does not exist at this revision.',
    'not-replayed': '{database} is not replayed: {reason}.',
    'not-reviewed': '{count} migration {fileWord} in this PR {verb} not reviewed: `{folder}` is not replayed ({reason}).',
    'config-unreadable': '{file} could not be read: {message}',
    'ambiguous-out':
      '`out` "{out}" in {file} could mean `{first}` ({firstWhere}) or `{chosen}` ({chosenWhere}): drizzle-kit resolves it against the folder it runs in. Only `{chosen}` exists, so Safari reviewed it.',
    'merge-conflict': '`{file}` conflicts with the base branch; the review uses the PR\'s version of it.',
    'config-changed':
      'This PR changes {file}; the review uses the base branch\'s configuration, so a PR cannot change its own review. The new configuration applies after merge.',
  },
  fix: {
    'guessed-folder': 'Set `migrations_dir` on the binding that owns the folder, or list the folders under `databases` in .github/safari.yml.',
    'unattributed-folder': 'If the folder holds migrations, name it in `databases.<name>.migrations` in .github/safari.yml; add it to `ignore` to hide this notice.',
    'missing-folder': 'Fix the path in the config, or create the folder.',
    'not-reviewed': 'Add this line to .github/safari.yml on the base branch: `{configLine}`',
    'config-unreadable': 'Fix the syntax error at the given line.',
    'ambiguous-out': 'Run drizzle-kit from one folder (a package.json script, or the config\'s folder), or name the folder in `databases.<name>.migrations` in .github/safari.yml.',
    'merge-conflict': 'Rebase the PR on the base branch and resolve the conflict.',
  },
  // "file"/"files" and "was"/"were": Safari's words, plain text in the comment.
  wording: ['fileWord', 'verb'],
};

/**
 * A notice is news for this PR only when the PR touched what it is about (the config file, or a file in the folder);
 * otherwise it has been true on main all along and goes under "already on main".
 */
function touchedBy(input: RuleInput, file: string | undefined, folder: string | undefined): boolean {
  if (file && input.touched.has(file)) return true;
  if (folder) return input.changes.some((c) => c.path.startsWith(`${folder}/`) || c.oldPath?.startsWith(`${folder}/`));
  return false;
}

export function check(input: RuleInput): Report[] {
  const reports: Report[] = input.discovery.notices.map((n) => ({
    messageId: n.messageId,
    data: n.data,
    file: n.file,
    line: n.line,
    database: n.database,
    preexisting: !touchedBy(input, n.file, typeof n.data.folder === 'string' ? n.data.folder : undefined),
  }));
  for (const folder of input.discovery.unattributed) {
    if (!reports.some((r) => r.messageId === 'unattributed-folder' && r.data?.folder === folder)) {
      reports.push({ messageId: 'unattributed-folder', data: { folder }, file: folder, preexisting: !touchedBy(input, undefined, folder) });
    }
  }
  for (const nr of notReviewedFolders(input.changes, input.discovery, input.config.ignore)) {
    const count = nr.files.length;
    reports.push({
      messageId: 'not-reviewed',
      data: { count, fileWord: count === 1 ? 'file' : 'files', verb: count === 1 ? 'was' : 'were', folder: nr.folder, reason: nr.reason, configLine: nr.configLine },
      file: nr.files[0],
      ...(nr.database !== undefined ? { database: nr.database } : {}),
      details: nr.files,
    });
  }
  for (const file of input.conflicts) reports.push({ messageId: 'merge-conflict', data: { file }, file });
  for (const change of input.changes) {
    if (CONFIG_FILES.includes(change.path)) reports.push({ messageId: 'config-changed', data: { file: change.path }, file: change.path });
  }
  return reports;
}

export default { meta, check } satisfies Rule;
