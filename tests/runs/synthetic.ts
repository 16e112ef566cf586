/** Writes synthetic finished/waiting agent records (for list tests and the benchmark). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_RECORD_SCHEMA_VERSION } from '../../lib/agents/types.js';
import { launchTimestamp, stamp14 } from '../../lib/agents/paths.js';

/**
 * Creates `n` records under `<saseHome>/agents/` one minute apart from `start`: every 100th is WAITING
 * (waiting.json), every 7th FAILED, the rest DONE. Returns the ids, oldest first. Does not write the index.
 */
export function writeSyntheticRecords(saseHome: string, n: number, start: Date): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(start.getTime() + i * 60_000);
    const id = `${stamp14(d)}-${i.toString(16).padStart(6, '0')}`;
    const dir = join(saseHome, 'agents', id.slice(0, 6), id);
    mkdirSync(dir, { recursive: true });
    const name = `syn-${i}`;
    writeFileSync(
      join(dir, 'agent.json'),
      JSON.stringify({
        schema_version: AGENT_RECORD_SCHEMA_VERSION,
        id,
        name,
        timestamp: launchTimestamp(d),
        created_at: d.toISOString(),
        model: { spec: 'fakey/@ok', provider: 'fakey', model: '@ok', effort: null },
        workspace_ref: '#cd:/tmp',
        launch_cwd: '/tmp',
        directives: { model: null, model_overrides: {}, name, name_reuse: false, waits: [], wait_time: null, wait_runners: null, hide: false, auto: null, repeat: null, group: null },
        hidden: false,
        group: null,
        segment: 0,
        index: 0,
        alt_id: null,
        repeat_slot: null,
        deferred: [],
        timeout_ms: 0,
        kill_grace_ms: 1000,
        retry_of: null,
        retry_chain_root: null,
        retry_attempt: 0,
        sase_version: '0.0.0',
      }),
    );
    if (i % 100 === 0) {
      writeFileSync(join(dir, 'waiting.json'), JSON.stringify({ waiting_for: ['x'], wait_duration: null, wait_until: null, wait_runners: null, slot_requested_at: d.toISOString() }));
    } else {
      const failed = i % 7 === 0;
      writeFileSync(join(dir, 'done.json'), JSON.stringify({ outcome: failed ? 'failed' : 'completed', status_label: failed ? 'FAILED' : 'DONE', finished_at: d.getTime() / 1000 + 30, name }));
    }
    ids.push(id);
  }
  return ids;
}
