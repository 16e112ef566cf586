/** Re-exports of `args.ts`, merged into `lexer.ts` (one module less to load at start-up); kept for importers outside lib/xprompt. */
export { type RefArgs, findClosingParen, stripQuotes, processTextBlock, parseArgs, parseColonArg } from './lexer.js';
