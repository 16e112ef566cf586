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

/** Plan tier a caller validates against. */
export type PlanTier = 'tale' | 'epic';
/** `authoring`: every current field required. `launch`: legacy sizes accepted with warnings. */
export type PlanMode = 'authoring' | 'launch';

/** Tale sizes. */
export const TALE_SIZES = ['xsmall', 'small', 'medium'] as const;
/** Phase sizes. */
export const PHASE_SIZES = ['xsmall', 'small', 'medium', 'large', 'xlarge'] as const;

const COMMON_FIELDS = ['tier', 'title', 'goal', 'model'];
const TALE_FIELDS = ['size'];
const TRANSIENT_FIELDS = ['links'];
const SYSTEM_FIELDS = ['create_time', 'status', 'prompt', 'bead', 'proposed_by', 'parent', 'bead_id'];
const EPIC_FIELDS = ['phases', 'patch', 'changespec', 'bug_id', 'parent_bead'];
const PHASE_FIELDS = ['id', 'title', 'depends_on', 'description', 'size', 'model'];

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

type Yv = unknown;

function typeName(v: Yv): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'mapping';
  return 'tagged value';
}

/** True for a lowercase slug: letters/digits separated by single `-`/`_`, none leading or trailing. */
export function isPhaseSlug(s: string): boolean {
  return /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(s);
}

/** Maps field paths to the document line of their YAML key (best effort; block-style YAML). */
class LineIndex {
  private readonly lines = new Map<string, number>();

  constructor(yaml: string) {
    let inPhases = false;
    let phase = -1;
    yaml.split('\n').forEach((raw0, i) => {
      const raw = raw0.replace(/\r$/, '');
      const fileLine = i + 2;
      const t = raw.trimStart();
      if (t === '' || t.startsWith('#')) return;
      const indent = raw.length - t.length;
      if (indent === 0) {
        phase = -1;
        const key = yamlKey(t);
        if (key !== null) {
          if (!this.lines.has(key)) this.lines.set(key, fileLine);
          inPhases = key === 'phases';
        } else inPhases = false;
        return;
      }
      if (!inPhases) return;
      if (t.startsWith('-')) {
        phase += 1;
        this.lines.set(`phases[${phase}]`, fileLine);
        const key = yamlKey(t.slice(1).trimStart());
        if (key !== null) this.lines.set(`phases[${phase}].${key}`, fileLine);
      } else if (phase >= 0) {
        const key = yamlKey(t);
        if (key !== null) this.lines.set(`phases[${phase}].${key}`, fileLine);
      }
    });
  }

  lineFor(path: string): number {
    if (path === '') return 1;
    let c = path;
    for (;;) {
      const hit = this.lines.get(c);
      if (hit !== undefined) return hit;
      if (c.endsWith(']') && c.lastIndexOf('[') > 0) {
        c = c.slice(0, c.lastIndexOf('['));
        continue;
      }
      if (c.lastIndexOf('.') > 0) {
        c = c.slice(0, c.lastIndexOf('.'));
        continue;
      }
      return 1;
    }
  }
}

function yamlKey(text: string): string | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const key = text.slice(0, colon).trim();
  if (key === '' || key.startsWith('{') || key.startsWith('[')) return null;
  const q = /^"(.*)"$/.exec(key) ?? /^'(.*)'$/.exec(key);
  return q ? q[1]! : key;
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

type Push = (severity: PlanDiagnostic['severity'], code: string, field: string, message: string) => void;

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

function validatePhases(
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
