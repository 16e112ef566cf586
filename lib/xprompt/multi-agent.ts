/**
 * Dispatch-time expansion of multi-agent markdown xprompts: a segment that is only `#!name(args)` (plus leading
 * directive lines) for an xprompt whose body has top-level `---` becomes one segment per body part.
 * Rules: spec/xprompts.md §5.3 (SASE `multi_agent_xprompt.py: expand_multi_agent_xprompts`); vectors G5–G10.
 */
import { type ExpandOptions, renderReference } from './expand.js';
import { findReferences, type XpromptRef, XpromptError } from './lexer.js';
import { isStandaloneWorkflow, protectRegions, isMultiAgentDef, splitOnSeparators } from './segments.js';
import type { Catalog, XpromptDef } from './types.js';

/** Recursion budget for multi-agent expansion (spec §5.3). */
export const MULTI_AGENT_MAX_DEPTH = 8;

const DIRECTIVE_LINE_RE = /^%[a-zA-Z][a-zA-Z0-9_]*(?:[:(].*)?\s*$/;

/** A segment split into its leading directive lines and the rest. */
export interface SegmentHead {
  /** Leading directive lines (each without its newline). */
  directiveLines: string[];
  /** The remainder after leading blank and directive lines. */
  rest: string;
}

/** Splits leading blank lines and directive lines (`%name…` lines) off a segment. */
export function splitSegmentHead(segment: string): SegmentHead {
  const lines = segment.split('\n');
  const directiveLines: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    if (DIRECTIVE_LINE_RE.test(l.trim())) directiveLines.push(l.trim());
    else break;
  }
  return { directiveLines, rest: lines.slice(i).join('\n').trim() };
}

/** The reference when `text` is exactly one reference (nothing else), else null. */
export function soleReference(text: string): XpromptRef | null {
  const t = text.trim();
  if (!t.startsWith('#')) return null;
  const refs = findReferences(t);
  const r = refs[0];
  return r && r.start === 0 && r.end === t.length && !r.unclosed ? r : null;
}

/**
 * Expands multi-agent references in `segments` (depth-limited recursion). Leading directive lines of a call site
 * attach to its first sub-segment only (G7). Segments that merely mention a `#!multi` reference among prose are
 * rejected (strict target, G9).
 * @throws XpromptError G6 (`#name` on a multi-agent xprompt), G8 (`#!` on an ordinary xprompt), G9, G10 (depth)
 */
export function expandMultiAgentSegments(
  segments: string[],
  catalog: Catalog,
  opts: ExpandOptions = {},
  depth = MULTI_AGENT_MAX_DEPTH,
): string[] {
  const out: string[] = [];
  for (const seg of segments) out.push(...expandOneSegment(seg, catalog, opts, depth));
  return out;
}

function expandOneSegment(seg: string, catalog: Catalog, opts: ExpandOptions, depth: number): string[] {
  const head = splitSegmentHead(seg);
  const r = soleReference(head.rest);
  const def: XpromptDef | undefined = r ? catalog.get(r.name) : undefined;
  if (r && def) {
    if (isMultiAgentDef(def)) {
      if (r.marker === '#') {
        throw new XpromptError(
          `Multi-agent xprompt '#${r.name}' must be invoked as '#!${r.name}' because it expands to multiple agent prompts.`,
        );
      }
      if (depth <= 0) {
        throw new XpromptError(`multi-agent xprompt expansion exceeded max depth at #!${r.name} (possible self-reference)`);
      }
      const parts = splitOnSeparators(renderReference(r, def, catalog, opts));
      if (parts.length > 0 && head.directiveLines.length > 0) parts[0] = `${head.directiveLines.join('\n')}\n${parts[0]}`;
      return expandMultiAgentSegments(parts, catalog, opts, depth - 1);
    }
    if (r.marker === '#!' && !isStandaloneWorkflow(def)) {
      throw new XpromptError(
        `Only standalone workflows and multi-agent xprompts use '#!'; '${r.raw}' resolves to an embeddable xprompt. Use '#${r.name}' for inline expansion.`,
      );
    }
    return [seg];
  }
  const slots: string[] = [];
  for (const ref of findReferences(protectRegions(seg, slots))) {
    const d = catalog.get(ref.name);
    if (ref.marker === '#!' && d && isMultiAgentDef(d)) {
      throw new XpromptError(
        `Multi-agent xprompt reference must be invoked as a sole '#!' reference in its segment (no surrounding prose). Segment:\n${seg}`,
      );
    }
  }
  return [seg];
}
