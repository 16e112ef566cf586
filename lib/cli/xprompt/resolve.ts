/** Resolving a command-line reference (`#name(args)`, `#!name:arg`, `name`) against the catalog for explain/graph. */
import { NotFoundError, UsageError } from '../../errors/index.js';
import type { MapCatalog } from '../../xprompt/catalog.js';
import type { XpromptDef } from '../../xprompt/types.js';
import { parseRefArg } from './index.js';

/** A resolved reference with its arguments. */
export interface ResolvedRef {
  def: XpromptDef;
  positional: Array<string | null>;
  named: Record<string, string | null>;
}

/**
 * Looks up `raw` in the catalog and parses its inline arguments (paren, colon, plus); `extraPositional` and
 * `--arg k=v` values are appended. A value `null` means "use the default" (spec §4.3).
 * @throws NotFoundError for unknown names (with close matches), UsageError for `#!` on an inline xprompt or bad args
 */
export async function resolveRef(catalog: MapCatalog, raw: string, extraPositional: string[], argPairs: string[]): Promise<ResolvedRef> {
  const ref = parseRefArg(raw);
  const def = catalog.get(ref.name);
  if (!def) {
    const close = catalog
      .entries()
      .map((d) => d.name)
      .filter((n) => n.includes(ref.name) || ref.name.includes(n.split('/').pop()!))
      .slice(0, 5);
    throw new NotFoundError(`Unknown xprompt '${ref.name}'`, {
      hint: close.length ? `did you mean: ${close.join(', ')}?` : "run 'sase xprompt list' to see visible xprompts",
      data: { name: ref.name },
    });
  }
  if (ref.marker === '#!' && def.kind !== 'standalone_workflow') {
    throw new UsageError(
      `Only standalone workflows and multi-agent xprompts use '#!'; '${raw.trim()}' resolves to an embeddable xprompt. Use '#${def.name}' for inline expansion.`,
    );
  }
  const positional: Array<string | null> = [];
  const named: Record<string, string | null> = {};
  const a = ref.args ?? '';
  const { findClosingParen, parseArgs, parseColonArg } = await import('../../xprompt/lexer.js');
  if (a.startsWith('(')) {
    const close = findClosingParen(a, 0);
    if (close === -1) throw new UsageError(`unclosed '(' in reference '${raw}'`);
    const parsed = parseArgs(a.slice(1, close));
    positional.push(...parsed.positional);
    Object.assign(named, parsed.named);
  } else if (a.startsWith(':')) {
    positional.push(...parseColonArg(a.slice(1).trim()));
  } else if (a === '+') positional.push('true');
  else if (a.trim() !== '') throw new UsageError(`cannot parse arguments '${a}' of reference '${raw}'`, { hint: 'use #name(a, key=value) or #name:value' });
  positional.push(...extraPositional);
  for (const p of argPairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg expects key=value, got '${p}'`);
    named[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  for (const [k, v] of Object.entries(named)) if (v === 'null') named[k] = null;
  return { def, positional: positional.map((v) => (v === 'null' ? null : v)), named };
}
