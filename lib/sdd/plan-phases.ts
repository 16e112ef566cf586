/**
 * Epic phases of the plan schema (lib/sdd/plan-schema.ts): the phase list, each phase's fields, id slug,
 * dependencies and size, with SASE's diagnostic codes. spec/beads-sdd-changespecs.md §A.3 (sase-core
 * `plan/validate.rs`).
 */
import type { PlanDiagnostic, PlanMode, PlanPhase } from './plan-schema.js';
import { typeName, type Yv } from './plan-yaml.js';

/** Phase sizes. */
export const PHASE_SIZES = ['xsmall', 'small', 'medium', 'large', 'xlarge'] as const;

const PHASE_FIELDS = ['id', 'title', 'depends_on', 'description', 'size', 'model'];

/** Reports one diagnostic (severity, SASE code, field path, message). */
export type Push = (severity: PlanDiagnostic['severity'], code: string, field: string, message: string) => void;

/** True for a lowercase slug: letters/digits separated by single `-`/`_`, none leading or trailing. */
export function isPhaseSlug(s: string): boolean {
  return /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(s);
}

/**
 * Validates the `phases` list of an epic and returns the normalised phases (every problem reported through `push`).
 */
export function validatePhases(
  m: Map<unknown, Yv>,
  mode: PlanMode,
  push: Push,
  nonEmpty: (v: Yv, key: string, field: string) => string | null,
  optionalModel: (map: Map<unknown, Yv>, key: string, field?: string) => string | null,
): PlanPhase[] {
  if (!m.has('phases')) {
    push('error', 'required-missing', 'phases', 'required field `phases` is missing');
    return [];
  }
  const seq = m.get('phases');
  if (!Array.isArray(seq)) {
    push('error', 'type-mismatch', 'phases', `\`phases\` must be a list, not ${typeName(seq)}`);
    return [];
  }
  if (seq.length === 0) {
    push('error', 'phases-empty', 'phases', 'an epic needs at least one phase');
    return [];
  }
  const ids: Array<string | null> = seq.map(() => null);
  const first = new Map<string, number>();
  seq.forEach((entry, i) => {
    const path = `phases[${i}]`;
    if (!(entry instanceof Map)) {
      push('error', 'phase-type-mismatch', path, `a phase must be a mapping, not ${typeName(entry)}`);
      return;
    }
    for (const key of entry.keys()) {
      if (typeof key !== 'string') push('error', 'unknown-key', path, 'phase keys must be strings');
      else if (!PHASE_FIELDS.includes(key)) push('error', 'unknown-key', `${path}.${key}`, `unknown phase field \`${key}\``);
    }
    const idPath = `${path}.id`;
    if (!entry.has('id')) {
      push('error', 'required-missing', idPath, 'required field `id` is missing');
      return;
    }
    const id = nonEmpty(entry.get('id'), 'id', idPath);
    if (id === null) return;
    if (!isPhaseSlug(id)) push('error', 'phase-id-invalid', idPath, 'phase `id` must be a lowercase slug (letters, digits, single `-` or `_`)');
    const prev = first.get(id);
    if (prev !== undefined) push('error', 'phase-id-duplicate', idPath, `phase id \`${id}\` is already used by phases[${prev}]`);
    else first.set(id, i);
    ids[i] = id;
  });

  const phases: PlanPhase[] = [];
  seq.forEach((entry, i) => {
    if (!(entry instanceof Map)) return;
    const path = `phases[${i}]`;
    let title: string | null = null;
    if (!entry.has('title')) push('error', 'required-missing', `${path}.title`, 'required field `title` is missing');
    else title = nonEmpty(entry.get('title'), 'title', `${path}.title`);
    const deps = validateDeps(entry, i, ids, push);
    const descPath = `${path}.description`;
    let description: string | null = null;
    if (!entry.has('description')) {
      push('warning', 'phase-description-missing', descPath, `phase \`${ids[i] ?? '<unknown>'}\` has no \`description\`; name its section of the plan body and summarise it`);
    } else {
      const d = entry.get('description');
      if (typeof d === 'string') description = d;
      else push('error', 'type-mismatch', descPath, `\`description\` must be a string, not ${typeName(d)}`);
    }
    const size = validatePhaseSize(entry, i, mode, push);
    const model = optionalModel(entry, 'model', `${path}.model`);
    phases.push({ id: ids[i] ?? '', title: title ?? '', depends_on: deps, description, size, model });
  });
  return phases;
}

function validateDeps(entry: Map<unknown, Yv>, i: number, ids: Array<string | null>, push: Push): string[] {
  const path = `phases[${i}].depends_on`;
  if (!entry.has('depends_on')) {
    push('error', 'required-missing', path, 'required field `depends_on` is missing (use [] for none)');
    return [];
  }
  const seq = entry.get('depends_on');
  if (!Array.isArray(seq)) {
    push('error', 'type-mismatch', path, `\`depends_on\` must be a list, not ${typeName(seq)}`);
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  seq.forEach((raw, j) => {
    const p = `${path}[${j}]`;
    if (typeof raw !== 'string') {
      push('error', 'type-mismatch', p, `a dependency must be a string, not ${typeName(raw)}`);
      return;
    }
    const dep = raw.trim();
    if (dep === '') {
      push('error', 'value-empty', p, 'a dependency must not be empty');
      return;
    }
    if (seen.has(dep)) push('error', 'dep-duplicate', p, `dependency \`${dep}\` is listed twice`);
    seen.add(dep);
    if (ids[i] === dep) push('error', 'dep-self', p, `phase \`${dep}\` depends on itself`);
    else {
      const target = ids.indexOf(dep);
      if (target < 0) push('error', 'dep-unknown', p, `dependency \`${dep}\` is not a phase id`);
      else if (target >= i) push('error', 'dep-forward', p, `dependency \`${dep}\` must be listed before the phase that needs it`);
    }
    out.push(dep);
  });
  return out;
}

function validatePhaseSize(entry: Map<unknown, Yv>, i: number, mode: PlanMode, push: Push): string {
  const path = `phases[${i}].size`;
  if (!entry.has('size')) {
    if (mode === 'authoring') {
      push('error', 'phase-size-missing', path, 'required phase field `size` is missing (xsmall, small, medium, large or xlarge)');
      return '';
    }
    push('warning', 'phase-size-missing', path, 'legacy phase without `size`; launching it as `small`');
    return 'small';
  }
  const v = entry.get('size');
  if (typeof v !== 'string') {
    push('error', 'phase-size-invalid', path, `phase \`size\` must be xsmall, small, medium, large or xlarge, not ${typeName(v)}`);
    return '';
  }
  const s = v.trim();
  if (!(PHASE_SIZES as readonly string[]).includes(s)) {
    push('error', 'phase-size-invalid', path, `phase \`size\` must be xsmall, small, medium, large or xlarge, not \`${s}\``);
    return '';
  }
  return s;
}
