/** `sase bead update`: change fields or the status of a bead (status rules of spec §B.8). */
import type { CommandModule } from '../command.js';
import { UsageError } from '../../errors/index.js';
import { updateBead, type UpdateArgs } from '../../beads/mutations.js';
import { BEAD_RESOLUTIONS, BEAD_SIZES, BEAD_STATUSES, BEAD_TIERS } from '../../beads/types.js';
import { defineWrite, enumOpt, humanMutation, mutationResult, parseWrite, runMutation, type MutationResult, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  id: string;
  fields: UpdateArgs;
}

export const command: CommandModule<Opts, MutationResult> = {
  meta: { name: 'update', summary: 'Update fields or the status of a bead' },
  define: (cmd) => {
    cmd
      .argument('<id>', 'bead id (or shorthand)')
      .option('--title <text>', 'new title')
      .option('-d, --description <text>', 'new description')
      .option('--design <path>', 'new design path')
      .option('-m, --model <model>', 'new model')
      .option('-s, --size <size>', `new size: ${BEAD_SIZES.join(' | ')}`)
      .option('--status <status>', 'open | ready | in_progress | closed')
      .option('--assignee <name>', 'new assignee ("" clears)')
      .option('--notes <text>', 'replace the notes wholesale (prefer `sase bead note`)')
      .option('--tier <tier>', 'plan tier: epic | plan')
      .option('--resolution <resolution>', `resolution: ${BEAD_RESOLUTIONS.join(' | ')}`);
    defineWrite(cmd);
  },
  parse: ({ args, opts }) => {
    const fields: UpdateArgs = {
      title: opts.title as string | undefined,
      description: opts.description as string | undefined,
      design: opts.design as string | undefined,
      model: opts.model as string | undefined,
      size: enumOpt('size', opts.size, BEAD_SIZES),
      status: enumOpt('status', opts.status, BEAD_STATUSES),
      assignee: opts.assignee as string | undefined,
      notes: opts.notes as string | undefined,
      tier: enumOpt('tier', opts.tier, BEAD_TIERS),
      resolution: enumOpt('resolution', opts.resolution, BEAD_RESOLUTIONS),
    };
    if (Object.values(fields).every((v) => v === undefined)) throw new UsageError('nothing to update', { hint: "run 'sase bead update --help'" });
    return { ...parseWrite(opts), id: String(args[0]), fields };
  },
  run: async (ctx, o) => mutationResult(await runMutation(ctx, o, 'update', (m) => updateBead(m, o.id, o.fields))),
  human: humanMutation('updated'),
};
