/**
 * Bead store wire types: the event envelope, every operation's payload, the folded issue (projection row), the
 * store's config and manifest.
 *
 * Source of the shapes: spec/beads-sdd-changespecs.md §B.2 (envelope), §B.3 (operations and payloads),
 * §B.5 (issue schema and key order). Field names are SASE's wire names (snake_case) so records round-trip
 * byte-for-byte.
 */

/** Issue status (§B.5). Active = every status except `closed` (§B.8). */
export type BeadStatus = 'open' | 'claimed' | 'ready' | 'snoozed' | 'in_progress' | 'closed';
/** Issue type (§B.5). */
export type BeadIssueType = 'plan' | 'phase' | 'task';
/** Plan tier (§B.5; legacy `legend` containers are `plan`). */
export type BeadTier = 'plan' | 'epic';
/** Phase/task size (§B.5). */
export type BeadSize = 'xsmall' | 'small' | 'medium' | 'large' | 'xlarge';
/** Close resolution (§B.5). */
export type BeadResolution = 'done' | 'canceled' | 'superseded';
/** How a closed bead was reopened (§B.5 `close_history[].reopened_via`). */
export type ReopenVia = 'plus_one' | 'open' | 'update' | 'epic_preclaim';

/** All statuses, in lifecycle order. */
export const BEAD_STATUSES: readonly BeadStatus[] = ['open', 'claimed', 'ready', 'snoozed', 'in_progress', 'closed'];
/** Statuses that count as active (block dependents, default `list`). §B.8 */
export const ACTIVE_STATUSES: readonly BeadStatus[] = ['open', 'claimed', 'ready', 'snoozed', 'in_progress'];
/** All issue types. */
export const BEAD_ISSUE_TYPES: readonly BeadIssueType[] = ['plan', 'phase', 'task'];
/** All tiers. */
export const BEAD_TIERS: readonly BeadTier[] = ['plan', 'epic'];
/** All sizes, smallest first. */
export const BEAD_SIZES: readonly BeadSize[] = ['xsmall', 'small', 'medium', 'large', 'xlarge'];
/** All resolutions. */
export const BEAD_RESOLUTIONS: readonly BeadResolution[] = ['done', 'canceled', 'superseded'];

/** One dependency edge: `issue_id` depends on `depends_on_id` (§B.8; the only dependency kind). */
export interface BeadDependency {
  issue_id: string;
  depends_on_id: string;
  created_at: string;
  created_by: string;
}

/** One archived close, pushed when a closed bead is reopened (§B.6 "archive close"). Key order as serialized. */
export interface CloseRecord {
  closed_at: string;
  close_reason?: string;
  resolution?: BeadResolution;
  reopened_at: string;
  reopened_via: ReopenVia;
  reopened_by?: string;
}

/** One +1 report on a task (§B.3 `task_plus_one_recorded`). Extra keys are preserved as written. */
export interface PlusOneEvidence {
  timestamp: string;
  observed_since?: string;
  reporter: string;
  note: string;
  refs?: string[];
  [key: string]: unknown;
}

/** A snooze (§B.3 `task_snoozed`). `until` is RFC 3339 with offset. Extra keys are preserved as written. */
export interface BeadSnooze {
  until: string;
  snoozed_at: string;
  snoozed_by: string;
  plus_one_target?: number;
  plus_one_baseline?: number;
  reason: string;
  [key: string]: unknown;
}

/** An artifact link (§B.3 `link_added`; not exercised by the corpus). Extra keys preserved. */
export interface BeadLink {
  target_ref: string;
  relation: string;
  description?: string;
  origin?: unknown;
  [key: string]: unknown;
}

/**
 * A folded bead — one row of the `issues.jsonl` projection (§B.5). Every key is always present in memory; the
 * serializer ({@link ../beads/project.ts serializeIssue}) applies the omit rules and the key order.
 */
export interface BeadIssue {
  id: string;
  title: string;
  status: BeadStatus;
  issue_type: BeadIssueType;
  tier: BeadTier | null;
  parent_id: string | null;
  owner: string;
  assignee: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
  resolution: BeadResolution | null;
  close_history: CloseRecord[];
  description: string;
  notes: string;
  design: string;
  refs: string[];
  links: BeadLink[];
  plus_one_evidence: PlusOneEvidence[];
  snooze: BeadSnooze | null;
  model: string;
  size: BeadSize | null;
  task_type: string | null;
  task_type_fields: Record<string, unknown>;
  is_ready_to_work: boolean;
  changespec_name: string;
  changespec_bug_id: string;
  external_ref: string;
  dependencies: BeadDependency[];
}

/** The fields read queries need (ready/blocked/list/show relations); a {@link BeadIssue} is one. */
export type BeadCore = Pick<BeadIssue, 'id' | 'title' | 'status' | 'issue_type' | 'tier' | 'parent_id' | 'assignee' | 'created_at' | 'updated_at' | 'closed_at'> & {
  dependencies: { depends_on_id: string }[];
};

/** The `fields` of `issue_updated`: null = unchanged (§B.3, pitfall 4). `resolution` present-null = clear. */
export interface IssueUpdateFields {
  title: string | null;
  status: BeadStatus | null;
  assignee: string | null;
  description: string | null;
  notes: string | null;
  design: string | null;
  model: string | null;
  size: BeadSize | null;
  closed_at: string | null;
  close_reason: string | null;
  changespec_name: string | null;
  changespec_bug_id: string | null;
  tier: BeadTier | null;
  is_ready_to_work: boolean | null;
  resolution?: BeadResolution | null;
  external_ref?: string | null;
  task_type_fields?: Record<string, unknown> | null;
}

/** Payload of every operation, discriminated by `kind` (= the envelope's `operation`). §B.3 */
export type BeadPayload =
  | { kind: 'issue_created'; issue: Partial<BeadIssue> & { id: string } }
  | { kind: 'issue_updated'; fields: IssueUpdateFields }
  | { kind: 'note_appended'; entry: string }
  | { kind: 'issue_closed'; close_reason: string | null; resolution?: BeadResolution; forced_descendant_ids?: string[]; closed_by?: string }
  | { kind: 'issue_opened' }
  | { kind: 'issue_removed'; cascade_removed_issue_ids: string[] }
  | { kind: 'dependency_added'; dependency: BeadDependency }
  | { kind: 'dependency_removed'; dependency: BeadDependency }
  | { kind: 'reference_added'; reference: string }
  | { kind: 'reference_removed'; reference: string }
  | { kind: 'link_added'; target_ref: string; relation: string; description: string; origin: unknown; [key: string]: unknown }
  | { kind: 'link_removed'; target_ref: string; relation: string; [key: string]: unknown }
  | { kind: 'ready_marked' }
  | { kind: 'ready_unmarked' }
  | { kind: 'epic_work_preclaimed'; agent_name: string }
  | { kind: 'task_plus_one_recorded'; evidence: PlusOneEvidence }
  | { kind: 'task_snoozed'; snooze: BeadSnooze }
  | { kind: 'task_snooze_canceled' }
  | { kind: 'task_snooze_woken'; cause: 'plus_one' };

/** Operation names (= payload kinds). */
export type BeadOperation = BeadPayload['kind'];

/** Every operation, in the spec's table order (§B.3). */
export const BEAD_OPERATIONS: readonly BeadOperation[] = [
  'issue_created', 'issue_updated', 'note_appended', 'issue_closed', 'issue_opened', 'issue_removed',
  'dependency_added', 'dependency_removed', 'reference_added', 'reference_removed', 'link_added', 'link_removed',
  'ready_marked', 'ready_unmarked', 'epic_work_preclaimed', 'task_plus_one_recorded', 'task_snoozed',
  'task_snooze_canceled', 'task_snooze_woken',
];

/**
 * One event line of a stream file (§B.2). Serialized compact, keys in exactly this order.
 * `timestamp` is `YYYY-MM-DDTHH:MM:SSZ` (UTC, seconds); `event_id` is opaque (§B.2, pitfall 2).
 */
export interface BeadEvent<P extends BeadPayload = BeadPayload> {
  schema_version: 1;
  event_id: string;
  timestamp: string;
  actor: string;
  operation: P['kind'];
  issue_id: string;
  payload: P;
}

/** `config.json` (§B.1). Unknown keys are preserved on rewrite. */
export interface BeadConfig {
  issue_prefix: string;
  next_counter: number;
  owner?: string;
  [key: string]: unknown;
}

/** `events/manifest.json` (§B.1). */
export interface BeadManifest {
  schema_version: 1;
  stream_count: number;
  generated_from: string;
  migration_tool: string;
}

/** One stream file as read: its id (file stem), path, events in file order and their 1-based line numbers. */
export interface BeadStream {
  stream_id: string;
  file: string;
  events: BeadEvent[];
  lines: number[];
}

/** A problem found while reading a store (doctor material). Lines are 1-based. */
export interface StoreProblem {
  kind: 'torn-line' | 'invalid-line' | 'invalid-event' | 'manifest' | 'stream-id' | 'duplicate-event' | 'journal';
  message: string;
  file?: string;
  line?: number;
}

/** Fold options. */
export interface FoldOptions {
  /**
   * Legacy +1 rule (sase-core before `d1a19d5`, 2026-08-10): a +1 that reopens a *closed* task keeps its
   * assignee. Default false = current rule (the assignee is cleared). §B.6, Targets 1.
   */
  legacyPlusOne?: boolean;
}
