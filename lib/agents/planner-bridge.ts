/** Access to the launch planner (`planLaunches` in lib/xprompt/planner.ts), loaded lazily. */
import { ExternalToolError } from '../errors/index.js';
import type { PlanLaunches } from '../xprompt/launch-types.js';

/** Loads `planLaunches`. @throws ExternalToolError when the planner is not part of this build */
export async function loadPlanner(): Promise<PlanLaunches> {
  const spec = '../xprompt/planner.js';
  let mod: { planLaunches?: PlanLaunches };
  try {
    mod = (await import(spec)) as { planLaunches?: PlanLaunches };
  } catch (e) {
    throw new ExternalToolError(`the launch planner is not available in this build: ${(e as Error).message}`);
  }
  if (!mod.planLaunches) throw new ExternalToolError('the launch planner does not export planLaunches');
  return mod.planLaunches;
}
