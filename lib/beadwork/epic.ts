/**
 * Epic plan → beads (spec/beads-sdd-changespecs.md §A.6 steps 1–5): validate the plan strictly (tier epic, launch
 * mode), resume the epic named by a valid `bead_id`, else create the epic bead (`issue_type=plan, tier=epic,
 * title, description=goal, design=<plan path>, model`, parent = `parent_bead` when it exists) and one phase bead per
 * `phases[]` entry in list order (title, size, model; description = the authored one or the deterministic pointer
 * "Phase `<id>` in approved epic plan `<path>`."), then one `dependency_added` per `depends_on` edge — all in one
 * store write — and finally write `bead_id` into the plan frontmatter.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { InvalidDataError } from '../errors/index.js';
import { storeExists } from '../beads/paths.js';
import type { BeadIssue, BeadSize } from '../beads/types.js';
import { findRepoRoot } from '../store/paths.js';
import { splitDocument } from '../sdd/document.js';
import { loadPlanFile, setPlanField, type LoadedPlan } from '../sdd/plan-file.js';

/** Options of store writes made by bead work. */
export interface StoreWriteContext {
  storeDir: string;
  actor: string;
  now: () => Date;
}

/** The epic and its phase beads, keyed by the plan's phase ids. */
export interface MaterializedEpic {
  epic: string;
  created: boolean;
  plan: LoadedPlan;
  /** Plan phase id → phase bead id, in plan order. */
  phases: Array<{ phase: string; bead: string }>;
  /** The plan path as recorded in the epic bead's `design` (repo-relative when inside a repo). */
  design: string;
}

/** The `bead_id` frontmatter value of a plan, or null. */
export function planBeadId(text: string): string | null {
  const d = splitDocument(text);
  if (!d.closed) return null;
  const m = /^bead_id:\s*['"]?([^'"\s#]+)['"]?\s*$/m.exec(d.yaml);
  return m ? m[1]! : null;
}

/** The plan path to record in `design`: relative to the repository holding it, else absolute. */
export function designPath(planPath: string): string {
  const repo = findRepoRoot(dirname(planPath));
  return repo ? relative(repo, planPath).split(sep).join('/') : planPath;
}

/** Phase beads of an epic, in creation (= plan) order. */
export function phaseBeadsOf(epic: string, issues: readonly BeadIssue[]): BeadIssue[] {
  const n = (id: string): number => Number(id.slice(epic.length + 1));
  return issues.filter((i) => i.parent_id === epic && i.issue_type === 'phase').sort((a, b) => n(a.id) - n(b.id));
}

/**
 * Creates (or finds) the beads of an approved epic plan.
 * @throws NotFoundError (no plan file), InvalidDataError (strict schema errors, or a `bead_id` whose epic no longer
 *   matches the plan's phases), LockedError (store busy)
 */
export async function materializeEpic(planPath: string, w: StoreWriteContext): Promise<MaterializedEpic> {
  const plan = await loadPlanFile(planPath, 'epic', 'launch');
  const design = designPath(planPath);
  if (!storeExists(w.storeDir)) {
    const { initStore } = await import('../beads/init.js');
    await initStore(w.storeDir);
  }
  const { mutateStore } = await import('../beads/write.js');
  const { loadIssues } = await import('../beads/load.js');
  const existing = planBeadId(plan.text);
  if (existing) {
    const issues = await loadIssues(w.storeDir, { noCache: true });
    const epic = issues.find((i) => i.id === existing);
    if (epic && epic.issue_type === 'plan') {
      const beads = phaseBeadsOf(epic.id, issues);
      if (beads.length !== plan.plan.phases.length) {
        throw new InvalidDataError(`${planPath}: bead_id ${existing} has ${beads.length} phase bead(s) but the plan has ${plan.plan.phases.length} phase(s)`, {
          location: { file: planPath, field: 'bead_id' },
          hint: 'remove bead_id from the plan to create a new epic',
        });
      }
      return { epic: epic.id, created: false, plan, phases: plan.plan.phases.map((p, i) => ({ phase: p.id, bead: beads[i]!.id })), design };
    }
  }
  const { createBead, addDependency } = await import('../beads/mutations.js');
  const r = await mutateStore(
    w.storeDir,
    (ctx) => {
      const p = plan.plan;
      const parent = p.parent_bead && ctx.issues.has(p.parent_bead) && ctx.issues.get(p.parent_bead)!.issue_type !== 'task' ? p.parent_bead : undefined;
      const epic = createBead(ctx, { type: 'plan', tier: 'epic', title: p.title, description: p.goal, design, model: p.model ?? undefined, parent }).id;
      const ids = new Map<string, string>();
      for (const ph of p.phases) {
        const id = createBead(ctx, {
          type: 'phase',
          parent: epic,
          title: ph.title,
          size: ph.size as BeadSize,
          model: ph.model ?? undefined,
          description: ph.description ?? `Phase \`${ph.id}\` in approved epic plan \`${design}\`.`,
        }).id;
        ids.set(ph.id, id);
      }
      for (const ph of p.phases) for (const d of ph.depends_on) addDependency(ctx, ids.get(ph.id)!, ids.get(d)!);
      return { epic, phases: p.phases.map((ph) => ({ phase: ph.id, bead: ids.get(ph.id)! })) };
    },
    { actor: w.actor, now: w.now, operation: 'bead work', wait: true, timeoutMs: 60_000 },
  );
  await setPlanField(planPath, 'bead_id', r.result.epic);
  const text = existsSync(planPath) ? readFileSync(planPath, 'utf8') : plan.text;
  return { epic: r.result.epic, created: true, plan: { ...plan, text }, phases: r.result.phases, design };
}
