/**
 * The library entry point: the review pipeline and its parts, for tools that embed Safari (the GitHub App will be
 * one of them). The CLI lives in cli.ts.
 */
export { review, ConfigurationError, type ReviewOptions, type ReviewStep } from './review.js';
export { openGitSource, GitSourceError } from './source/git.js';
export { ReplaySandbox, withSandbox } from './replay/sandbox.js';
export { renderMarkdown, MARKDOWN_MARKER, type MarkdownOptions } from './render/markdown.js';
export { DEFAULT_DOCS_URL, isHttpUrl, ruleDocUrl } from './docs-url.js';
export { renderJson } from './render/json.js';
export { renderText } from './render/text.js';
export { mapRepository, inventoryRepository, type RepositoryMap, type RepositoryInventory, type MapOptions } from './map/map.js';
export { renderMapMarkdown, renderMapText, renderMapJson } from './map/render-map.js';
export { tableDetails, describeTable, renderTableMarkdown, renderTableText, renderTableJson, type TableDetails } from './map/table-details.js';
export { rules } from './rules/registry.js';
export type { ReviewResult, DatabaseResult, Conclusion } from './result.js';
export type { Finding, Severity } from './findings.js';
export type { Tree, ReviewSource, FileChange } from './source/types.js';
export type { GivenAcknowledgement } from './rules/engine/acknowledgements.js';
export { isolationFromEnvironment, PROTECTION_TEXT, type IsolationMode, type Protection } from './sandbox/isolation.js';
export type { LaunchPlan } from './sandbox/launch.js';
