/**
 * The prompt ↔ plan-like link graph: resolution of link values, the link rules of `sase sdd validate`, the rows of
 * `sase sdd links`, and the fixes `sase sdd repair-links` proposes.
 * Rules (spec/beads-sdd-changespecs.md §A.4): 1 frontmatter parses; 2 `prompt:`/`plan:` are strings; 3 the target
 * exists; 4 the target is the opposite kind; 5 both links agree; 6 an inferable counterpart (same `<YYYYMM>/<name>`)
 * with a missing link is an error; 7 unpaired/ambiguous files warn (`--strict`: error); 8 an allowlist of legacy
 * files downgrades their errors to warnings. Link codes are sase's own (docs/sdd.md lists them).
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize, posix } from 'node:path';
import { PLAN_LIKE, type Artifact } from './scan.js';
import type { Diagnostic } from './diagnostics.js';

/** Link-rule diagnostic codes, by rule number. */
export const LINK_CODES = {
  frontmatterInvalid: 'frontmatter-invalid',
  linkNotString: 'link-not-string',
  targetMissing: 'link-target-missing',
  wrongKind: 'link-wrong-kind',
  mismatch: 'link-mismatch',
  missing: 'link-missing',
  unpaired: 'unpaired',
  ambiguous: 'ambiguous',
} as const;

/** Where a link value leads. */
export type LinkResolution = { status: 'external' } | { status: 'found'; rel: string } | { status: 'missing'; tried: string[] };

const ROOT_PREFIXES = ['.sase/sdd/', 'sdd/', 'sase/repos/plans/', 'sase/repos/agents/', 'sase/repos/'];

/**
 * Resolves a link value written in any generation (`sdd/plans/…`, `.sase/sdd/plans/…`, `sase/repos/plans/…`,
 * `plans:<YYYYMM>/x.md`, root-relative, or relative to the linking file) to a root-relative path that exists.
 * URLs are `external` (not checked).
 */
export function resolveLink(root: string, fromRel: string, value: string): LinkResolution {
  const v = value.trim().replace(/^\.\//, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return { status: 'external' };
  const cands: string[] = [];
  const kindRef = /^(plans|prompts|tales|epics|legends|research|agents):(.+)$/.exec(v);
  if (kindRef) {
    const rest = kindRef[2]!;
    if (kindRef[1] === 'plans') cands.push(`plans/${rest}`, rest, `tales/${rest}`, `epics/${rest}`);
    else if (kindRef[1] === 'agents') cands.push(rest);
    else cands.push(`${kindRef[1]}/${rest}`);
  } else {
    cands.push(v);
    for (const p of ROOT_PREFIXES) if (v.startsWith(p)) cands.push(v.slice(p.length));
    cands.push(posix.join(posix.dirname(fromRel), v));
  }
  const tried: string[] = [];
  for (const c of cands) {
    const rel = posix.normalize(c);
    if (rel.startsWith('..') || posix.isAbsolute(rel) || tried.includes(rel)) continue;
    tried.push(rel);
    const abs = join(root, normalize(rel));
    if (existsSync(abs) && statSync(abs).isFile()) return { status: 'found', rel };
  }
  return { status: 'missing', tried };
}

/** One row of `sase sdd links`. */
export interface LinkRow {
  from: string;
  kind: string;
  field: 'prompt' | 'plan';
  value: string | null;
  /** Root-relative target, `external`, or null when it does not resolve. */
  target: string | null;
  /** True when the target links back to `from`; null when unknown (external/missing). */
  reverse_ok: boolean | null;
}

/** A fix `repair-links` can write: set `field` of `file` to `value`. */
export interface LinkRepair {
  file: string;
  field: 'prompt' | 'plan';
  old: string | null;
  value: string;
  reason: string;
}

/** Result of {@link checkLinks}. */
export interface LinkCheck {
  diagnostics: Diagnostic[];
  rows: LinkRow[];
  repairs: LinkRepair[];
}

function isOpposite(a: Artifact, b: Artifact): boolean {
  return a.kind === 'prompt' ? PLAN_LIKE.includes(b.kind) : b.kind === 'prompt';
}

/**
 * Applies the link rules to a scanned tree.
 * @param strict promote `unpaired`/`ambiguous` warnings to errors (rule 7)
 * @param allowlist root-relative paths of legacy files whose errors become warnings (rule 8)
 */
export function checkLinks(root: string, arts: Artifact[], opts: { strict?: boolean; allowlist?: ReadonlySet<string> } = {}): LinkCheck {
  const byRel = new Map(arts.map((a) => [a.rel, a]));
  const diags: Diagnostic[] = [];
  const rows: LinkRow[] = [];
  const repairs: LinkRepair[] = [];
  const seen = new Set<string>();
  const add = (a: Artifact, code: string, severity: Diagnostic['severity'], line: number | null, field: string, message: string): void => {
    const key = `${a.rel}|${code}|${field}`;
    if (seen.has(key)) return;
    seen.add(key);
    let sev = severity;
    let msg = message;
    if (sev === 'error' && opts.allowlist?.has(a.rel)) {
      sev = 'warning';
      msg += ' (allowlisted legacy file)';
    }
    diags.push({ code, severity: sev, file: a.rel, line, field, message: msg });
  };
  const fieldOf = (a: Artifact): 'prompt' | 'plan' => (a.kind === 'prompt' ? 'plan' : 'prompt');
  const resolved = new Map<string, LinkResolution>();
  const incoming = new Map<string, string[]>();
  for (const a of arts) {
    if (a.yamlError || !a.link || a.link.value === null) continue;
    const r = resolveLink(root, a.rel, a.link.value);
    resolved.set(a.rel, r);
    if (r.status === 'found') incoming.set(r.rel, [...(incoming.get(r.rel) ?? []), a.rel]);
  }
  const pointsTo = (a: Artifact, target: string): boolean | null => {
    const r = resolved.get(a.rel);
    if (!r) return false;
    if (r.status === 'external') return null;
    return r.status === 'found' && r.rel === target;
  };

  for (const a of arts) {
    const field = fieldOf(a);
    if (a.yamlError) {
      add(a, LINK_CODES.frontmatterInvalid, 'error', a.yamlError.line, '', `frontmatter is not valid YAML: ${a.yamlError.message}`);
      continue;
    }
    if (a.link && a.link.value === null) {
      add(a, LINK_CODES.linkNotString, 'error', a.link.line, field, `\`${field}\` must be a string path, not ${a.link.badType}`);
      rows.push({ from: a.rel, kind: a.kind, field, value: null, target: null, reverse_ok: null });
      continue;
    }
    const inferable = (): string[] => {
      const c = new Set<string>();
      for (const src of incoming.get(a.rel) ?? []) if (isOpposite(a, byRel.get(src)!)) c.add(src);
      for (const b of arts) if (b !== a && b.month === a.month && b.name === a.name && isOpposite(a, b)) c.add(b.rel);
      return [...c].sort();
    };
    if (a.link) {
      const value = a.link.value!;
      const r = resolved.get(a.rel)!;
      if (r.status === 'external') {
        rows.push({ from: a.rel, kind: a.kind, field, value, target: 'external', reverse_ok: null });
        continue;
      }
      if (r.status === 'missing') {
        add(a, LINK_CODES.targetMissing, 'error', a.link.line, field, `\`${field}: ${value}\` points at a file that does not exist`);
        rows.push({ from: a.rel, kind: a.kind, field, value, target: null, reverse_ok: null });
        const c = inferable();
        if (c.length === 1 && a.link.source === 'frontmatter') repairs.push({ file: a.rel, field, old: value, value: c[0]!, reason: 'stale link; counterpart inferred' });
        continue;
      }
      const t = byRel.get(r.rel);
      if (!t || !isOpposite(a, t)) {
        const want = a.kind === 'prompt' ? 'a tale, epic or legend' : 'a prompt snapshot';
        add(a, LINK_CODES.wrongKind, 'error', a.link.line, field, `\`${field}: ${value}\` must point at ${want}, but ${r.rel} is ${t ? `a ${t.kind}` : 'not an SDD artifact'}`);
        rows.push({ from: a.rel, kind: a.kind, field, value, target: r.rel, reverse_ok: null });
        continue;
      }
      const back = t.link ? pointsTo(t, a.rel) : false;
      rows.push({ from: a.rel, kind: a.kind, field, value, target: r.rel, reverse_ok: back });
      if (t.link && t.link.value !== null && !t.yamlError && back === false) {
        add(a, LINK_CODES.mismatch, 'error', a.link.line, field, `links disagree: ${a.rel} → ${t.rel}, but ${t.rel} links to ${t.link.value ?? '(nothing)'}`);
      }
      continue;
    }
    // No link at all.
    const c = inferable();
    if (c.length === 1) {
      const other = byRel.get(c[0]!)!;
      const line = a.hasFrontmatter ? 1 : null;
      add(a, LINK_CODES.missing, 'error', line, field, `missing \`${field}:\` link to its counterpart ${other.rel}`);
      repairs.push({ file: a.rel, field, old: null, value: other.rel, reason: 'missing link; counterpart inferred' });
    } else if (c.length > 1) {
      add(a, LINK_CODES.ambiguous, opts.strict ? 'error' : 'warning', null, field, `no \`${field}:\` link and several possible counterparts: ${c.join(', ')}`);
    } else {
      add(a, LINK_CODES.unpaired, opts.strict ? 'error' : 'warning', null, field, `no \`${field}:\` link and no counterpart named ${a.month ?? '<no month>'}/${a.name}.md`);
    }
  }
  return { diagnostics: diags, rows, repairs };
}

/**
 * Rewrites (or inserts) one top-level frontmatter property in `text`, leaving every other line untouched.
 * Adds a frontmatter block when the document has none.
 */
export function setFrontmatterField(text: string, field: string, value: string): string {
  const plain =
    /^[A-Za-z0-9_./][\w./ :-]*$/.test(value) &&
    !/: |:$| $/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~|[-+]?\d+(\.\d+)?)$/i.test(value);
  const rendered = `${field}: ${plain ? value : JSON.stringify(value)}`;
  if (!text.startsWith('---\n') && !text.startsWith('---\r\n')) return `---\n${rendered}\n---\n${text}`;
  const lines = text.split('\n');
  let close = -1;
  for (let i = 1; i < lines.length; i++) if (lines[i]!.replace(/\r$/, '') === '---') { close = i; break; }
  if (close < 0) return text;
  for (let i = 1; i < close; i++) {
    if (new RegExp(`^${field}\\s*:`).test(lines[i]!)) {
      let end = i + 1;
      while (end < close && /^\s+\S/.test(lines[end]!)) end++;
      lines.splice(i, end - i, rendered);
      return lines.join('\n');
    }
  }
  lines.splice(close, 0, rendered);
  return lines.join('\n');
}
