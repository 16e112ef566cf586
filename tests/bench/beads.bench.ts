/**
 * Bead store start-up: `sase bead ready --json` and `sase bead list --json` on a copy of the real SASE store
 * (shared/corpus/beads, 661 streams, ~3,000 beads) with the rebuildable cache, a cold fold with the cache
 * disabled, and a synthetic 10,000-bead store — each against `node -e 0`.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, eventLine, updateFields } from '../../lib/beads/events.js';
import { renderManifest, renderConfig } from '../../lib/beads/write.js';
import { normalizeIssue } from '../../lib/beads/normalize.js';
import { issueWire } from '../../lib/beads/project.js';
import type { BeadEvent, BeadIssue, BeadPayload } from '../../lib/beads/types.js';
import { binPath, corpusPath } from '../helpers/index.js';
import type { BenchGroup } from './harness.js';

let root = '';

/**
 * Writes a synthetic store shaped like a real one (mostly history): 1,000 epics with 5 phases each (phase k+1
 * depends on phase k; four epics in five closed) plus 4,000 tasks (one in eight ready, one in eight open, the rest
 * closed; some depending on the previous task) — 10,000 beads in 5,000 streams.
 */
function writeSynthetic(dir: string): void {
  const streams = join(dir, 'events', 'streams');
  mkdirSync(streams, { recursive: true });
  let counter = 0;
  let sec = 0;
  const ts = () => new Date(Date.UTC(2026, 0, 1) + (sec++ * 1000)).toISOString().slice(0, 19) + 'Z';
  const create = (id: string, type: BeadIssue['issue_type'], extra: Record<string, unknown>): BeadPayload => {
    const t = ts();
    return { kind: 'issue_created', issue: issueWire(normalizeIssue({ id, title: `${type} ${id}`, status: 'open', issue_type: type, owner: 'bench@example.com', created_by: 'bench', created_at: t, updated_at: t, description: `Synthetic ${type} for the benchmark. `.repeat(8), ...extra }, false)) as unknown as BeadIssue };
  };
  let files = 0;
  const flush = (sid: string, list: [string, BeadPayload][]) => {
    const events: BeadEvent[] = list.map(([issue, p], k) => buildEvent(sid, k + 1, ts(), 'bench', issue, p));
    writeFileSync(join(streams, `${sid}.jsonl`), events.map(eventLine).join(''));
    files++;
  };
  for (let e = 0; e < 1000; e++) {
    const id = `bench-${(++counter).toString(36)}`;
    const list: [string, BeadPayload][] = [[id, create(id, 'plan', { tier: 'epic' })]];
    for (let k = 1; k <= 5; k++) {
      const pid = `${id}.${k}`;
      list.push([pid, create(pid, 'phase', { parent_id: id, size: 'small' })]);
      if (k > 1) list.push([pid, { kind: 'dependency_added', dependency: { issue_id: pid, depends_on_id: `${id}.${k - 1}`, created_at: ts(), created_by: 'bench' } }]);
    }
    if (e % 3 === 0) list.push([id, { kind: 'ready_marked' }]);
    if (e % 5 !== 0) {
      // Four epics in five are done, like a real store's history: phases closed, then the epic.
      for (let k = 1; k <= 5; k++) list.push([`${id}.${k}`, { kind: 'issue_closed', close_reason: null, resolution: 'done' }]);
      list.push([id, { kind: 'issue_closed', close_reason: 'All phases complete', resolution: 'done' }]);
    }
    flush(id, list);
  }
  for (let t = 0; t < 4000; t++) {
    const id = `bench-${(++counter).toString(36)}`;
    const list: [string, BeadPayload][] = [[id, create(id, 'task', {})]];
    if (t % 8 === 0) list.push([id, { kind: 'issue_updated', fields: updateFields({ status: 'ready' }) }]);
    else if (t % 8 !== 4) list.push([id, { kind: 'note_appended', entry: 'Investigated; closing.' }], [id, { kind: 'issue_closed', close_reason: 'done', resolution: 'done' }]);
    if (t % 10 === 0 && t > 0) list.push([id, { kind: 'dependency_added', dependency: { issue_id: id, depends_on_id: `bench-${(counter - 1).toString(36)}`, created_at: ts(), created_by: 'bench' } }]);
    flush(id, list);
  }
  writeFileSync(join(dir, 'events', 'manifest.json'), renderManifest(files));
  writeFileSync(join(dir, 'config.json'), renderConfig({ issue_prefix: 'bench', next_counter: counter + 1 }));
}

export const group: BenchGroup = {
  name: 'beads',
  setup: () => {
    root = mkdtempSync(join(tmpdir(), 'sase-bench-beads-'));
    const corpus = join(root, 'corpus-beads');
    cpSync(corpusPath('beads'), corpus, { recursive: true });
    chmodSync(corpus, 0o755);
    for (const d of [join(corpus, 'events'), join(corpus, 'events', 'streams')]) chmodSync(d, 0o755);
    const synthetic = join(root, 'synthetic');
    writeSynthetic(synthetic);
    const env = { HOME: root, SASE_HOME: join(root, '.sase') };
    const cold = { ...env, SASE_BEAD_NO_CACHE: '1' };
    const sase = binPath('sase');
    return [
      { name: '`sase bead ready --json` (corpus/beads, cached)', nodeArgs: [sase, 'bead', 'ready', '--json', '--store', corpus], env, target: { ratio: 1.5 } },
      { name: '`sase bead list --json` (corpus/beads, cached)', nodeArgs: [sase, 'bead', 'list', '--json', '--store', corpus], env, target: { ratio: 1.5 } },
      { name: '`sase bead ready --json` (corpus/beads, cold fold, no cache)', nodeArgs: [sase, 'bead', 'ready', '--json', '--store', corpus], env: cold, target: { ratio: 3 }, runs: 9 },
      { name: '`sase bead ready --json` (synthetic 10,000 beads, cached)', nodeArgs: [sase, 'bead', 'ready', '--json', '--store', synthetic], env, target: { ratio: 2 } },
      { name: '`sase bead list --json` (synthetic 10,000 beads, cached)', nodeArgs: [sase, 'bead', 'list', '--json', '--store', synthetic], env, target: { ratio: 2 } },
      { name: '`sase bead ready --json` (synthetic 10,000 beads, cold fold)', nodeArgs: [sase, 'bead', 'ready', '--json', '--store', synthetic], env: { ...cold }, runs: 5 },
    ];
  },
  teardown: () => {
    if (root) rmSync(root, { recursive: true, force: true });
  },
  notes:
    'The corpus store is copied to a temp directory (the corpus is read-only) so the rebuildable cache ' +
    '(`.bead-cache.json`, gitignored) can live next to it; the warm-up run builds it. Cached runs stat the store ' +
    'directories and read and parse one precomputed JSON array of the printed rows. Cold runs (`SASE_BEAD_NO_CACHE=1`) read, ' +
    'validate and fold every stream. The synthetic store has 1,000 epics × 5 phases and 4,000 tasks in 5,000 streams, about 80% closed.',
};
