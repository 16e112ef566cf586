/** Shared rendering for `sase plan` subcommands. */
import type { HumanOut } from '../output.js';
import type { AnswerResult } from '../../plans/respond.js';
import type { ActResult } from '../../plans/actions.js';

/** An answer plus what sase did about it (lib/plans/actions.ts). */
export type ActedAnswer = AnswerResult & { actions?: ActResult | null };

/** Prints the outcome of an approve/reject. */
export function printAnswer(r: ActedAnswer, out: HumanOut): void {
  out.line(`${r.status} ${r.id} (${r.kind}) → ${r.agent_status}`);
  if (r.archived_plan) out.line(`  archived ${r.archived_plan}`);
  if (r.archived_prompt) out.line(`  prompt   ${r.archived_prompt}`);
  if (r.home_copy) out.line(`  copy     ${r.home_copy}`);
  out.line(`  next: ${r.next.action}`);
  const a = r.actions;
  if (!a) return;
  if (a.run_status) out.line(`  run status: ${a.run_status}`);
  for (const l of a.launched) out.line(`  launched ${l.name} (${l.status})`);
  const bw = a.bead_work as { epic?: string; runs?: Array<{ agent: string; action: string }> } | null;
  if (bw?.epic) out.line(`  bead work: epic ${bw.epic}, ${bw.runs?.filter((x) => x.action === 'launched').length ?? 0} run(s) launched`);
  if (a.error) out.warn(`  follow-up failed: ${a.error}${a.resume_command ? ` (resume: ${a.resume_command})` : ''}`);
}

/** Parses a `--timeout` value in seconds into ms (undefined when absent). */
export function timeoutMs(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return NaN;
  return Math.round(n * 1000);
}
