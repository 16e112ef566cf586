/**
 * Export of folded SASE beads as steveyegge/beads (`bd`) JSONL rows.
 *
 * Mapping (spec/beads-sdd-changespecs.md §D "Mapping SASE → bd"): same-named fields copied (empty strings and null
 * times omitted, as bd does); status open/in_progress/closed kept, claimed → in_progress + label `sase:claimed`,
 * ready → open + label `sase:ready`, snoozed → deferred + `defer_until`; plan → epic (tier plan adds label
 * `sase:tier-plan`); phase → task with a `parent-child` edge and `parent`; a child plan → epic with a
 * `parent-child` edge; dependencies → `blocks` edges (`metadata: "{}"`); size → label `size:<x>`; task_type → label
 * `sase:task-type:<x>`; model, is_ready_to_work, changespec_*, refs, links, plus_one_evidence, close_history,
 * resolution, snooze, task_type_fields → the `metadata` object (round-trip store read back by import-bd);
 * priority 2 (bd's default). Key order follows bd's export; counters `dependency_count`, `dependent_count`,
 * `comment_count` are recomputed.
 */
import type { BeadIssue } from '../types.js';
import type { BdExportReport, BdIssue, IdLists } from './types.js';

function push(lists: IdLists, key: string, id: string): void {
  (lists[key] ??= []).push(id);
}

/**
 * Maps folded issues (sorted, as from a fold) to bd rows and a report.
 * @returns rows in the input order
 */
export function exportBd(issues: readonly BeadIssue[]): { rows: BdIssue[]; report: BdExportReport } {
  const report: BdExportReport = {
    issues: issues.length,
    counts: { epics: 0, tasks: 0, dependencies: 0, parent_child: 0, labels: 0, with_metadata: 0 },
    converted: {},
    metadata_fields: {},
  };
  const conv = (field: string, key: string, id: string): void => push((report.converted[field] ??= {}), key, id);
  const dependents = new Map<string, number>();
  for (const i of issues) {
    for (const d of i.dependencies) dependents.set(d.depends_on_id, (dependents.get(d.depends_on_id) ?? 0) + 1);
    if (i.parent_id) dependents.set(i.parent_id, (dependents.get(i.parent_id) ?? 0) + 1);
  }
  const rows: BdIssue[] = [];
  for (const i of issues) {
    const labels: string[] = [];
    let status: string = i.status;
    let deferUntil: string | undefined;
    if (i.status === 'claimed') {
      status = 'in_progress';
      labels.push('sase:claimed');
      conv('status', 'claimed->in_progress+label', i.id);
    } else if (i.status === 'ready') {
      status = 'open';
      labels.push('sase:ready');
      conv('status', 'ready->open+label', i.id);
    } else if (i.status === 'snoozed') {
      status = 'deferred';
      deferUntil = i.snooze?.until;
      conv('status', 'snoozed->deferred', i.id);
    }
    const type = i.issue_type === 'plan' ? 'epic' : 'task';
    if (type === 'epic') report.counts.epics++;
    else report.counts.tasks++;
    if (i.issue_type === 'phase') conv('issue_type', 'phase->task+parent-child', i.id);
    if (i.issue_type === 'plan' && i.tier === 'plan') {
      labels.push('sase:tier-plan');
      conv('tier', 'plan->label', i.id);
    }
    if (i.size) labels.push(`size:${i.size}`);
    if (i.task_type) labels.push(`sase:task-type:${i.task_type}`);
    report.counts.labels += labels.length;

    const meta: Record<string, unknown> = {};
    const keep = (k: string, v: unknown, present: boolean): void => {
      if (!present) return;
      meta[k] = v;
      push(report.metadata_fields, k, i.id);
    };
    keep('model', i.model, i.model !== '');
    keep('is_ready_to_work', i.is_ready_to_work, i.is_ready_to_work);
    keep('changespec_name', i.changespec_name, i.changespec_name !== '');
    keep('changespec_bug_id', i.changespec_bug_id, i.changespec_bug_id !== '');
    keep('refs', i.refs, i.refs.length > 0);
    keep('links', i.links, i.links.length > 0);
    keep('plus_one_evidence', i.plus_one_evidence, i.plus_one_evidence.length > 0);
    keep('close_history', i.close_history, i.close_history.length > 0);
    keep('resolution', i.resolution, i.resolution !== null);
    keep('snooze', i.snooze, i.snooze !== null);
    keep('task_type_fields', i.task_type_fields, Object.keys(i.task_type_fields).length > 0);
    if (Object.keys(meta).length) report.counts.with_metadata++;

    const deps: NonNullable<BdIssue['dependencies']> = i.dependencies.map((d) => ({
      issue_id: i.id,
      depends_on_id: d.depends_on_id,
      type: 'blocks',
      created_at: d.created_at,
      created_by: d.created_by,
      metadata: '{}',
    }));
    report.counts.dependencies += deps.length;
    if (i.parent_id) {
      deps.push({ issue_id: i.id, depends_on_id: i.parent_id, type: 'parent-child', created_at: i.created_at, created_by: i.created_by, metadata: '{}' });
      report.counts.parent_child++;
    }
    for (const d of deps) if (!d.created_by) delete d.created_by;

    const row: Record<string, unknown> = { id: i.id, title: i.title };
    const opt = (k: string, v: unknown): void => {
      if (v !== undefined && v !== null && v !== '') row[k] = v;
    };
    opt('description', i.description);
    opt('design', i.design);
    opt('notes', i.notes);
    row.status = status;
    row.priority = 2;
    row.issue_type = type;
    opt('assignee', i.assignee);
    opt('owner', i.owner);
    opt('created_at', i.created_at);
    opt('created_by', i.created_by);
    opt('updated_at', i.updated_at);
    opt('closed_at', i.closed_at);
    opt('close_reason', i.close_reason);
    opt('defer_until', deferUntil);
    opt('external_ref', i.external_ref);
    if (labels.length) row.labels = labels;
    if (deps.length) row.dependencies = deps;
    if (Object.keys(meta).length) row.metadata = meta;
    row.dependency_count = deps.length;
    row.dependent_count = dependents.get(i.id) ?? 0;
    row.comment_count = 0;
    opt('parent', i.parent_id);
    rows.push(row as BdIssue);
  }
  return { rows, report };
}

/** bd JSONL text for rows (compact JSON, one row per line). */
export function renderBdJsonl(rows: readonly BdIssue[]): string {
  return rows.map((r) => JSON.stringify(r) + '\n').join('');
}
