/** `sase xprompt`: List, explain, expand, graph and validate XPrompts. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase xprompt',
  summary: 'List, explain, expand, graph and validate XPrompts',
  commands: [
    { name: 'list', summary: 'List visible xprompts and workflows (name, kind, source, inputs)', load: async () => (await import('./list.js')).command },
    { name: 'explain', summary: 'Show which definition a reference resolves to; dry-run a workflow', load: async () => (await import('./explain.js')).command },
    { name: 'graph', summary: 'Render a workflow as text or a Mermaid graph', load: async () => (await import('./graph.js')).command },
    { name: 'validate', summary: 'Validate xprompt and workflow files (file:line:col diagnostics)', load: async () => (await import('./validate.js')).command },
    { name: 'expand', summary: 'Expand a prompt and show the planned launches (no agent is started)', load: async () => (await import('./expand.js')).command },
  ],
};
