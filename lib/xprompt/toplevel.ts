/** Re-exports: `toplevel.ts` now lives in `template.ts` (one module fewer at start-up); kept for the lazy import in lib/agents/runner.ts; new code imports `template.ts`. */
export { TOP_LEVEL_NAMES, renderTopLevelPrompt, renderTopLevelPromptAsync, renderRuntimeNames } from './template.js';
