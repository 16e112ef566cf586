/**
 * Workspace references (`#cd:`, `#git:`, `#gh:`, `#hg:`, `#jj:`, `#p4:`): raw normalisation of `#gh@ref` and
 * `#gh_ref`, detection of the leading workspace reference of a segment, canonical form, and the default `#git:home`.
 * Rules: spec/xprompts.md §0 step 1, §1.6 (SASE `_parsing.py: extract_vcs_workflow_tag`).
 */
import { isAbsolute, resolve } from 'node:path';
import { findReferences, type XpromptRef, stripQuotes } from './lexer.js';

/** Workspace workflow names known without any plugin. */
export const WORKSPACE_WORKFLOWS: readonly string[] = ['cd', 'git', 'gh', 'hg', 'jj', 'p4'];

/** The workspace used when a segment names none. */
export const DEFAULT_WORKSPACE_REF = '#git:home';

function namesRe(names: readonly string[]): string {
  return names.map((n) => n.replace(/[^A-Za-z0-9_/]/g, '')).filter(Boolean).join('|');
}

/**
 * Raw normalisation: `#gh@ref` → `#gh:ref` outside inline code spans, and `#gh_ref` → `#gh:ref` unless `gh_ref`
 * is itself a defined xprompt. Only for workspace workflow names. spec §0 step 1.
 */
export function normalizeWorkspaceShorthands(
  text: string,
  names: readonly string[] = WORKSPACE_WORKFLOWS,
  isDefined: (name: string) => boolean = () => false,
): string {
  if (!text.includes('#')) return text;
  const alt = namesRe(names);
  const at = new RegExp(String.raw`(?<=^|[\s(\[{"'])#(${alt})(!!|\?\?)?@(?=[A-Za-z0-9_.~/-])`, 'gm');
  const under = new RegExp(String.raw`(?<=^|[\s(\[{"'])#(${alt})_([A-Za-z0-9.~/-][A-Za-z0-9_.~/-]*)`, 'gm');
  const parts = text.split('`');
  for (let i = 0; i < parts.length; i += 2) {
    parts[i] = parts[i]!.replace(at, (_m, n: string, h: string | undefined) => `#${n}${h ?? ''}:`).replace(
      under,
      (m, n: string, ref: string) => (isDefined(`${n}_${ref}`) ? m : `#${n}:${ref}`),
    );
  }
  return parts.join('`');
}

/** A segment's leading workspace reference. */
export interface WorkspaceRefMatch {
  /** Canonical form, e.g. `#cd:/abs/dir`, `#git:home`, `#gh:owner/repo`. */
  ref: string;
  /** Workflow name (`cd`, `gh`, …). */
  name: string;
  /** Argument as written (quotes stripped for the paren form). */
  arg: string;
  /** `!!` / `??` HITL override, null when none. */
  hitl: boolean | null;
  /** The lexed reference (offsets into the segment). */
  token: XpromptRef;
}

/** Context for canonicalising `#cd:` paths. */
export interface WorkspaceContext {
  cwd: string;
  home?: string;
}

/** Canonical text of a workspace reference: `#cd:` paths become absolute (`~` = home); others `#name:arg`. */
export function canonicalWorkspaceRef(name: string, arg: string, ctx: WorkspaceContext): string {
  if (name !== 'cd') return arg === '' ? `#${name}` : `#${name}:${arg}`;
  let p = arg === '' ? '.' : arg;
  if (ctx.home && (p === '~' || p.startsWith('~/'))) p = ctx.home + p.slice(1);
  return `#cd:${isAbsolute(p) ? resolve(p) : resolve(ctx.cwd, p)}`;
}

/**
 * Finds the workspace reference a segment starts with: leading `%directive` tokens are skipped, then the first
 * token must be a reference to a workspace workflow (`names`). Returns null when the segment has none.
 */
export function findLeadingWorkspaceRef(
  segment: string,
  ctx: WorkspaceContext,
  names: readonly string[] = WORKSPACE_WORKFLOWS,
): WorkspaceRefMatch | null {
  const lead = /^\s*(?:%\S+\s+)*/.exec(segment)![0].length;
  if (segment[lead] !== '#') return null;
  const refs = findReferences(segment);
  let tok = refs.find((r) => r.start === lead);
  if (!tok || tok.marker !== '#' || !names.includes(tok.name)) return null;
  let arg = '';
  if (tok.form === 'paren') {
    if (tok.unclosed) return null;
    arg = stripQuotes((tok.parenInner ?? '').trim());
  } else {
    // Workspace refs use SASE's wider REF class (`#cd:.`, `#cd:..`): run to the next blank.
    const m = /^:([A-Za-z0-9_.~\/@+,-]+)(?=\s|$)/.exec(segment.slice(lead + 1 + tok.rawName.length + (tok.hitl === null ? 0 : 2)));
    if (m) {
      arg = m[1]!;
      const end = lead + 1 + tok.rawName.length + (tok.hitl === null ? 0 : 2) + m[0].length;
      tok = { ...tok, form: 'colon', colonArg: arg, end, raw: segment.slice(lead, end) };
    } else if (tok.form === 'colon') arg = tok.colonArg ?? '';
  }
  return { ref: canonicalWorkspaceRef(tok.name, arg, ctx), name: tok.name, arg, hitl: tok.hitl, token: tok };
}

/** Removes a lexed reference from `text` with the blanks after it (and its line when it stood alone). */
export function removeToken(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  let after = text.slice(end).replace(/^[ \t]+/, '');
  const atLineStart = /(^|\n)[ \t]*$/.test(before);
  if (atLineStart && after.startsWith('\n')) after = after.slice(1);
  return before + after;
}
