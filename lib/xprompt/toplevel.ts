/**
 * Jinja rendering of top-level prompts (spec/xprompts.md §4.4, last paragraph): after expansion, a launch prompt that
 * uses Jinja syntax outside fenced blocks and `%xprompts_enabled:false` regions is rendered with the globals and
 * SASE's runtime names. At plan time runtime names not known yet stay deferred (`{{ name }}`, and whole
 * `{% if %}`/`{% for %}` blocks that test them — lib/xprompt/blocks.ts); the runner renders them once known.
 * Errors: `Jinja2 template error in prompt: …` (XpromptError, an InvalidDataError).
 */
import { renderKeepingDeferredBlocks, renderKnownBlocks } from './blocks.js';
import { protectRegions, restoreRegions } from './segments.js';
import { deferredValue } from './deferred.js';
import {
  isJinjaTemplate, loadTemplateEngine, NeedsNunjucks, renderJinja, RUNTIME_VARIABLES, templateVariables,
} from './template.js';

/** Names a top-level prompt may read (spec §4.4 "Runtime names" plus the global `root`). */
export const TOP_LEVEL_NAMES: readonly string[] = ['root', 'cl_name', 'workspace_num', 'n', 'N', 'wait_chats', 'agents'];

const isTopLevelName = (name: string): boolean => TOP_LEVEL_NAMES.includes(name);

/**
 * Renders `prompt` when it uses Jinja syntax (else returns it unchanged, without loading the engine). Names in
 * `vars` are rendered; other {@link TOP_LEVEL_NAMES} (and SASE's other run-time names) stay deferred as `{{ name }}`, as
 * do names `opts.strict` rejects (the planner passes "not written by the user": `{{ step.field }}` left deferred by an
 * xprompt expansion for its workflow); any other name is undefined (StrictUndefined). A block that tests deferred
 * names only is kept as written for the runner.
 * @throws NeedsNunjucks when the template needs the engine and it is not loaded ({@link loadTemplateEngine} first)
 * @throws XpromptError `Jinja2 template error in prompt: 'nope' is undefined` (or the syntax error)
 */
export function renderTopLevelPrompt(
  prompt: string,
  vars: Record<string, unknown> = {},
  opts: { strict?: (name: string) => boolean } = {},
): string {
  if (!prompt.includes('{')) return prompt;
  const slots: string[] = [];
  const hidden = protectRegions(prompt, slots);
  if (!isJinjaTemplate(hidden)) return prompt;
  const scope: Record<string, unknown> = {};
  for (const name of templateVariables(hidden)) {
    if (Object.prototype.hasOwnProperty.call(vars, name)) scope[name] = vars[name];
    else if (isTopLevelName(name) || RUNTIME_VARIABLES.has(name) || opts.strict?.(name) === false) {
      scope[name] = deferredValue(name);
    }
  }
  // Jinja drops one trailing newline; keep the prompt's own ending.
  const nl = hidden.endsWith('\n') ? '\n' : '';
  return restoreRegions(renderKeepingDeferredBlocks(hidden, scope, { label: 'prompt' }), slots) + nl;
}

/** {@link renderTopLevelPrompt}, loading the template engine when needed. */
export async function renderTopLevelPromptAsync(
  prompt: string,
  vars: Record<string, unknown> = {},
  opts: { strict?: (name: string) => boolean } = {},
): Promise<string> {
  try {
    return renderTopLevelPrompt(prompt, vars, opts);
  } catch (e) {
    if (!(e instanceof NeedsNunjucks)) throw e;
    await loadTemplateEngine();
    return renderTopLevelPrompt(prompt, vars, opts);
  }
}

/**
 * Run-time step (spec §4.4 runtime names): renders each `{% if %}`/`{% for %}` block whose tags read only
 * {@link TOP_LEVEL_NAMES}, then each `{{ … }}` outside fenced blocks whose variables are all such names, with `vars`
 * (plan-time rendering already checked and rendered everything else; other Jinja left in the prompt came from
 * `%xprompts_enabled:false` regions or is a workflow's, and stays literal). Loads the engine only when needed.
 * @throws XpromptError `Jinja2 template error in prompt: …` when a runtime name is missing from `vars`
 */
export async function renderRuntimeNames(prompt: string, vars: Record<string, unknown>): Promise<string> {
  if (!prompt.includes('{{') && !prompt.includes('{%')) return prompt;
  const slots: string[] = [];
  const hidden = protectRegions(prompt, slots, { disabled: false });
  const runtime = (expr: string): boolean => {
    const names = templateVariables(expr);
    return names.size > 0 && [...names].every(isTopLevelName);
  };
  const render = (): string => {
    const blocks = renderKnownBlocks(hidden, vars, isTopLevelName, deferredValue);
    const out = blocks.text.replace(/\{\{[\s\S]*?\}\}/g, (expr) => (runtime(expr) ? renderJinja(expr, vars, { label: 'prompt' }) : expr));
    return blocks.restore(out);
  };
  let out: string;
  try {
    out = render();
  } catch (e) {
    if (!(e instanceof NeedsNunjucks)) throw e;
    await loadTemplateEngine();
    out = render();
  }
  return restoreRegions(out, slots);
}
