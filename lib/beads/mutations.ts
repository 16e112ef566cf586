/**
 * Bead mutations: the CLI transition rules of spec §B.8 (and the creation rules of §B.4/§B.7), each emitting
 * events through a {@link MutationContext}. Rejected transitions throw before anything is emitted, so nothing
 * is written.
 */
import { ConflictError, NotFoundError, UsageError } from '../errors/index.js';
import { updateFields } from './events.js';
import { resolveId } from './ids.js';
import { normalizeIssue } from './normalize.js';
import { issueWire } from './project.js';
import { ancestorsOf, descendantsOf, isActive } from './query.js';
import type { MutationContext } from './write.js';
import {
  BEAD_SIZES, type BeadIssue, type BeadIssueType, type BeadResolution, type BeadSize, type BeadSnooze, type BeadStatus,
  type BeadTier, type IssueUpdateFields, type PlusOneEvidence,
} from './types.js';

/** The result of a mutation: the ids it touched and whether anything changed. */
export interface MutationOutcome {
  ids: string[];
  changed: boolean;
}

function get(ctx: MutationContext, input: string): BeadIssue {
  const id = resolveId(input, ctx.issues.keys());
  const i = ctx.issues.get(id);
  if (!i) throw new NotFoundError(`no bead '${input}'`, { data: { id: input } });
  return i;
}

/** Resolves user input (full id or shorthand) against the live issues. @throws NotFoundError, UsageError */
export function resolveIn(ctx: MutationContext, input: string): string {
  return get(ctx, input).id;
}

/** Arguments of {@link createBead}. */
export interface CreateArgs {
  type: BeadIssueType;
  title: string;
  tier?: BeadTier;
  parent?: string;
  description?: string;
  design?: string;
  model?: string;
  size?: BeadSize;
  deps?: string[];
  assignee?: string;
}

/**
 * Creates a bead. Plans get tier `epic` by default and may be top-level or children of a plan/phase (child
 * epics); phases need a plan parent; tasks have no parent (§B.5). Ids: top-level base36 counter or `<parent>.<N>`
 * (§B.7). Dependencies are added as `dependency_added` events.
 * @throws UsageError for a bad combination; NotFoundError for an unknown parent or dependency
 */
export function createBead(ctx: MutationContext, a: CreateArgs): MutationOutcome & { id: string } {
  if (!a.title || a.title.trim() === '') throw new UsageError('a bead needs a non-empty title');
  if (a.type !== 'plan' && a.tier) throw new UsageError('only plans have a tier');
  if (a.type === 'plan' && a.size) throw new UsageError('plans carry no size');
  if (a.size && !(BEAD_SIZES as readonly string[]).includes(a.size)) throw new UsageError(`invalid size '${a.size}'`, { hint: `use one of ${BEAD_SIZES.join(', ')}` });
  if (a.model !== undefined && /[\u0000-\u001f\u007f]/.test(a.model)) throw new UsageError('model must not contain control characters');
  let parent: BeadIssue | null = null;
  if (a.parent) {
    if (a.type === 'task') throw new UsageError('tasks cannot have a parent', { hint: 'create a phase under a plan instead' });
    parent = get(ctx, a.parent);
    if (a.type === 'phase' && parent.issue_type !== 'plan') throw new UsageError(`a phase's parent must be a plan; ${parent.id} is a ${parent.issue_type}`);
    if (a.type === 'plan' && parent.issue_type === 'task') throw new UsageError(`a plan's parent must be a plan or a phase; ${parent.id} is a task`);
  } else if (a.type === 'phase') {
    throw new UsageError('a phase needs --parent <plan>');
  }
  const deps = (a.deps ?? []).map((d) => get(ctx, d).id);
  const id = parent ? ctx.mintChildId(parent.id) : ctx.mintTopLevelId();
  const ts = ctx.timestamp;
  const issue = normalizeIssue(
    {
      id, title: a.title, status: 'open', issue_type: a.type, tier: a.type === 'plan' ? (a.tier ?? 'epic') : null,
      parent_id: parent?.id ?? null, owner: typeof ctx.config.owner === 'string' && ctx.config.owner ? ctx.config.owner : ctx.actor,
      assignee: a.assignee ?? '', created_at: ts, created_by: ctx.actor, updated_at: ts, description: a.description ?? '',
      design: a.design ?? '', model: a.model ?? '', size: a.size ?? null,
    },
    false,
  );
  ctx.emit(id, { kind: 'issue_created', issue: issueWire(issue) as unknown as BeadIssue });
  for (const d of [...new Set(deps)]) {
    if (d === id) continue;
    ctx.emit(id, { kind: 'dependency_added', dependency: { issue_id: id, depends_on_id: d, created_at: ts, created_by: ctx.actor } });
  }
  return { id, ids: [id], changed: true };
}

/** Fields `sase bead update` may set. */
export interface UpdateArgs {
  title?: string;
  description?: string;
  design?: string;
  model?: string;
  size?: BeadSize;
  status?: BeadStatus;
  assignee?: string;
  notes?: string;
  tier?: BeadTier;
  resolution?: BeadResolution | null;
}

/**
 * `update`: one `issue_updated` event with the given fields (null = unchanged). Status rules (§B.8): `claimed`
 * only via claim, `snoozed` only via snooze, `ready` only for tasks, `closed` rejected while any descendant is
 * active. A no-op update (nothing differs) emits nothing.
 * @throws UsageError, ConflictError
 */
export function updateBead(ctx: MutationContext, input: string, a: UpdateArgs): MutationOutcome {
  const i = get(ctx, input);
  if (a.status === 'claimed') throw new UsageError("status 'claimed' is set only by 'sase bead claim'");
  if (a.status === 'snoozed') throw new UsageError("status 'snoozed' is set only by 'sase bead snooze'");
  if (a.status === 'ready' && i.issue_type !== 'task') throw new UsageError(`status 'ready' is only for tasks; ${i.id} is a ${i.issue_type}`);
  if (a.status === 'closed') {
    const active = descendantsOf(i.id, [...ctx.issues.values()]).filter(isActive);
    if (active.length) throw new ConflictError(`cannot close ${i.id}: descendants are still active (${active.map((d) => d.id).join(', ')})`, { hint: "close them first, or use 'sase bead close --force'" });
  }
  if (a.tier && i.issue_type !== 'plan') throw new UsageError('only plans have a tier');
  if (a.size && i.issue_type === 'plan') throw new UsageError('plans carry no size');
  if (a.model !== undefined && /[\u0000-\u001f\u007f]/.test(a.model)) throw new UsageError('model must not contain control characters');
  const set: Partial<IssueUpdateFields> = {};
  const keys = ['title', 'description', 'design', 'model', 'size', 'status', 'assignee', 'notes', 'tier'] as const;
  for (const k of keys) if (a[k] !== undefined && a[k] !== i[k]) (set as Record<string, unknown>)[k] = a[k];
  const fields = updateFields(set);
  if (a.resolution !== undefined && a.resolution !== i.resolution) fields.resolution = a.resolution;
  if (Object.keys(set).length === 0 && !('resolution' in fields)) return { ids: [i.id], changed: false };
  ctx.emit(i.id, { kind: 'issue_updated', fields });
  return { ids: [i.id], changed: true };
}

/** `claim`: compare-and-set `open → claimed` with `assignee = agent` (§B.8). @throws ConflictError when not open */
export function claimBead(ctx: MutationContext, input: string, agent: string): MutationOutcome {
  const i = get(ctx, input);
  if (!agent.trim()) throw new UsageError('claim needs an agent name');
  if (i.status !== 'open') throw new ConflictError(`cannot claim ${i.id}: status is ${i.status}${i.assignee ? ` (assignee ${i.assignee})` : ''}, not open`, { data: { id: i.id, status: i.status, assignee: i.assignee } });
  ctx.emit(i.id, { kind: 'issue_updated', fields: updateFields({ status: 'claimed', assignee: agent }) });
  return { ids: [i.id], changed: true };
}

/** `release`: compare-and-set `claimed → open` by the claimant only (§B.8). @throws ConflictError otherwise */
export function releaseBead(ctx: MutationContext, input: string, agent: string): MutationOutcome {
  const i = get(ctx, input);
  if (i.status !== 'claimed') throw new ConflictError(`cannot release ${i.id}: status is ${i.status}, not claimed`, { data: { id: i.id, status: i.status } });
  if (i.assignee !== agent) throw new ConflictError(`cannot release ${i.id}: claimed by ${i.assignee}, not ${agent}`, { data: { id: i.id, assignee: i.assignee } });
  ctx.emit(i.id, { kind: 'issue_updated', fields: updateFields({ status: 'open', assignee: '' }) });
  return { ids: [i.id], changed: true };
}

/** Arguments of {@link closeBeads}. */
export interface CloseArgs {
  reason?: string;
  resolution?: BeadResolution;
  force?: boolean;
}

/**
 * `close` (§B.8): checks every target first; default resolution `done`; without `force` a target with active
 * descendants is rejected; `force` needs a reason and resolution `canceled|superseded` and closes every active
 * descendant (reason `forced by <id>: <reason>`, recorded in `forced_descendant_ids`). Closing an already
 * closed bead is a no-op unless the reason/resolution conflict (ConflictError).
 */
export function closeBeads(ctx: MutationContext, inputs: string[], a: CloseArgs): MutationOutcome {
  if (inputs.length === 0) throw new UsageError('close needs at least one bead id');
  const resolution = a.resolution ?? 'done';
  if (a.force) {
    if (!a.reason || !a.reason.trim()) throw new UsageError('--force requires --reason');
    if (resolution !== 'canceled' && resolution !== 'superseded') throw new UsageError('--force requires --resolution canceled or superseded');
  }
  const targets = [...new Map(inputs.map((x) => get(ctx, x)).map((i) => [i.id, i])).values()];
  const all = [...ctx.issues.values()];
  const plan: { issue: BeadIssue; sweep: BeadIssue[] }[] = [];
  for (const t of targets) {
    if (t.status === 'closed') {
      const reasonConflict = a.reason !== undefined && t.close_reason !== null && a.reason !== t.close_reason;
      const resConflict = a.resolution !== undefined && t.resolution !== null && a.resolution !== t.resolution;
      if (reasonConflict || resConflict) throw new ConflictError(`${t.id} is already closed with a different ${reasonConflict ? 'reason' : 'resolution'}`, { data: { id: t.id, close_reason: t.close_reason, resolution: t.resolution } });
      continue;
    }
    const active = descendantsOf(t.id, all).filter((d) => isActive(d) && !targets.some((x) => x.id === d.id));
    if (active.length && !a.force) {
      throw new ConflictError(`cannot close ${t.id}: descendants are still active (${active.map((d) => d.id).join(', ')})`, { hint: 'close them first, or pass --force --reason … --resolution canceled|superseded' });
    }
    plan.push({ issue: t, sweep: a.force ? active : [] });
  }
  const ids: string[] = [];
  for (const { issue, sweep } of plan) {
    // Descendants first (deepest last in the list → close in reverse so children close before parents).
    for (const d of [...sweep].reverse()) {
      if (ctx.issues.get(d.id)?.status === 'closed') continue;
      ctx.emit(d.id, { kind: 'issue_closed', close_reason: `forced by ${issue.id}: ${a.reason}`, resolution });
      ids.push(d.id);
    }
    const payload: { kind: 'issue_closed'; close_reason: string | null; resolution: BeadResolution; forced_descendant_ids?: string[] } = {
      kind: 'issue_closed',
      close_reason: a.reason ?? null,
      resolution,
    };
    if (sweep.length) payload.forced_descendant_ids = sweep.map((d) => d.id);
    ctx.emit(issue.id, payload);
    ids.push(issue.id);
  }
  return { ids: ids.length ? ids : targets.map((t) => t.id), changed: ids.length > 0 };
}

/** `open`: reopens a closed bead and every closed ancestor (§B.8). An open bead is a no-op; other statuses conflict. */
export function openBead(ctx: MutationContext, input: string): MutationOutcome {
  const i = get(ctx, input);
  if (i.status === 'open') return { ids: [i.id], changed: false };
  if (i.status !== 'closed') throw new ConflictError(`cannot reopen ${i.id}: status is ${i.status}, not closed`, { hint: "use 'sase bead update --status open'" });
  const byId = ctx.issues;
  const chain = [i, ...ancestorsOf(i.id, byId).filter((p) => p.status === 'closed')];
  for (const b of chain.reverse()) ctx.emit(b.id, { kind: 'issue_opened' });
  return { ids: chain.map((b) => b.id), changed: true };
}

/** `dep add A B`: A depends on B. A duplicate edge is a no-op; self-dependency is rejected (§B.8). */
export function addDependency(ctx: MutationContext, from: string, to: string): MutationOutcome {
  const a = get(ctx, from);
  const b = get(ctx, to);
  if (a.id === b.id) throw new UsageError(`${a.id} cannot depend on itself`);
  if (a.dependencies.some((d) => d.depends_on_id === b.id)) return { ids: [a.id], changed: false };
  ctx.emit(a.id, { kind: 'dependency_added', dependency: { issue_id: a.id, depends_on_id: b.id, created_at: ctx.timestamp, created_by: ctx.actor } });
  return { ids: [a.id], changed: true };
}

/** `dep rm A B`. @throws NotFoundError when A does not depend on B */
export function removeDependency(ctx: MutationContext, from: string, to: string): MutationOutcome {
  const a = get(ctx, from);
  const edge = a.dependencies.find((d) => d.depends_on_id === to || d.depends_on_id === (ctx.issues.has(to) ? to : resolveSafe(ctx, to)));
  if (!edge) throw new NotFoundError(`${a.id} does not depend on ${to}`);
  ctx.emit(a.id, { kind: 'dependency_removed', dependency: { ...edge } });
  return { ids: [a.id], changed: true };
}

function resolveSafe(ctx: MutationContext, input: string): string {
  try {
    return resolveId(input, ctx.issues.keys());
  } catch {
    return input;
  }
}

/** `note`: appends a note (rendered `[ts · actor] entry`). @throws UsageError for a blank note */
export function appendNote(ctx: MutationContext, input: string, text: string): MutationOutcome {
  const i = get(ctx, input);
  if (!text.trim()) throw new UsageError('a note cannot be empty');
  ctx.emit(i.id, { kind: 'note_appended', entry: text });
  return { ids: [i.id], changed: true };
}

/** Arguments of {@link recordPlusOne}. */
export interface PlusOneArgs {
  note: string;
  reporter: string;
  observedSince?: string;
  refs?: string[];
}

/**
 * `+1`: records evidence on a task (§B.6 rule). The creator and repeat reporters are rejected. When a snoozed
 * task reaches its `plus_one_target` new reports, it is woken (`task_snooze_woken{cause: plus_one}`).
 * @throws UsageError (not a task, blank note), ConflictError (own task, already reported)
 */
export function recordPlusOne(ctx: MutationContext, input: string, a: PlusOneArgs): MutationOutcome {
  const i = get(ctx, input);
  if (i.issue_type !== 'task') throw new UsageError(`+1 is only for tasks; ${i.id} is a ${i.issue_type}`);
  if (!a.note.trim()) throw new UsageError('+1 needs a note describing the evidence');
  if (!a.reporter.trim()) throw new UsageError('+1 needs a reporter');
  if (a.reporter === i.created_by) throw new ConflictError(`${a.reporter} created ${i.id} and cannot +1 it`);
  if (i.plus_one_evidence.some((e) => e.reporter === a.reporter)) throw new ConflictError(`${a.reporter} already reported ${i.id}`);
  const evidence: PlusOneEvidence = { timestamp: ctx.timestamp } as PlusOneEvidence;
  if (a.observedSince) evidence.observed_since = a.observedSince;
  evidence.reporter = a.reporter;
  evidence.note = a.note;
  if (a.refs && a.refs.length) evidence.refs = a.refs;
  ctx.emit(i.id, { kind: 'task_plus_one_recorded', evidence });
  const after = ctx.issues.get(i.id)!;
  const s = after.snooze;
  if (after.status === 'snoozed' && s && typeof s.plus_one_target === 'number') {
    const base = typeof s.plus_one_baseline === 'number' ? s.plus_one_baseline : 0;
    if (after.plus_one_evidence.length - base >= s.plus_one_target) ctx.emit(i.id, { kind: 'task_snooze_woken', cause: 'plus_one' });
  }
  return { ids: [i.id], changed: true };
}

/** Arguments of {@link snoozeBead}. */
export interface SnoozeArgs {
  /** RFC 3339 with offset. */
  until: string;
  reason: string;
  plusOneTarget?: number;
}

/** `snooze`: a task in `open|ready` → snoozed (§B.8). @throws UsageError, ConflictError */
export function snoozeBead(ctx: MutationContext, input: string, a: SnoozeArgs): MutationOutcome {
  const i = get(ctx, input);
  if (i.issue_type !== 'task') throw new UsageError(`only tasks can be snoozed; ${i.id} is a ${i.issue_type}`);
  if (i.status !== 'open' && i.status !== 'ready') throw new ConflictError(`cannot snooze ${i.id}: status is ${i.status} (must be open or ready)`);
  if (Number.isNaN(Date.parse(a.until))) throw new UsageError(`--until must be an RFC 3339 time, got '${a.until}'`);
  const snooze: BeadSnooze = { until: a.until, snoozed_at: ctx.timestamp, snoozed_by: ctx.actor } as BeadSnooze;
  if (a.plusOneTarget !== undefined) {
    snooze.plus_one_target = a.plusOneTarget;
    snooze.plus_one_baseline = i.plus_one_evidence.length;
  }
  snooze.reason = a.reason;
  ctx.emit(i.id, { kind: 'task_snoozed', snooze });
  return { ids: [i.id], changed: true };
}

/** `wake`: cancels a snooze (status → ready). @throws ConflictError when not snoozed */
export function wakeBead(ctx: MutationContext, input: string): MutationOutcome {
  const i = get(ctx, input);
  if (i.status !== 'snoozed') throw new ConflictError(`${i.id} is not snoozed (status ${i.status})`);
  ctx.emit(i.id, { kind: 'task_snooze_canceled' });
  return { ids: [i.id], changed: true };
}

/** `ref add|rm`: ordered-set references (e.g. `research:202607/x.md`, `bead:sase-b7`). */
export function changeReference(ctx: MutationContext, input: string, ref: string, add: boolean): MutationOutcome {
  const i = get(ctx, input);
  if (!ref.trim()) throw new UsageError('a reference cannot be empty');
  const has = i.refs.includes(ref);
  if (add === has) return { ids: [i.id], changed: false };
  ctx.emit(i.id, add ? { kind: 'reference_added', reference: ref } : { kind: 'reference_removed', reference: ref });
  return { ids: [i.id], changed: true };
}

/** `remove`: deletes a bead and its descendants (`cascade_removed_issue_ids`); edges to them are dropped. */
export function removeBead(ctx: MutationContext, input: string): MutationOutcome {
  const i = get(ctx, input);
  const cascade = descendantsOf(i.id, [...ctx.issues.values()]).map((d) => d.id);
  ctx.emit(i.id, { kind: 'issue_removed', cascade_removed_issue_ids: cascade });
  return { ids: [i.id, ...cascade], changed: true };
}
