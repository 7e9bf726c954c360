/**
 * A problem with the local repository or the refs the user named (missing directory, not a repository, unknown ref,
 * unrelated histories, a git command that failed). The message is one line meant for the user; the CLI maps this
 * error to exit code 2.
 */
export class GitSourceError extends Error {
  override readonly name = 'GitSourceError';
}
