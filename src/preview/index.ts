/** The offline pull-request preview (`launchpad diff --base/--head`) as a library. This file only re-exports. */
export type * from './types.js';
export { runPreview } from './preview.js';
export type { PreviewOptions } from './preview.js';
export { parseRevisionSpec } from './revision-spec.js';
export type { RevisionRange, RevisionSpec } from './revision-spec.js';
export { outcomeOf, hasChanges } from './describe.js';
export type { PreviewOutcome } from './describe.js';
export { formatText } from './format-text.js';
export { DEFAULT_MAX_MARKDOWN_CHARS, MARKDOWN_MARKER, formatMarkdown } from './format-markdown.js';
export type { MarkdownOptions } from './format-markdown.js';
export { JSON_SCHEMA, formatJson } from './format-json.js';
export { redactSecretPair } from './redact.js';
export { compareCluster, compareResources } from './compare.js';
