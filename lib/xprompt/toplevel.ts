/**
 * Jinja rendering of top-level prompts (spec/xprompts.md §4.4, last paragraph): after expansion, a launch prompt that
 * uses Jinja syntax outside fenced blocks and `%xprompts_enabled:false` regions is rendered with the globals and
 * SASE's runtime names. At plan time runtime names not known yet stay deferred (`{{ name }}`); the runner renders
 * them once known. Errors: `Jinja2 template error in prompt: …` (XpromptError, an InvalidDataError).
 */
import { protectRegions, restoreRegions } from './protect.js';
import { deferredValue, isJinjaTemplate, RUNTIME_VARIABLES, loadTemplateEngine, NeedsNunjucks, renderJinja, templateVariables } from './template.js';

/** Names a top-level prompt may read (spec §4.4 "Runtime names" plus the global `root`). */
export const TOP_LEVEL_NAMES: readonly string[] = ['root', 'cl_name', 'workspace_num', 'n', 'N', 'wait_chats', 'agents'];

/**
 * Renders `prompt` when it uses Jinja syntax (else returns it unchanged, without loading the engine). Names in
 * `vars` are rendered; other {@link TOP_LEVEL_NAMES} (and SASE's other run-time names) stay deferred as `{{ name }}`, as
 * do names `opts.strict` rejects (the planner passes "not written by the user": `{{ step.field }}` left deferred by an
 * xprompt expansion for its workflow); any other name is undefined (StrictUndefined).
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
    else if (TOP_LEVEL_NAMES.includes(name) || RUNTIME_VARIABLES.has(name) || opts.strict?.(name) === false) {
      scope[name] = deferredValue(name);
    }
  }
  // Jinja drops one trailing newline; keep the prompt's own ending.
  const nl = hidden.endsWith('\n') ? '\n' : '';
  return restoreRegions(renderJinja(hidden, scope, { label: 'prompt' }), slots) + nl;
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
 * Run-time step (spec §4.4 runtime names): renders each `{{ … }}` outside fenced blocks whose variables are all
 * {@link TOP_LEVEL_NAMES} with `vars` (plan-time rendering already checked and rendered everything else; other Jinja
 * left in the prompt came from `%xprompts_enabled:false` regions and stays literal). Loads the engine only when needed.
 * @throws XpromptError `Jinja2 template error in prompt: …` when a runtime name is missing from `vars`
 */
export async function renderRuntimeNames(prompt: string, vars: Record<string, unknown>): Promise<string> {
  if (!prompt.includes('{{')) return prompt;
  const slots: string[] = [];
  const hidden = protectRegions(prompt, slots, { disabled: false });
  const runtime = (expr: string): boolean => {
    const names = templateVariables(expr);
    return names.size > 0 && [...names].every((n) => TOP_LEVEL_NAMES.includes(n));
  };
  const render = (): string =>
    hidden.replace(/\{\{[\s\S]*?\}\}/g, (expr) => (runtime(expr) ? renderJinja(expr, vars, { label: 'prompt' }) : expr));
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
