/**
 * The strict plan schema (Gen 3): validates one complete markdown plan against an explicit tier (`tale`|`epic`) and
 * mode (`authoring` = strict, `launch` = tolerant of legacy sizes), reporting every independent problem with SASE's
 * diagnostic codes, the field path and the document line. Warnings never make `ok` false.
 * Source of every rule and code: spec/beads-sdd-changespecs.md §A.3 (sase-core `plan/validate.rs`).
 */
import YAML from 'yaml';
import { splitDocument } from './document.js';
import { parseHeaderBlock } from './header-block.js';
import type { Severity } from './diagnostics.js';
import { PHASE_SIZES, isPhaseSlug, validatePhases, type Push } from './plan-phases.js';
import { LineIndex, typeName, type Yv } from './plan-yaml.js';

export { PHASE_SIZES, isPhaseSlug };

/** Plan tier a caller validates against. */
export type PlanTier = 'tale' | 'epic';
/** `authoring`: every current field required. `launch`: legacy sizes accepted with warnings. */
export type PlanMode = 'authoring' | 'launch';

/** Tale sizes. */
export const TALE_SIZES = ['xsmall', 'small', 'medium'] as const;

const COMMON_FIELDS = ['tier', 'title', 'goal', 'model'];
const TALE_FIELDS = ['size'];
const TRANSIENT_FIELDS = ['links'];
const SYSTEM_FIELDS = ['create_time', 'status', 'prompt', 'bead', 'proposed_by', 'parent', 'bead_id'];
const EPIC_FIELDS = ['phases', 'patch', 'changespec', 'bug_id', 'parent_bead'];

/** One plan-schema problem (SASE wire shape: `field_path`, nullable `line`). */
export interface PlanDiagnostic {
  severity: Exclude<Severity, 'info'>;
  code: string;
  field_path: string;
  message: string;
  line: number | null;
}

/** A normalised epic phase. */
export interface PlanPhase {
  id: string;
  title: string;
  depends_on: string[];
  description: string | null;
  size: string;
  model: string | null;
}

/** The normalised plan, present only when there are no errors. */
export interface ValidatedPlan {
  tier: PlanTier;
  title: string;
  goal: string;
  size: string | null;
  model: string | null;
  phases: PlanPhase[];
  /** `patch` or its legacy alias `changespec`. */
  changespec: string | null;
  bug_id: number | null;
  parent_bead: string | null;
  bead: string | null;
  proposed_by: string | null;
  parent: string | null;
}

/** Result of {@link validatePlan}. */
export interface PlanValidation {
  schema_version: 1;
  ok: boolean;
  diagnostics: PlanDiagnostic[];
  plan: ValidatedPlan | null;
}

/**
 * Validates a plan document.
 * @param content the whole file text
 * @param tier the tier the caller expects (`tier:` must equal it)
 * @param mode `authoring` (default) or `launch`
 * @returns every diagnostic, in SASE's order; `plan` only when there is no error
 */
export function validatePlan(content: string, tier: PlanTier, mode: PlanMode = 'authoring'): PlanValidation {
  const diags: PlanDiagnostic[] = [];
  const finish = (plan: ValidatedPlan | null): PlanValidation => {
    const ok = !diags.some((d) => d.severity === 'error');
    return { schema_version: 1, ok, diagnostics: diags, plan: ok ? plan : null };
  };
  const direct = (severity: PlanDiagnostic['severity'], code: string, field: string, message: string, line: number | null): void => {
    diags.push({ severity, code, field_path: field, message, line });
  };

  const doc = splitDocument(content);
  if (!doc.opens) {
    direct('error', 'frontmatter-missing', '', 'frontmatter must start with `---` on the first line (byte 0)', 1);
    return finish(null);
  }
  if (!doc.closed) {
    direct('error', 'frontmatter-unclosed', '', 'frontmatter has no closing `---` line', 1);
    return finish(null);
  }
  const index = new LineIndex(doc.yaml);
  const push = (severity: PlanDiagnostic['severity'], code: string, field: string, message: string): void =>
    direct(severity, code, field, message, index.lineFor(field));

  if (doc.body.trim() === '') direct('error', 'body-empty', '', 'the plan body after the frontmatter is empty', null);
  const header = parseHeaderBlock(doc.body, doc.bodyLine);
  if (header.problem) {
    direct(
      'error',
      'header-invalid',
      '',
      `plan header block does not parse: ${header.problem.reason}. The header block belongs to SASE: a link section ` +
        '(PLAN, PROMPT, PARENT, BEAD) is a bold key with exactly one Markdown link, a list section (AGENTS, ARTIFACTS, ' +
        'COMMITS) is a bare bold key with indented bullets; remove hand-written text and let SASE regenerate it.',
      header.problem.line,
    );
  }

  const parsed = YAML.parseDocument(doc.yaml);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    const pos = e.linePos?.[0];
    direct('error', 'yaml-invalid', '', `frontmatter is not valid YAML: ${e.message.split('\n')[0]}`, pos ? pos.line + 1 : null);
    return finish(null);
  }
  let value: Yv;
  try {
    value = parsed.toJS({ mapAsMap: true }) as Yv;
  } catch (e) {
    // e.g. an alias whose anchor is never defined
    direct('error', 'yaml-invalid', '', `frontmatter is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
    return finish(null);
  }
  if (!(value instanceof Map)) {
    direct('error', 'frontmatter-not-mapping', '', 'frontmatter must be a YAML mapping', 2);
    return finish(null);
  }
  const m = value as Map<unknown, Yv>;

  // Top-level keys.
  for (const key of m.keys()) {
    if (typeof key !== 'string') {
      direct('error', 'unknown-key', '', 'frontmatter keys must be strings', 2);
      continue;
    }
    if (COMMON_FIELDS.includes(key) || TRANSIENT_FIELDS.includes(key) || SYSTEM_FIELDS.includes(key)) continue;
    if (TALE_FIELDS.includes(key)) {
      if (tier === 'epic') push('error', 'unknown-key', key, `\`${key}\` is a tale-only field and is not allowed in an epic`);
      continue;
    }
    if (EPIC_FIELDS.includes(key)) {
      if (tier === 'tale') push('warning', 'tale-inert-field', key, `\`${key}\` is an epic-only field and has no effect in a tale`);
      continue;
    }
    push('error', 'unknown-key', key, `unknown frontmatter field \`${key}\``);
  }

  const nonEmpty = (v: Yv, key: string, field: string): string | null => {
    if (typeof v !== 'string') {
      push('error', 'type-mismatch', field, `\`${key}\` must be a string, not ${typeName(v)}`);
      return null;
    }
    const s = v.trim();
    if (s === '') {
      push('error', 'value-empty', field, `\`${key}\` must not be empty`);
      return null;
    }
    return s;
  };
  const required = (map: Map<unknown, Yv>, key: string, field = key): string | null => {
    if (!map.has(key)) {
      push('error', 'required-missing', field, `required field \`${key}\` is missing`);
      return null;
    }
    return nonEmpty(map.get(key), key, field);
  };
  const optional = (map: Map<unknown, Yv>, key: string, field = key): string | null =>
    map.has(key) ? nonEmpty(map.get(key), key, field) : null;
  const optionalModel = (map: Map<unknown, Yv>, key: string, field = key): string | null => {
    const s = optional(map, key, field);
    if (s === null) return null;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) {
      push('error', 'model-invalid', field, 'model must not contain control characters');
      return null;
    }
    return s;
  };

  // tier
  let authoredTier: PlanTier | null = null;
  const tierValue = required(m, 'tier');
  if (tierValue !== null) {
    if (tierValue !== 'tale' && tierValue !== 'epic') {
      push('error', 'tier-invalid', 'tier', '`tier` must be `tale` or `epic`');
    } else {
      authoredTier = tierValue;
      if (tierValue !== tier) push('error', 'tier-mismatch', 'tier', `the plan says tier \`${tierValue}\` but was validated as \`${tier}\``);
    }
  }
  const title = required(m, 'title');
  const goal = required(m, 'goal');
  const size = tier === 'tale' ? validateTaleSize(m, mode, push) : null;
  const model = optionalModel(m, 'model');
  const bead = optional(m, 'bead');
  const proposedBy = optional(m, 'proposed_by');
  const parent = optional(m, 'parent');
  if (parent !== null) {
    push('warning', 'parent-frontmatter-deprecated', 'parent', '`parent` frontmatter is deprecated; the PARENT header bullet carries the parent link');
  }

  let phases: PlanPhase[] = [];
  let changespec: string | null = null;
  let bugId: number | null = null;
  let parentBead: string | null = null;
  if (tier === 'epic') {
    changespec = optional(m, 'patch') ?? optional(m, 'changespec');
    if (m.has('bug_id')) {
      const v = m.get('bug_id');
      if (typeof v === 'number' && Number.isInteger(v)) bugId = v;
      else push('error', 'type-mismatch', 'bug_id', `\`bug_id\` must be an integer, not ${typeName(v)}`);
      if (changespec === null) push('error', 'bug-id-without-patch', 'bug_id', '`bug_id` needs a non-empty `patch` (ChangeSpec name)');
    }
    parentBead = optional(m, 'parent_bead');
    phases = validatePhases(m, mode, push, nonEmpty, optionalModel);
  }

  const hasErrors = diags.some((d) => d.severity === 'error');
  return finish(
    hasErrors
      ? null
      : {
          tier: authoredTier!,
          title: title!,
          goal: goal!,
          size,
          model,
          phases,
          changespec,
          bug_id: bugId,
          parent_bead: parentBead,
          bead,
          proposed_by: proposedBy,
          parent,
        },
  );
}

function validateTaleSize(m: Map<unknown, Yv>, mode: PlanMode, push: Push): string | null {
  if (!m.has('size')) {
    if (mode === 'authoring') {
      push('error', 'tale-size-missing', 'size', 'required tale field `size` is missing (xsmall, small or medium)');
      return null;
    }
    push('warning', 'tale-size-missing', 'size', 'legacy tale without `size`; launching it as `medium`');
    return 'medium';
  }
  const v = m.get('size');
  if (typeof v !== 'string') {
    push('error', 'tale-size-invalid', 'size', `tale \`size\` must be xsmall, small or medium, not ${typeName(v)}`);
    return null;
  }
  const s = v.trim();
  if ((TALE_SIZES as readonly string[]).includes(s)) return s;
  if (mode === 'launch' && (s === 'large' || s === 'xlarge')) {
    push('warning', 'tale-size-invalid', 'size', `legacy tale \`size: ${s}\`; launching it as \`medium\``);
    return 'medium';
  }
  push(
    'error',
    'tale-size-invalid',
    'size',
    `tale \`size\` must be xsmall, small or medium, not \`${s}\`; work of size large or xlarge belongs in an epic plan`,
  );
  return null;
}
