/** `sase question`: Questions from agents: ask, list, answer. Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase question',
  summary: 'Questions from agents: ask, list, answer',
  defaultCommand: 'list',
  commands: [
    { name: 'ask', summary: 'Ask a question (choices or free text); --wait for the answer', load: async () => (await import('./ask.js')).command },
    { name: 'list', summary: 'List open questions', load: async () => (await import('./list.js')).command },
    { name: 'answer', summary: 'Answer a question once', load: async () => (await import('./answer.js')).command },
  ],
};
