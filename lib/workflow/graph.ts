/**
 * Rendering a workflow's step graph for `sase xprompt graph`: plain text, or a Mermaid flowchart (parallel steps as
 * subgraphs, step-type shapes, control-flow annotations). spec/xprompts.md §7 (`graph`); the exact SASE Mermaid
 * text is unspecified (§9), so this layout is our own.
 */
import type { Workflow, WorkflowStep } from './types.js';

/** Short control-flow annotations of a step, e.g. `if`, `for item`, `while ≤100`, `join:text`, `hitl`. */
export function stepAnnotations(s: WorkflowStep): string[] {
  const a: string[] = [];
  if (s.if) a.push(`if ${s.if.trim()}`);
  if (s.for) a.push(`for ${Object.keys(s.for).join(', ')}`);
  if (s.while) a.push(`while ${s.while.condition.trim()} (max ${s.while.max})`);
  if (s.repeat) a.push(`repeat until ${s.repeat.condition.trim()} (max ${s.repeat.max})`);
  if (s.join) a.push(`join:${s.join}`);
  if (s.kind === 'parallel' && !s.failFast) a.push('fail_fast:false');
  if (s.hitl) a.push('hitl');
  if (s.finally) a.push('finally');
  if (s.hidden) a.push('hidden');
  if (s.artifact) a.push('artifact:stdout');
  if (s.use) a.push(`use:${s.use.ref}`);
  return a;
}

function outputSummary(s: WorkflowStep): string {
  if (!s.output) return '';
  if (s.output.fields) return ` -> {${s.output.fields.join(', ')}}`;
  return s.output.schema.type === 'array' ? ' -> [array]' : ' -> {schema}';
}

/** Plain-text rendering: one numbered line per step, nested parallel steps indented, annotations in brackets. */
export function renderGraphText(wf: Workflow, displayName = wf.name): string {
  const lines = [`${displayName} (${wf.kind === 'embeddable_workflow' ? 'embeddable' : 'standalone'} workflow, ${wf.steps.length} step${wf.steps.length === 1 ? '' : 's'})`];
  if (wf.inputs.length) lines.push(`inputs: ${wf.inputs.map((i) => `${i.name}: ${i.type}${i.required ? '' : '?'}`).join(', ')}`);
  wf.steps.forEach((s, i) => {
    const ann = stepAnnotations(s);
    lines.push(`${i + 1}. ${s.name} [${s.kind}]${ann.length ? ` (${ann.join('; ')})` : ''}${outputSummary(s)}`);
    s.steps.forEach((n, j) => {
      const nann = stepAnnotations(n);
      lines.push(`   ${j === s.steps.length - 1 ? '└─' : '├─'} ${n.name} [${n.kind}]${nann.length ? ` (${nann.join('; ')})` : ''}${outputSummary(n)}`);
    });
  });
  return lines.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/\n/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function nodeId(...parts: string[]): string {
  return 's_' + parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

function node(id: string, s: WorkflowStep): string {
  const ann = stepAnnotations(s).filter((a) => !a.startsWith('while') && !a.startsWith('repeat'));
  const label = esc(`${s.name}\n${s.kind}${ann.length ? ` · ${ann.join(' · ')}` : ''}`).replace(' ', '<br/>');
  switch (s.kind) {
    case 'agent':
      return `${id}(["${label}"])`;
    case 'prompt_part':
      return `${id}{{"${label}"}}`;
    case 'bash':
    case 'python':
      return `${id}["${label}"]`;
    default:
      return `${id}["${label}"]`;
  }
}

/**
 * Mermaid flowchart (top-down): `start` → steps in order → `finish`; a parallel step is a subgraph whose nested
 * steps fan out and join; `while`/`repeat` loops are self-edges labelled with their condition; `if` steps get a
 * dotted skip edge to the next step.
 */
export function renderGraphMermaid(wf: Workflow): string {
  const out = ['flowchart TD', '  start((start))'];
  const ids: Array<{ entry: string[]; exit: string[]; step: WorkflowStep }> = [];
  for (const s of wf.steps) {
    const id = nodeId(s.name);
    if (s.kind === 'parallel') {
      const ann = stepAnnotations(s);
      out.push(`  subgraph ${id}["${esc(`${s.name} (parallel${ann.length ? ` · ${ann.join(' · ')}` : ''})`)}"]`);
      const nested = s.steps.map((n) => nodeId(s.name, n.name));
      s.steps.forEach((n, j) => out.push(`    ${node(nested[j]!, n)}`));
      out.push('  end');
      ids.push({ entry: nested, exit: nested, step: s });
    } else {
      out.push(`  ${node(id, s)}`);
      ids.push({ entry: [id], exit: [id], step: s });
    }
  }
  out.push('  finish((end))');
  let prev = ['start'];
  ids.forEach((cur, i) => {
    for (const p of prev) for (const e of cur.entry) out.push(`  ${p} --> ${e}`);
    const s = cur.step;
    const loop = s.while ? `while ${s.while.condition.trim()}` : s.repeat ? `until ${s.repeat.condition.trim()}` : null;
    if (loop) out.push(`  ${cur.exit[0]} -->|"${esc(loop)}"| ${cur.entry[0]}`);
    if (s.if) {
      const next = ids[i + 1]?.entry ?? ['finish'];
      for (const p of prev) out.push(`  ${p} -.->|"${esc('skip unless ' + s.if.trim())}"| ${next[0]}`);
    }
    prev = cur.exit;
  });
  for (const p of prev) out.push(`  ${p} --> finish`);
  return out.join('\n') + '\n';
}
