/**
 * XPrompt aliases (`xprompt_aliases` in sase.yml; built-ins `c → commit`, `p → propose`): raw text substitution of
 * `#alias` at a reference boundary when not followed by `[A-Za-z0-9_/]`. Rules: spec/xprompts.md §1.8; vector H9.
 */
/** SASE's built-in aliases. */
export const BUILTIN_XPROMPT_ALIASES: Readonly<Record<string, string>> = Object.freeze({ c: 'commit', p: 'propose' });

/** Reads `xprompt_aliases` from merged config: string → string entries only (others ignored). */
export function configAliases(config: Record<string, unknown> | undefined): Record<string, string> {
  const raw = config?.xprompt_aliases;
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*$/.test(k)) out[k] = v.replace(/^#/, '');
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Replaces `#alias` by `#target` (single pass over all aliases; targets are not re-aliased). Never throws. */
export function resolveXpromptAliases(text: string, aliases: Record<string, string>): string {
  const names = Object.keys(aliases);
  if (names.length === 0 || !text.includes('#')) return text;
  const re = new RegExp(
    String.raw`(?<=^|[\s(\[{"'])#(${names.sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![A-Za-z0-9_/])`,
    'gm',
  );
  return text.replace(re, (_m, n: string) => `#${aliases[n]}`);
}
