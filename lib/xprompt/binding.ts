/** Re-exports: `binding.ts` now lives in `inputs.ts` (one module fewer at start-up); kept for the lazy import in lib/orchestration/embedded.ts; new code imports `inputs.ts`. */
export { type BoundArgs, type BindOptions, type BindableDef, bindInputArgs } from './inputs.js';
