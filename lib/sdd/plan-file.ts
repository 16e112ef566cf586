/**
 * Reading a plan file for execution (what `sase bead work <plan.md>` needs, spec/beads-sdd-changespecs.md §A.6
 * step 1): strict validation with an explicit tier, `launch` mode by default, errors thrown with file/line/field.
 */
import { readFile } from 'node:fs/promises';
import { NotFoundError, InvalidDataError } from '../errors/index.js';
import { writeFileAtomic } from '../store/atomic.js';
import { setFrontmatterField } from './links.js';
import { validatePlan, type PlanDiagnostic, type PlanMode, type PlanTier, type ValidatedPlan } from './plan-schema.js';

/** A validated plan file. */
export interface LoadedPlan {
  path: string;
  plan: ValidatedPlan;
  /** Warnings (e.g. legacy sizes normalised in launch mode). */
  warnings: PlanDiagnostic[];
  text: string;
}

/**
 * Reads and validates `path` as a `tier` plan.
 * @throws NotFoundError (missing file); InvalidDataError (any error diagnostic; location = the first error,
 *   `data.diagnostics` = all of them)
 */
export async function loadPlanFile(path: string, tier: PlanTier, mode: PlanMode = 'launch'): Promise<LoadedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`plan file ${path} does not exist`);
    throw e;
  }
  const r = validatePlan(text, tier, mode);
  if (!r.ok || !r.plan) {
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    const first = errs[0];
    throw new InvalidDataError(`${path} is not a valid ${tier} plan (${errs.length} error(s)): ${first?.code}: ${first?.message}`, {
      location: { file: path, line: first?.line ?? undefined, field: first?.field_path || undefined },
      details: errs.map((d) => `${path}:${d.line ?? 1}: ${d.code}${d.field_path ? ` [${d.field_path}]` : ''} ${d.message}`),
      data: { diagnostics: r.diagnostics },
    });
  }
  return { path, plan: r.plan, warnings: r.diagnostics, text };
}

/** Writes (or replaces) one frontmatter field of a plan file in place, e.g. `bead_id` after epic creation (§A.6 step 5). */
export async function setPlanField(path: string, field: string, value: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  await writeFileAtomic(path, setFrontmatterField(text, field, value));
}
