/**
 * Multi-prompt segments: optional leading YAML frontmatter (prompt-local `_` xprompts), then top-level `---` lines
 * outside fenced code blocks split a prompt into separate agent launches. Rules: spec/xprompts.md §5.1, §4.1
 * (the user-prompt frontmatter must look like YAML: some line contains `:`); vectors G1–G4.
 */
import { XpromptError } from './errors.js';
import { protectRegions, restoreRegions } from './protect.js';

const SEPARATOR_RE = /^---\s*$/m;

/**
 * Splits `text` on `---` lines outside fenced blocks and disabled regions; pieces are trimmed and empty ones dropped.
 * Never throws.
 */
export function splitOnSeparators(text: string): string[] {
  if (!text.includes('---')) {
    const t = text.trim();
    return t === '' ? [] : [t];
  }
  const slots: string[] = [];
  const p = protectRegions(text, slots);
  return p
    .split(/^---[ \t\r]*$/m)
    .map((s) => restoreRegions(s, slots).trim())
    .filter((s) => s !== '');
}

/** True when `body` has a top-level `---` separator outside fences (a multi-agent body). */
export function hasSeparator(body: string): boolean {
  if (!body.includes('---')) return false;
  const slots: string[] = [];
  return SEPARATOR_RE.test(protectRegions(body, slots));
}

/** A user prompt split into frontmatter and segments. */
export interface SplitPrompt {
  /** Raw YAML of the leading frontmatter block, or null. */
  frontmatter: string | null;
  /** 1-based line where frontmatter YAML starts (2) — for error locations. */
  segments: string[];
}

/**
 * Splits a user prompt: a leading `---` block whose lines include a `:` is frontmatter (vector G4: otherwise the
 * leading `---` is a separator), the rest is split into segments (G2, G3).
 */
export function splitPrompt(text: string): SplitPrompt {
  const m = /^[ \t]*---[ \t]*\r?\n([\s\S]*?)^[ \t]*---[ \t]*$/m.exec(text);
  if (m && m.index === 0 && text.trimStart().startsWith('---') && m[1]!.includes(':')) {
    return { frontmatter: m[1]!, segments: splitOnSeparators(text.slice(m[0].length)) };
  }
  return { frontmatter: null, segments: splitOnSeparators(text) };
}

/**
 * Parses prompt frontmatter and returns its `xprompts:` map (name → body). Names must start with `_` (spec §4.1).
 * Loads `yaml` lazily — only prompts with frontmatter pay for it.
 * @throws XpromptError for invalid YAML or a local name without a leading `_`
 */
export async function parsePromptLocals(frontmatter: string): Promise<Record<string, string>> {
  const YAML = await import('yaml');
  let data: unknown;
  try {
    data = YAML.parse(frontmatter);
  } catch (e) {
    throw new XpromptError(`Invalid YAML frontmatter in prompt: ${(e as Error).message.split('\n')[0]}`, {
      location: { file: '<prompt>', line: 2 },
    });
  }
  const out: Record<string, string> = {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) return out;
  const xp = (data as Record<string, unknown>).xprompts;
  if (!xp || typeof xp !== 'object' || Array.isArray(xp)) return out;
  for (const [name, v] of Object.entries(xp as Record<string, unknown>)) {
    if (!name.startsWith('_')) {
      throw new XpromptError(`Prompt-local xprompt '${name}' must start with '_'`, { location: { file: '<prompt>', field: name } });
    }
    if (typeof v === 'string') out[name] = v;
    else if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).content === 'string') {
      out[name] = (v as Record<string, string>).content!;
    } else out[name] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}
