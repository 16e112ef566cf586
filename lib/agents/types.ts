/**
 * Persisted shapes of one agent run (docs/formats.md "Agent records"). The record directory is
 * `$SASE_HOME/agents/<YYYYMM>/<agent-id>/`; SASE's marker files (agent_meta.json, running.json, waiting.json,
 * done.json) keep SASE's names and fields (spec/runtime.md §a.2–a.3) so a record can be exported to the sidecar.
 */
import type { LaunchDirectives } from '../xprompt/launch-types.js';
import type { ResolvedWorkspace } from '../workspace/types.js';

/** Version of `agent.json`, `events.jsonl` lines and `agents/index.jsonl` lines written by this build. */
export const AGENT_RECORD_SCHEMA_VERSION = 1;

/** The model a run uses, as resolved at launch. */
export interface RecordModel {
  /** `%model` value as written, null when the default was used. */
  spec: string | null;
  provider: string;
  /** Concrete model ('' = the CLI default). */
  model: string;
  effort: string | null;
}

/** `agent.json`: identity and launch facts, written once by `sase run` (never rewritten). */
export interface AgentRecord {
  schema_version: number;
  /** `<YYYYmmddHHMMSS>-<6 hex>`; unique, sortable by launch time. */
  id: string;
  name: string;
  /** SASE launch timestamp `YYmmdd_HHMMSS` (spec/runtime.md §a.4). */
  timestamp: string;
  /** ISO-8601 UTC. */
  created_at: string;
  model: RecordModel;
  workspace_ref: string;
  /** Directory `sase run` was invoked in. */
  launch_cwd: string;
  directives: LaunchDirectives;
  hidden: boolean;
  group: string | null;
  segment: number;
  index: number;
  alt_id: string | null;
  repeat_slot: { iteration: number; total: number } | null;
  deferred: string[];
  /** Hard limit for the whole run in ms (0 = none). */
  timeout_ms: number;
  /** Grace between SIGTERM and SIGKILL when killing the provider, ms. */
  kill_grace_ms: number;
  /** Retry lineage: the run this one retries, the chain root, and the 1-based attempt in the chain. */
  retry_of: string | null;
  retry_chain_root: string | null;
  retry_attempt: number;
  sase_version: string;
}

/**
 * `workspace.json`: the resolved workspace (lib/workspace `ResolvedWorkspace`'s recorded fields), written by `sase run`
 * once the runner's pid is known.
 */
export type WorkspaceFacts = Pick<ResolvedWorkspace, 'type' | 'ref' | 'dir' | 'num' | 'project' | 'env' | 'base_revision'>;

/** `running.json` (SASE marker) plus our provider pid. */
export interface RunningMarker {
  pid: number;
  cl_name: string | null;
  model: string;
  llm_provider: string;
  vcs_provider: string | null;
  workspace_dir: string | null;
  /** pid (and process-group id) of the provider CLI of the current attempt; null between attempts. */
  provider_pid: number | null;
  attempt: number;
  started_at: string;
}

/** Outcomes written to `done.json`. SASE's `completed`/`noop` satisfy `%wait`; ours add `failed`, `killed`. */
export type DoneOutcome = 'completed' | 'noop' | 'failed' | 'killed';

/** `done.json` (SASE DoneMarkerWire subset). `finished_at` is epoch seconds (float) as in SASE. */
export interface DoneMarker {
  outcome: DoneOutcome;
  finished_at: number;
  finished_at_estimated?: boolean;
  /** Display status (`DONE`, `FAILED`, `FAILED (timeout)`, `KILLED`, …). */
  status_label: string;
  name: string;
  pid: number | null;
  model: string;
  llm_provider: string;
  workspace_num: number | null;
  workspace_dir: string | null;
  response_path: string | null;
  diff_path: string | null;
  error: string | null;
  exit_code?: number | null;
  stopped_by?: string | null;
  repeat_stopped?: boolean;
  retried_as_timestamp?: string | null;
}

/**
 * `waiting.json` (SASE WaitingMarkerWire subset), written by `sase run` for `%wait`/`#t`; `wait_duration` in seconds,
 * `wait_until`/`slot_requested_at` ISO 8601. The last three fields are added by each orchestration tick
 * (lib/orchestration/tick.ts; docs/formats.md "Agent records", tick additions).
 */
export interface WaitingMarker {
  waiting_for: string[];
  wait_duration: number | null;
  wait_until: string | null;
  wait_runners: number | null;
  /** `%wait(bead=<id>)`: bead ids that must be closed before the run starts (absent when none). */
  wait_beads?: string[];
  slot_requested_at: string;
  /** The last tick's verdict: `pending` | `blocked` (parked for good) | `timer` (absent before the first tick). */
  wait_state?: string;
  /** Why the last tick did not release the run (null when it had no reason to give). */
  blocked_reason?: string | null;
  /** When the last tick judged the run (ISO 8601). */
  checked_at?: string;
}

/** One line of `events.jsonl`: an append-only status event. */
export interface StatusEvent {
  ts: string;
  status: string;
  event: string;
  detail?: Record<string, unknown>;
}

/** One line of `agents/index.jsonl` (projection; the last line per id wins). Key order is fixed: id first. */
export interface IndexEntry {
  id: string;
  status: string;
  name: string;
  created_at: string;
  finished_at: string | null;
  pid: number | null;
  model: string;
  group: string | null;
  hidden: boolean;
  workspace_dir: string | null;
  retry_of: string | null;
}

/** A record as read back: the launch facts plus the markers and the derived status. */
export interface AgentView {
  id: string;
  name: string;
  status: string;
  record_dir: string;
  record: AgentRecord;
  workspace: WorkspaceFacts | null;
  running: RunningMarker | null;
  done: DoneMarker | null;
  waiting: WaitingMarker | null;
}
