/** Re-exports: `binding.ts` now lives in `inputs.ts` (one module fewer at start-up); kept for importers outside lib/xprompt. */
export { type BoundArgs, type BindOptions, type BindableDef, bindInputArgs } from './inputs.js';
