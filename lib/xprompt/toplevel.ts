/** Re-exports: `toplevel.ts` now lives in `template.ts` (one module fewer at start-up); kept for importers outside lib/xprompt. */
export { TOP_LEVEL_NAMES, renderTopLevelPrompt, renderTopLevelPromptAsync, renderRuntimeNames } from './template.js';
