/** `sase sdd repair-links [-w]`: write inferable missing/stale links (dry run without -w). */
import type { CommandModule } from '../command.js';
import { repairLinks, type RepairResult } from '../../sdd/repair.js';
import { defineRoot, sddRoot } from './common.js';

export const command: CommandModule<{ root: string; write: boolean }, RepairResult> = {
  meta: { name: 'repair-links', summary: 'Repair inferable prompt/plan links (dry run unless -w)' },
  define: (cmd) => {
    defineRoot(cmd);
    cmd.option('-w, --write', 'write the fixes (default: only show them)');
  },
  parse: (raw, ctx) => ({ root: sddRoot(ctx, raw.opts.root), write: raw.opts.write === true }),
  run: (_ctx, o) => repairLinks(o.root, { write: o.write }),
  human: (r, out) => {
    if (r.repairs.length === 0) out.line('nothing to repair');
    for (const x of r.repairs) out.line(`${r.write ? 'fixed' : 'would fix'} ${x.file}: ${x.field}: ${x.old ?? '(none)'} → ${x.value}  (${x.reason})`);
    if (!r.write && r.repairs.length > 0) out.line('dry run: re-run with -w to write');
  },
};
