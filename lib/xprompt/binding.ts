/** Re-exports of `binding.ts`, merged into `inputs.ts` (one module less to load at start-up); kept for importers outside lib/xprompt. */
export { type BoundArgs, type BindOptions, type BindableDef, bindInputArgs } from './inputs.js';
