/** `sase project activate|deactivate NAME`: change a project's lifecycle state. */
import type { CommandModule } from '../command.js';
import { setProjectState, type ProjectSpec, type ProjectState } from '../../projects/spec.js';

/** Builds the command module that sets `state`. */
export function stateCommand(name: string, state: ProjectState, summary: string): CommandModule<{ name: string }, { project: ProjectSpec }> {
  return {
    meta: { name, summary },
    define: (cmd) => {
      cmd.argument('<name>', 'project name');
    },
    parse: (raw) => ({ name: String(raw.args[0]) }),
    run: async (ctx, o) => ({ project: await setProjectState(ctx.env, o.name, state, ctx.now()) }),
    human: (r, out) => out.line(`${r.project.name} is now ${r.project.state}`),
  };
}
