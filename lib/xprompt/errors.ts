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
