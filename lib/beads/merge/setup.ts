/**
 * Per-clone git setup for bead stores: the `.gitattributes` lines (committed, shared by every clone), the merge
 * driver registration in `.git/config` and the post-merge / post-rewrite hooks (both per clone — git never copies
 * config or hooks on clone, so every clone runs `sase bead merge-driver --install` once, or `sase bead init --git`).
 *
 * Rule source: spec/beads-sdd-changespecs.md §B.11 (per-stream 3-way union merge; then projection and manifest are
 * regenerated). See docs/beads-git.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { gitOut, runGit, type GitEnv } from '../../git/cli.js';
import { writeFileAtomic } from '../../store/index.js';

/** Name of the merge driver in git config (`merge.<name>.driver`) and in `.gitattributes` (`merge=<name>`). */
export const MERGE_DRIVER_NAME = 'sase-beads';

/** The `.gitattributes` lines of a store (the file lives in the store directory; patterns are anchored to it). */
export const STORE_GITATTRIBUTES: readonly string[] = [
  `/events/streams/*.jsonl merge=${MERGE_DRIVER_NAME}`,
  `/events/manifest.json merge=${MERGE_DRIVER_NAME}`,
  `/config.json merge=${MERGE_DRIVER_NAME}`,
  `/issues.jsonl merge=${MERGE_DRIVER_NAME}`,
];

const HOOK_BEGIN = '# >>> sase-beads reconcile >>>';
const HOOK_END = '# <<< sase-beads reconcile <<<';

/**
 * Adds the missing {@link STORE_GITATTRIBUTES} lines to `<storeDir>/.gitattributes` (other lines are kept).
 * @returns true when the file changed
 */
export async function writeStoreGitattributes(storeDir: string): Promise<boolean> {
  const p = join(storeDir, '.gitattributes');
  const cur = existsSync(p) ? readFileSync(p, 'utf8') : '';
  const have = new Set(cur.split('\n').map((l) => l.trim()));
  const missing = STORE_GITATTRIBUTES.filter((l) => !have.has(l));
  if (missing.length === 0) return false;
  await writeFileAtomic(p, (cur && !cur.endsWith('\n') ? cur + '\n' : cur) + missing.join('\n') + '\n');
  return true;
}

/** Shell-quotes one word with single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.split("'").join(`'\\''`)}'`;
}

/** Options for {@link installGitMergeSetup}. */
export interface GitSetupOptions {
  env: GitEnv;
  /** How hooks and git invoke sase, as a shell word list prefix (default `sase`). */
  command?: string;
  /** Skip installing the post-merge / post-rewrite hooks. */
  noHooks?: boolean;
}

/** What {@link installGitMergeSetup} did. */
export interface GitSetupResult {
  repo: string;
  store: string;
  gitattributes: { path: string; changed: boolean; lines: string[] };
  config: Record<string, string>;
  hooks: string[];
}

function hookScript(cur: string, body: string): string {
  const block = `${HOOK_BEGIN}\n${body}\n${HOOK_END}\n`;
  if (cur.includes(HOOK_BEGIN) && cur.includes(HOOK_END)) {
    const a = cur.indexOf(HOOK_BEGIN);
    const b = cur.indexOf(HOOK_END) + HOOK_END.length + 1;
    return cur.slice(0, a) + block + cur.slice(b);
  }
  if (!cur.trim()) return `#!/bin/sh\n${block}`;
  return (cur.endsWith('\n') ? cur : cur + '\n') + block;
}

/**
 * Installs the git merge setup for the store at `storeDir` in the clone enclosing it: `.gitattributes` lines,
 * `merge.sase-beads.{name,driver}` in the clone's config, and (unless `noHooks`) post-merge and post-rewrite hook
 * blocks that run the reconcile step. Idempotent.
 * @throws ExternalToolError when `storeDir` is not inside a git working tree
 */
export async function installGitMergeSetup(storeDir: string, opts: GitSetupOptions): Promise<GitSetupResult> {
  const env = opts.env;
  await mkdir(storeDir, { recursive: true });
  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: storeDir, env });
  const cmd = opts.command ?? 'sase';
  const config: Record<string, string> = {
    [`merge.${MERGE_DRIVER_NAME}.name`]: 'sase bead store (per-stream 3-way event union)',
    [`merge.${MERGE_DRIVER_NAME}.driver`]: `${cmd} bead merge-driver %O %A %B %P`,
  };
  for (const [k, v] of Object.entries(config)) await runGit(['config', '--local', k, v], { cwd: top, env });
  const changed = await writeStoreGitattributes(storeDir);
  const hooks: string[] = [];
  if (!opts.noHooks) {
    const hooksDirRaw = await gitOut(['rev-parse', '--git-path', 'hooks'], { cwd: top, env });
    const hooksDir = isAbsolute(hooksDirRaw) ? hooksDirRaw : resolve(top, hooksDirRaw);
    await mkdir(hooksDir, { recursive: true });
    const storeRel = relative(top, storeDir).split('\\').join('/') || '.';
    const run = `${cmd} bead merge-driver --reconcile --commit --store "$(git rev-parse --show-toplevel)"/${shellQuote(storeRel)}`;
    const bodies: Record<string, string> = {
      'post-merge': `${run} >/dev/null || echo "sase-beads: reconcile failed; run: sase bead merge-driver --reconcile --commit" >&2`,
      'post-rewrite': `if [ "$1" = rebase ]; then ${run} >/dev/null || echo "sase-beads: reconcile failed; run: sase bead merge-driver --reconcile --commit" >&2; fi`,
    };
    for (const [name, body] of Object.entries(bodies)) {
      const p = join(hooksDir, name);
      const cur = existsSync(p) ? readFileSync(p, 'utf8') : '';
      await writeFileAtomic(p, hookScript(cur, body));
      await chmod(p, 0o755);
      hooks.push(p);
    }
  }
  return {
    repo: top,
    store: storeDir,
    gitattributes: { path: join(storeDir, '.gitattributes'), changed, lines: [...STORE_GITATTRIBUTES] },
    config,
    hooks,
  };
}
