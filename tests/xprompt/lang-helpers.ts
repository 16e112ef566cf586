/** Test helpers for the XPrompt language core: in-memory catalogs and definitions. */
import { catalogOf, textDef } from '../../lib/xprompt/segments.js';
import type { Catalog, InputSpec, XpromptDef } from '../../lib/xprompt/types.js';

/** An input spec: `inp('user', 'word')`, optional with a default when `def` is given. */
export function inp(name: string, type: string, position: number, opts: { default?: unknown } = {}): InputSpec {
  const required = !('default' in opts);
  return { name, type, required, position, ...(required ? {} : { default: opts.default }) };
}

/** A markdown-like definition. */
export function md(name: string, body: string, inputs: InputSpec[] = [], extra: Partial<XpromptDef> = {}): XpromptDef {
  return textDef(name, body, { inputs, source: 'project', ...extra });
}

/** A catalog of simple bodies: `cat({ foo: 'FOO' })`, plus full definitions. */
export function cat(bodies: Record<string, string> = {}, defs: XpromptDef[] = []): Catalog {
  return catalogOf([...Object.entries(bodies).map(([n, b]) => md(n, b)), ...defs]);
}

/** A standalone YAML workflow definition (no prompt_part). */
export function standalone(name: string, inputs: InputSpec[] = []): XpromptDef {
  return textDef(name, '', { kind: 'standalone_workflow', body: null, inputs, source: 'project' });
}
