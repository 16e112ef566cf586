/**
 * The one start routine of the sase CLI binaries, shared by the ES-module entries (`bin/<name>.ts`) and the
 * bundle (`dist/bundle/cli.cjs`, built from this module by ./bundle.ts and started by ./loader.cts).
 *
 * Everything past the binary's name is imported lazily, so each binary loads only what its command needs: `sase
 * run` gets its runner (lib/agents/standby.ts) before the CLI loads, the rest goes straight to lib/cli/main.ts.
 */

/** Names of the CLI binaries this routine starts (`sase` and the per-noun `sase-<noun>` programs). */
export const CLI_BINS = [
  'sase', 'sase-run', 'sase-agent', 'sase-bead', 'sase-doctor', 'sase-plan', 'sase-project', 'sase-question', 'sase-sdd',
  'sase-var', 'sase-workspace', 'sase-xprompt',
] as const;

/**
 * Runs the CLI binary `bin` (one of {@link CLI_BINS}) on `process.argv`, setting `process.exitCode`.
 * `sase run …` / `sase-run …` first claim a spare or standby runner (docs/adr/0004-start-up-time.md).
 * @throws Error for a name that is not a CLI binary (a build mistake, not user input)
 */
export async function start(bin: string): Promise<void> {
  if (bin === 'sase') {
    if (process.argv[2] === 'run') await (await import('../agents/standby.js')).startEarlyStandby(process.argv.slice(3), process.env);
    return (await import('../cli/main.js')).main();
  }
  if (!bin.startsWith('sase-') || !(CLI_BINS as readonly string[]).includes(bin)) throw new Error(`not a sase CLI binary: ${bin}`);
  if (bin === 'sase-run') await (await import('../agents/standby.js')).startEarlyStandby(process.argv.slice(2), process.env);
  return (await import('../cli/main.js')).mainNoun(bin.slice('sase-'.length));
}
