/**
 * The Probot entry (`probot run ./dist/index.js`, what `npm start` runs): its default export is the App, which
 * routes events in src/github/app.ts. The named exports are the library — the review pipeline and its parts, for
 * tools that embed Safari. The CLI lives in cli.ts.
 */
import { createSafariApp } from './github/app.js';

export default createSafariApp();

export { createSafariApp, settingsFromEnv, type AppSettings } from './github/app.js';
export { review, ConfigurationError, type ReviewOptions, type ReviewStep, type ExternalAcknowledgement } from './review.js';
export { openGitSource, GitSourceError } from './source/git.js';
export { ReplaySandbox, withSandbox } from './replay/sandbox.js';
export { renderMarkdown, MARKDOWN_MARKER, type MarkdownOptions } from './render/markdown.js';
export { DEFAULT_DOCS_URL, isHttpUrl, ruleDocUrl } from './docs-url.js';
export { renderJson } from './render/json.js';
export { renderText } from './render/text.js';
export { mapRepository, inventoryRepository, type RepositoryMap, type RepositoryInventory, type MapOptions } from './map/map.js';
export { renderMapMarkdown, renderMapText, renderMapJson } from './map/render-map.js';
export { tableDetails, describeTable, renderTableMarkdown, renderTableText, renderTableJson, type TableDetails } from './map/table-details.js';
export { renderErDiagram } from './render/mermaid.js';
export { rules } from './rules/registry.js';
export type { ReviewResult, DatabaseResult, Conclusion } from './result.js';
export type { Finding, Severity } from './findings.js';
export type { Tree, ReviewSource, FileChange } from './source/types.js';
export type { GivenAcknowledgement } from './rules/engine/acknowledgements.js';
export { isolationFromEnvironment, PROTECTION_TEXT, type IsolationMode, type Protection } from './sandbox/isolation.js';
export type { LaunchPlan } from './sandbox/launch.js';
