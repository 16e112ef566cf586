/** `sase bead note`: append a note (`[ts · actor] text`). */
import type { CommandModule } from '../command.js';
import { appendNote } from '../../beads/mutations.js';
import { defineWrite, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  text: string;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'note', summary: 'Append a note to a bead' },
  define: (cmd) => {
    cmd.argument('<id>', 'bead id').argument('<text...>', 'note text');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({ ...parseWrite(opts), id: String(args[0]), text: (args[1] as string[]).join(' ') }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'note', (m) => appendNote(m, o.id, o.text))),
  human: humanMutation('noted'),
};
