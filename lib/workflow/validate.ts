/**
 * Compile-time checks of a loaded workflow with SASE's validator messages (`workflow_validator.py`,
 * spec/xprompts.md §6.4; vectors J1–J3): unused inputs and outputs, unused workflow-local xprompts and their
 * inputs, xprompt call arguments against the catalog, references to step output fields that do not exist, and
 * references to steps before they run.
 */
import type { InputSpec } from '../xprompt/types.js';
import { expressionRefs, pyList, templateRefs, xpromptCalls } from './refs.js';
import type { Diagnostic, Workflow, WorkflowStep } from './types.js';

/** Looks up an xprompt's inputs by name (the catalog); undefined for unknown names (they are not checked). */
export type InputLookup = (name: string) => InputSpec[] | undefined;

/** Fields every step result may carry besides its declared output (spec §6.3 "Special fields"). */
const SPECIAL_FIELD_RE = /^(?:_artifact|_raw|_output|_response|_prompt|_chdir|approved|meta_\w+)$/;

/** Every template string of a step (body, conditions, loop expressions), nested parallel steps included. */
export function stepContents(step: WorkflowStep): string[] {
  const out: string[] = [];
  if (step.body !== null) out.push(step.body);
  if (step.if) out.push(step.if);
  if (step.for) out.push(...Object.values(step.for));
  if (step.repeat) out.push(step.repeat.condition);
  if (step.while) out.push(step.while.condition);
  for (const s of step.steps) out.push(...stepContents(s));
  return out;
}

function fieldList(step: WorkflowStep): string {
  const f = step.output?.fields ?? Object.keys(((step.output?.schema as { properties?: object } | undefined)?.properties) ?? {});
  return f.length ? ` ${f.map((x) => `'${x}'`).join(', ')}` : '';
}

/**
 * Runs the semantic checks. Unused inputs/outputs/xprompts are warnings (real SASE workflows such as the built-in
 * `cd` keep outputs the runtime consumes as metadata); everything else is an error.
 * @param lookup catalog lookup for xprompt calls; workflow-local xprompts take priority
 */
export function validateWorkflow(wf: Workflow, lookup: InputLookup = () => undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const diag = (line: number, message: string, code: string): void => {
    out.push({ file: wf.path, line, column: 1, message, severity: code.startsWith('unused-') ? 'warning' : 'error', code });
  };

  // Unused inputs (SASE `_detect_unused_inputs`; `item`/`loop` are loop variables, not inputs).
  const used = new Set<string>();
  for (const s of wf.steps) for (const c of stepContents(s)) for (const r of templateRefs(c)) used.add(r.split('.')[0]!);
  for (const v of Object.values(wf.environment)) for (const r of templateRefs(v)) used.add(r.split('.')[0]!);
  for (const x of Object.values(wf.xprompts)) for (const r of templateRefs(x.content)) used.add(r.split('.')[0]!);
  const unusedInputs = wf.inputs.filter((i) => !used.has(i.name)).map((i) => i.name);
  if (unusedInputs.length > 0) {
    const first = wf.inputs.find((i) => i.name === unusedInputs[0]);
    diag(first?.line ?? 1, `Unused inputs: ${pyList(unusedInputs)}`, 'unused-input');
  }

  // Unused outputs (SASE `_detect_unused_outputs`): the last step (or last post-step of an embeddable workflow) is exempt.
  const usage = new Map<string, { used: boolean; step: WorkflowStep }>();
  for (const s of wf.steps) {
    if (s.output) usage.set(s.name, { used: false, step: s });
    if (s.kind === 'parallel' && !(s.join && s.join !== 'object') && !s.for) {
      for (const n of s.steps) if (n.output) usage.set(`${s.name}.${n.name}`, { used: false, step: n });
    }
  }
  const mark = (content: string): void => {
    for (const ref of templateRefs(content)) {
      const parts = ref.split('.');
      const u = usage.get(parts[0]!);
      if (u) u.used = true;
      if (parts.length > 2) {
        const d = usage.get(`${parts[0]}.${parts[1]}`);
        if (d) d.used = true;
      }
    }
  };
  for (const s of wf.steps) for (const c of stepContents(s)) mark(c);
  for (const x of Object.values(wf.xprompts)) mark(x.content);
  for (const v of Object.values(wf.environment)) mark(v);
  const ppIndex = wf.steps.findIndex((s) => s.kind === 'prompt_part');
  const last = ppIndex >= 0 ? (ppIndex < wf.steps.length - 1 ? wf.steps[wf.steps.length - 1] : undefined) : wf.steps[wf.steps.length - 1];
  const exempt = new Set<string>();
  if (last) {
    exempt.add(last.name);
    for (const n of last.steps) exempt.add(`${last.name}.${n.name}`);
  }
  for (const [key, u] of usage) {
    if (!u.used && !exempt.has(key)) diag(u.step.line, `Step '${key}' has output${fieldList(u.step)} but is never referenced`, 'unused-output');
  }

  // Workflow-local xprompts: unused ones and their unused inputs.
  const localNames = new Set(Object.keys(wf.xprompts));
  if (localNames.size > 0) {
    const referenced = new Set<string>();
    const scan = (c: string): void => {
      for (const call of xpromptCalls(c)) if (localNames.has(call.name)) referenced.add(call.name);
    };
    for (const s of wf.steps) for (const c of stepContents(s)) scan(c);
    for (const x of Object.values(wf.xprompts)) scan(x.content);
    for (const [name, x] of Object.entries(wf.xprompts)) {
      if (!referenced.has(name)) diag(x.line, `Workflow-local xprompt '${name}' is defined but never referenced`, 'unused-xprompt');
      const vars = new Set(templateRefs(x.content).map((r) => r.split('.')[0]!));
      for (const i of x.inputs) {
        if (!vars.has(i.name)) diag(i.line ?? x.line, `Xprompt '${name}' input '${i.name}' is defined but never referenced in its content`, 'unused-xprompt-input');
      }
    }
  }

  // Xprompt calls against their definitions (SASE `_validate_xprompt_call`).
  const inputsOf = (name: string): InputSpec[] | undefined => wf.xprompts[name]?.inputs ?? lookup(name);
  const checkCalls = (step: WorkflowStep): void => {
    for (const c of stepContents(step)) {
      for (const call of xpromptCalls(c)) {
        const inputs = inputsOf(call.name);
        if (!inputs) continue;
        if (call.positional.length > inputs.length) {
          diag(step.line, `Step '${step.name}': #${call.name} has ${call.positional.length} positional args but only ${inputs.length} inputs defined`, 'call-positional');
        }
        const names = inputs.map((i) => i.name);
        for (const k of Object.keys(call.named)) {
          if (!names.includes(k)) diag(step.line, `Step '${step.name}': #${call.name} has no input named '${k}'. Available: ${pyList([...names].sort())}`, 'call-unknown-arg');
        }
        const provided = new Set(Object.keys(call.named));
        call.positional.forEach((_, i) => inputs[i] && provided.add(inputs[i]!.name));
        const missing = inputs.filter((i) => i.required && !provided.has(i.name)).map((i) => i.name);
        if (missing.length > 0) diag(step.line, `Step '${step.name}': #${call.name} missing required args: ${pyList(missing)}`, 'call-missing-arg');
      }
    }
  };
  for (const s of wf.steps) checkCalls(s);

  // Step references: unknown output fields (J1) and references before a step runs.
  const index = new Map<string, number>();
  wf.steps.forEach((s, i) => index.set(s.name, i));
  const byName = new Map(wf.steps.map((s) => [s.name, s]));
  const inputNames = new Set(wf.inputs.map((x) => x.name));
  wf.steps.forEach((step, i) => {
    const loopVars = new Set(Object.keys(step.for ?? {}));
    const selfOk = new Set<string>();
    const contents: Array<[string, boolean]> = [];
    if (step.body !== null) contents.push([step.body, false]);
    if (step.if) contents.push([step.if, false]);
    for (const v of Object.values(step.for ?? {})) contents.push([v, false]);
    if (step.repeat) contents.push([step.repeat.condition, true]);
    if (step.while) contents.push([step.while.condition, true]);
    for (const n of step.steps) for (const c of stepContents(n)) contents.push([c, false]);
    for (const [content, allowSelf] of contents) {
      for (const { ref } of expressionRefs(content)) {
        const parts = ref.split('.');
        const head = parts[0]!;
        if (loopVars.has(head) || !byName.has(head)) continue;
        const j = index.get(head)!;
        if (j >= i && inputNames.has(head)) continue; // the input of that name, not the later step
        if (j > i || (j === i && !(allowSelf || selfOk.has(head)))) {
          if (!(j === i && allowSelf)) diag(step.line, `Step '${step.name}' references step '${head}' before it executes`, 'forward-reference');
          continue;
        }
        const target = byName.get(head)!;
        const field = parts[1];
        if (!field || SPECIAL_FIELD_RE.test(field)) continue;
        if (target.kind === 'parallel') {
          const nested = target.steps.find((n) => n.name === field);
          if (!nested && !target.for && (!target.join || target.join === 'object')) {
            diag(step.line, `Step '${step.name}': references '${head}.${field}' but parallel step '${head}' has no nested step '${field}'. Available: ${pyList(target.steps.map((n) => n.name))}`, 'unknown-field');
          }
          const sub = parts[2];
          if (nested && sub && !SPECIAL_FIELD_RE.test(sub) && nested.output?.fields && !nested.output.fields.includes(sub)) {
            diag(step.line, `Step '${step.name}': references '${head}.${field}.${sub}' but '${head}.${field}' output has no field '${sub}'. Available: ${pyList(nested.output.fields)}`, 'unknown-field');
          }
          continue;
        }
        if (target.for || target.join || !target.output?.fields) continue;
        if (!target.output.fields.includes(field)) {
          diag(step.line, `Step '${step.name}': references '${head}.${field}' but '${head}' output has no field '${field}'. Available: ${pyList(target.output.fields)}`, 'unknown-field');
        }
      }
    }
  });
  return out;
}
