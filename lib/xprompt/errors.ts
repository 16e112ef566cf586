/**
 * The error the XPrompt language core throws for bad prompts, references, directives and templates.
 * It is an {@link InvalidDataError} (exit 6, code `INVALID`) so the CLI renders it like any bad-input error,
 * with `location` (xprompt file and line) when the fault sits in a definition file.
 */
import { InvalidDataError, type SaseErrorOptions } from '../errors/index.js';

/** A prompt/reference/directive/template error (SASE's `XPromptError` / `DirectiveError`). */
export class XpromptError extends InvalidDataError {
  constructor(message: string, opts?: SaseErrorOptions) {
    super(message, opts);
  }
}

/** Largest prompt text the expander will build (characters): a guard against runaway expansion (sase's, not SASE's). */
export const MAX_PROMPT_CHARS = 1_000_000;

/** The error for a prompt that grew past {@link MAX_PROMPT_CHARS}. */
export function promptTooLarge(size: number): XpromptError {
  return new XpromptError(`Expanded prompt is too large (${size} characters; limit ${MAX_PROMPT_CHARS})`, {
    hint: 'Check for shorthand or xprompts that nest or repeat without bound.',
  });
}
