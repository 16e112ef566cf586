/** `sase bead work <epic-plan-file|bead-id>`: turn an approved epic into phase beads and runs, or run one task (spec §A.6, §B.9). */
import type { CommandModule } from '../command.js';
import type { BeadWorkResult } from '../../beadwork/work.js';
import { defineStore, parseStore, type StoreOpts } from './common.js';

interface Opts extends StoreOpts {
  target: string;
  workspace?: string;
  dryRun: boolean;
}

export const command: CommandModule<Opts, BeadWorkResult> = {
  meta: {
    name: 'work',
    summary: 'Start or resume work on an epic (plan file or bead id) or one task',
    description: [
      'Epic: validates the plan strictly, creates the epic and phase beads (once; bead_id is written back into the plan),',
      'then launches one run per open phase in dependency (Kahn wave) order, named by the phase bead id and waiting on',
      'its blockers, and a land run (<epic>.land) waiting on all phases. Phase size routes the model',
      '(sase.yml bead_work.size_models.<size>). Running it again resumes: live runs are kept, failed ones relaunched.',
      'Task: sets it in_progress and launches one run named by the task id.',
    ].join('\n'),
  },
  define: (cmd) => {
    cmd
      .argument('<target>', 'epic plan file, or a bead id (epic, phase or task)')
      .option('-w, --workspace <ref>', 'workspace reference for phase runs (default: #git:<origin> for a local bare origin, else #cd:<repo>)')
      .option('-n, --dry-run', 'show what would launch; write nothing')
      .option('-y, --yes-to-all', 'do not ask (sase never asks; accepted for SASE compatibility)');
    defineStore(cmd);
  },
  parse: ({ args, opts }) => ({
    ...parseStore(opts),
    target: String(args[0]),
    workspace: typeof opts.workspace === 'string' ? opts.workspace : undefined,
    dryRun: opts.dryRun === true,
  }),
  run: async (ctx, o) => {
    const { beadWork } = await import('../../beadwork/work.js');
    return beadWork(o.target, { env: ctx.env, cwd: ctx.cwd, now: () => ctx.now(), store: o.store, workspace: o.workspace, dryRun: o.dryRun });
  },
  human: (r, out) => {
    if (r.epic) out.line(`${r.created ? 'created' : 'resumed'} epic ${r.epic}${r.plan_file ? ` (${r.plan_file})` : ''}`);
    for (const w of r.warnings) out.warn(`warning: ${w.code}: ${w.message}`);
    if (r.schedule) r.schedule.waves.forEach((wave, i) => out.line(`wave ${i + 1}: ${wave.join(', ')}`));
    if (r.schedule?.delegated.length) out.line(`delegated (skipped): ${r.schedule.delegated.join(', ')}`);
    out.table(r.runs.map((x) => [x.agent, x.action, x.status, x.waits.length ? `waits ${x.waits.join(',')}` : '', x.model ?? '']));
  },
};
