/** Shared rendering for `sase plan` subcommands. */
import type { HumanOut } from '../output.js';
import type { AnswerResult } from '../../plans/respond.js';

/** Prints the outcome of an approve/reject. */
export function printAnswer(r: AnswerResult, out: HumanOut): void {
  out.line(`${r.status} ${r.id} (${r.kind}) → ${r.agent_status}`);
  if (r.archived_plan) out.line(`  archived ${r.archived_plan}`);
  if (r.archived_prompt) out.line(`  prompt   ${r.archived_prompt}`);
  if (r.home_copy) out.line(`  copy     ${r.home_copy}`);
  out.line(`  next: ${r.next.action}`);
}

/** Parses a `--timeout` value in seconds into ms (undefined when absent). */
export function timeoutMs(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) return NaN;
  return Math.round(n * 1000);
}
