/** Re-exports of `toplevel.ts`, merged into `template.ts` (one module less to load at start-up); kept for importers outside lib/xprompt. */
export { TOP_LEVEL_NAMES, renderTopLevelPrompt, renderTopLevelPromptAsync, renderRuntimeNames } from './template.js';
