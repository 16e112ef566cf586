/** `sase bead close`: close beads (reason, resolution; `--force` sweeps descendants, spec §B.8). */
import type { CommandModule } from '../command.js';
import { closeBeads, type CloseArgs } from '../../beads/mutations.js';
import { BEAD_RESOLUTIONS } from '../../beads/types.js';
import { defineWrite, enumOpt, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  ids: string[];
  close: CloseArgs;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'close', summary: 'Close beads (default resolution done)' },
  define: (cmd) => {
    cmd
      .argument('<ids...>', 'bead ids')
      .option('-r, --reason <text>', 'close reason')
      .option('--resolution <resolution>', `${BEAD_RESOLUTIONS.join(' | ')} (default done)`)
      .option('--force', 'also close active descendants (needs --reason and canceled|superseded)');
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => ({
    ...parseWrite(opts),
    ids: (args[0] as string[]).map(String),
    close: { reason: opts.reason as string | undefined, resolution: enumOpt('resolution', opts.resolution, BEAD_RESOLUTIONS), force: opts.force === true },
  }),
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'close', (m) => closeBeads(m, o.ids, o.close))),
  human: humanMutation('closed'),
};
