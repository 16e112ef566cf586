/** Re-exports: `args.ts` now lives in `lexer.ts` (one module fewer at start-up); kept for importers outside lib/xprompt. */
export { type RefArgs, findClosingParen, stripQuotes, processTextBlock, parseArgs, parseColonArg } from './lexer.js';
