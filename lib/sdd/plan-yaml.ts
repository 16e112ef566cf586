/**
 * YAML helpers of the plan schema (lib/sdd/plan-schema.ts): the type names used in diagnostics, and the index from
 * a field path (`phases[2].size`) to the document line of its key. spec/beads-sdd-changespecs.md §A.3.
 */

/** A value of the parsed YAML document (maps are `Map`s: the schema reads it with `mapAsMap`). */
export type Yv = unknown;

/** The YAML type name of `v` for diagnostics (`null`, `boolean`, `number`, `string`, `list`, `mapping`, `tagged value`). */
export function typeName(v: Yv): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'mapping';
  return 'tagged value';
}

/** Maps field paths to the document line of their YAML key (best effort; block-style YAML). */
export class LineIndex {
  private readonly lines = new Map<string, number>();

  constructor(yaml: string) {
    let inPhases = false;
    let phase = -1;
    yaml.split('\n').forEach((raw0, i) => {
      const raw = raw0.replace(/\r$/, '');
      const fileLine = i + 2;
      const t = raw.trimStart();
      if (t === '' || t.startsWith('#')) return;
      const indent = raw.length - t.length;
      if (indent === 0) {
        phase = -1;
        const key = yamlKey(t);
        if (key !== null) {
          if (!this.lines.has(key)) this.lines.set(key, fileLine);
          inPhases = key === 'phases';
        } else inPhases = false;
        return;
      }
      if (!inPhases) return;
      if (t.startsWith('-')) {
        phase += 1;
        this.lines.set(`phases[${phase}]`, fileLine);
        const key = yamlKey(t.slice(1).trimStart());
        if (key !== null) this.lines.set(`phases[${phase}].${key}`, fileLine);
      } else if (phase >= 0) {
        const key = yamlKey(t);
        if (key !== null) this.lines.set(`phases[${phase}].${key}`, fileLine);
      }
    });
  }

  /** The 1-based document line of `path`'s key, else of its nearest parent; 1 when none is known. */
  lineFor(path: string): number {
    if (path === '') return 1;
    let c = path;
    for (;;) {
      const hit = this.lines.get(c);
      if (hit !== undefined) return hit;
      if (c.endsWith(']') && c.lastIndexOf('[') > 0) {
        c = c.slice(0, c.lastIndexOf('['));
        continue;
      }
      if (c.lastIndexOf('.') > 0) {
        c = c.slice(0, c.lastIndexOf('.'));
        continue;
      }
      return 1;
    }
  }
}

function yamlKey(text: string): string | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const key = text.slice(0, colon).trim();
  if (key === '' || key.startsWith('{') || key.startsWith('[')) return null;
  const q = /^"(.*)"$/.exec(key) ?? /^'(.*)'$/.exec(key);
  return q ? q[1]! : key;
}
