/**
 * Protected regions: fenced code blocks and `%xprompts_enabled:false … true` regions are swapped for opaque
 * placeholders before expansion, directive extraction, fan-out and segment splitting, and restored afterwards.
 * Rules: spec/xprompts.md §1.7. Inline code spans are NOT protected (seed-era target).
 */

/** Placeholder delimiters (Unicode private-use characters, which no reference or directive pattern matches). */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER_RE = /\uE000(\d+)\uE001/g;

/** Fenced code block: triple backticks to the next triple backticks (non-greedy, across lines). */
export const FENCE_RE = /```[\s\S]*?```/g;

/** Disabled region, markers included (SASE's Rust regex, spec §1.7). */
export const DISABLED_RE = /^[ \t]*%xprompts_enabled:false[ \t]*\n[\s\S]*?(?:^[ \t]*|[ \t]+)%xprompts_enabled:true[ \t]*\n?/gm;

/** Which regions {@link protectRegions} hides. */
export interface ProtectOptions {
  fences?: boolean;
  disabled?: boolean;
}

/**
 * Replaces fenced blocks and disabled regions in `text` with placeholders, appending the hidden text to `slots`.
 * Disabled regions are hidden first (they may contain fences). Call again on new text to protect content produced
 * by an expansion; placeholders already present are left alone.
 */
export function protectRegions(text: string, slots: string[], opts: ProtectOptions = {}): string {
  const hide = (m: string): string => {
    // A trailing newline stays outside the placeholder so the next line still starts a line.
    const nl = m.endsWith('\n') ? '\n' : '';
    slots.push(nl ? m.slice(0, -1) : m);
    return `${OPEN}${slots.length - 1}${CLOSE}${nl}`;
  };
  let out = text;
  if (opts.disabled !== false && out.includes('%xprompts_enabled:false')) out = out.replace(DISABLED_RE, hide);
  if (opts.fences !== false && out.includes('```')) out = out.replace(FENCE_RE, hide);
  return out;
}

/** Puts protected text back (nested placeholders included). Unknown placeholder numbers are left as they are. */
export function restoreRegions(text: string, slots: string[]): string {
  let out = text;
  for (let pass = 0; pass < 8 && out.includes(OPEN); pass++) {
    out = out.replace(PLACEHOLDER_RE, (m, n: string) => slots[Number(n)] ?? m);
  }
  return out;
}

/** True when `text` contains a placeholder. */
export function hasPlaceholder(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Removes `%xprompts_enabled:false/true` markers: whole marker lines disappear with their newline; an inline
 * closing marker at the end of a content line is removed with its leading blanks. spec/xprompts.md §1.7, §2.2 step 8.
 */
export function stripEnabledMarkers(text: string): string {
  if (!text.includes('%xprompts_enabled:')) return text;
  return text
    .replace(/^[ \t]*%xprompts_enabled:(?:false|true)[ \t]*(?:\n|$)/gm, '')
    .replace(/[ \t]+%xprompts_enabled:true[ \t]*$/gm, '');
}
