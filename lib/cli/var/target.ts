/** Shared by `sase var` subcommands: which run's variables (`--agent NAME|ID`, else `$SASE_ARTIFACTS_DIR`). */
import type { Ctx } from '../context.js';
import { UsageError } from '../../errors/index.js';

/**
 * The record directory addressed by `--agent` or, inside an agent run, `$SASE_ARTIFACTS_DIR`.
 * @throws UsageError when neither is given; NotFoundError for an unknown agent
 */
export async function targetRecordDir(ctx: Ctx, agent: string | undefined): Promise<string> {
  if (agent) {
    const { findAgentDir } = await import('../../agents/records.js');
    return findAgentDir(ctx.env, agent);
  }
  const dir = ctx.env.SASE_ARTIFACTS_DIR;
  if (!dir) throw new UsageError('not inside an agent run', { hint: 'pass --agent NAME, or run this from an agent (SASE_ARTIFACTS_DIR is set there)' });
  return dir;
}
