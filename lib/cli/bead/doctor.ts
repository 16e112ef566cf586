/** `sase bead doctor`: check a bead store; `--fix` repairs what is safely repairable. */
import type { CommandModule } from '../command.js';
import { doctorStore, type DoctorReport } from '../../beads/doctor.js';
import { defineWrite, legacyPlusOne, parseWrite, storeDir, type WriteOpts } from './common.js';

interface Opts extends WriteOpts {
  fix: boolean;
  legacyPlusOne: boolean;
}

export const command: CommandModule<Opts, DoctorReport> = {
  meta: {
    name: 'doctor',
    summary: 'Check manifest, stream lines, ids, dependencies and projection drift',
    description: 'Exit code 6 when an error remains. --fix completes an interrupted write, drops torn last lines,\nrewrites the manifest count, advances next_counter and regenerates issues.jsonl.',
  },
  define: (cmd) => {
    cmd.option('--fix', 'repair what is safely repairable').option('--legacy-plus-one', 'fold with the pre-2026-08-10 +1 rule');
    defineWrite(cmd);
  },
  parse: ({ opts }) => ({ ...parseWrite(opts), fix: opts.fix === true, legacyPlusOne: opts.legacyPlusOne === true }),
  run: async (ctx, o) =>
    doctorStore(storeDir(ctx, o), { fix: o.fix, wait: o.wait, timeoutMs: o.timeoutMs, legacyPlusOne: o.legacyPlusOne || legacyPlusOne(ctx) }),
  exitCode: (r) => (r.ok ? 0 : 6),
  human: (r, out) => {
    out.line(`${r.store}: ${r.kind} store, ${r.streams} streams, ${r.events} events, ${r.issues} beads`);
    for (const f of r.fixed) out.line(`  fixed ${f}`);
    for (const f of r.findings) {
      const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
      out.line(`  ${f.severity}: ${where}${f.message}${f.fixable ? ' (fixable with --fix)' : ''}`);
    }
    out.line(r.ok ? 'ok' : 'problems found');
  },
};
