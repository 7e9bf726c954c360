/** The line prefix the schema sandbox child answers with (shared by the parent and the child). */
export const RESULT_MARKER = '\u0000safari-schema-result\u0000';
