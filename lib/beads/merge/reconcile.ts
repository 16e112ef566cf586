/**
 * The post-merge step of the git setup (`sase bead merge-driver --reconcile`, run by the post-merge and
 * post-rewrite hooks that `installGitMergeSetup` writes).
 *
 * Rule (spec/beads-sdd-changespecs.md §B.11): after the per-stream union "the projection and manifest are
 * regenerated". A merge driver only writes the file git gave it, so this step finishes the job for the whole store:
 * stages the new stream files written by root relocations (`<git-dir>/sase-beads/relocations.jsonl`), sets
 * `manifest.stream_count` to the number of stream files, raises `config.next_counter` past every top-level id,
 * rewrites `issues.jsonl` from a fresh fold (when the store tracks one), all under the store's mutation lock, and
 * optionally commits the result (`chore(beads): reconcile merge <moved ids>` / `reproject issues.jsonl`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gitOut, runGit, type GitEnv } from '../../git/cli.js';
import { withLock, writeFileAtomic } from '../../store/index.js';
import { nextTopLevelId } from '../ids.js';
import { storePaths } from '../paths.js';
import { foldSnapshot, readStore } from '../read.js';
import { renderProjection } from '../project.js';
import { commitBeadMutation } from '../git-commit.js';
import { diskStreamIds, readRelocationLog, relocationLogPath, type RelocationRecord } from './id-pool.js';

/** Options for {@link reconcileStore}. */
export interface ReconcileOptions {
  env: GitEnv;
  /** Commit the changed store files (hooks pass true). */
  commit?: boolean;
  /** Wait this long for the store's mutation lock, in ms. Default 60_000. */
  timeoutMs?: number;
}

/** What {@link reconcileStore} did. */
export interface ReconcileResult {
  store: string;
  /** Relocations finished (their stream files staged). */
  relocations: RelocationRecord[];
  /** Store files rewritten (absolute paths). */
  changed: string[];
  stream_count: number;
  next_counter: number;
  projection: 'rewritten' | 'unchanged' | 'absent';
  commit?: { committed: boolean; sha?: string; message: string };
}

/**
 * Reconciles the derived files of the store at `storeDir` after a merge or rebase.
 * @throws InvalidDataError when the merged streams do not fold (the merge left a broken store: run `sase bead doctor`)
 * @throws ExternalToolError when git fails; LockedError when the store stays locked past the timeout
 */
export async function reconcileStore(storeDir: string, opts: ReconcileOptions): Promise<ReconcileResult> {
  const env = opts.env;
  const paths = storePaths(storeDir);
  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: storeDir, env });
  const gitDir = await gitOut(['rev-parse', '--absolute-git-dir'], { cwd: storeDir, env });
  const storeRel = relative(top, storeDir).split('\\').join('/');
  return withLock(
    paths.lockTarget,
    async () => {
      const log = readRelocationLog(gitDir);
      const mine = log.filter((r) => r.store === storeRel && existsSync(join(paths.streamsDir, `${r.stream_id}.jsonl`)));
      const changed: string[] = [];

      const streamIds = diskStreamIds(paths.streamsDir);
      const manifestText = existsSync(paths.manifest) ? readFileSync(paths.manifest, 'utf8') : '';
      let manifest: Record<string, unknown> = { schema_version: 1, stream_count: 0, generated_from: 'issues.jsonl', migration_tool: 'sase-core bead events' };
      try {
        if (manifestText) manifest = { ...manifest, ...JSON.parse(manifestText) };
      } catch {
        // An unparseable manifest is regenerated from the defaults.
      }
      manifest.stream_count = streamIds.length;
      const newManifest = JSON.stringify(manifest, null, 2) + (manifestText.endsWith('\n') || !manifestText ? '\n' : '');
      if (streamIds.length > 0 && newManifest !== manifestText) {
        await writeFileAtomic(paths.manifest, newManifest);
        changed.push(paths.manifest);
      }

      const configText = existsSync(paths.config) ? readFileSync(paths.config, 'utf8') : '';
      let config: Record<string, unknown> = {};
      try {
        config = configText ? JSON.parse(configText) : {};
      } catch {
        config = {};
      }
      const prefix = typeof config.issue_prefix === 'string' ? config.issue_prefix : 'sase';
      const current = typeof config.next_counter === 'number' ? config.next_counter : 1;
      const snap = await readStore(storeDir, { strict: true });
      const ids = new Set<string>(streamIds);
      for (const s of snap.streams) for (const ev of s.events) ids.add(ev.issue_id);
      const needed = nextTopLevelId(prefix, current, ids).nextCounter - 1;
      if (needed > current && configText) {
        config.next_counter = needed;
        await writeFileAtomic(paths.config, JSON.stringify(config, null, 2) + '\n');
        changed.push(paths.config);
      }

      let projection: ReconcileResult['projection'] = 'absent';
      if (snap.projectionText !== null) {
        const text = renderProjection(foldSnapshot(snap));
        projection = text === snap.projectionText ? 'unchanged' : 'rewritten';
        if (projection === 'rewritten') {
          await writeFileAtomic(paths.projection, text);
          changed.push(paths.projection);
        }
      }

      const relocatedFiles = mine.map((r) => join(paths.streamsDir, `${r.stream_id}.jsonl`));
      if (relocatedFiles.length) await runGit(['add', '--', ...relocatedFiles.map((f) => relative(top, f))], { cwd: top, env });

      const result: ReconcileResult = {
        store: storeDir,
        relocations: mine,
        changed,
        stream_count: streamIds.length,
        next_counter: typeof config.next_counter === 'number' ? config.next_counter : current,
        projection,
      };
      if (opts.commit) {
        // Always offer the derived files: a previous run may have rewritten them and failed before committing.
        const files = [paths.manifest, paths.config, paths.projection, ...relocatedFiles].filter((f) => existsSync(f));
        const verb = mine.length ? 'reconcile merge' : 'reproject issues.jsonl';
        const moved = mine.map((r) => `${r.old_id}->${r.new_id}`);
        const c = await commitBeadMutation(top, files, verb, moved, { env, timeoutMs: opts.timeoutMs });
        result.commit = { committed: c.committed, sha: c.sha, message: c.message };
      }
      // Forget finished relocations only once their streams are staged (and committed when asked).
      if (mine.length) writeFileSync(relocationLogPath(gitDir), log.filter((r) => !mine.includes(r)).map((r) => JSON.stringify(r) + '\n').join(''));
      return result;
    },
    { wait: true, timeoutMs: opts.timeoutMs ?? 60_000 },
  );
}
