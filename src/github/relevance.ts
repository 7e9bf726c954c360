/**
 * Could a changed path matter to a migration review? Used to answer "No migration changes" without replaying
 * anything. Generous on purpose: code files may be Drizzle schemas, JSON may be a journal or a wrangler config; the
 * review itself decides the rest (see isReviewRelevant in pr-review.ts).
 */
const RELATED = /\.(sql|toml|jsonc?|ya?ml|[cm]?[jt]s)$/i;

export const isMigrationRelated = (path: string): boolean => RELATED.test(path);
