/**
 * YAML parsing with source lines: a parsed value plus `lineOf(path)` giving the 1-based file line of a key or list
 * item, so loader and validator errors can say `file:line:col`. Imports `yaml` (heavy): only load this module on
 * paths that parse YAML (catalog cache misses, validate, explain, graph).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { InvalidDataError } from '../errors/index.js';

/** A parsed YAML text with line lookup. */
export interface YamlDoc {
  value: unknown;
  /** 1-based file line of the key (mapping) or item (sequence) at `path`; falls back to the nearest ancestor. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
  /** 1-based column of the same, when known. */
  colOf(path: ReadonlyArray<string | number>): number | undefined;
  /** 1-based file line where the *value* at `path` starts (the line after `|`/`>` for block scalars). */
  valueLineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/**
 * Parses `text` (which starts at file line `firstLine`, 1-based) as YAML.
 * @throws InvalidDataError located at the first syntax error (file, line, column)
 */
export function parseYamlDoc(text: string, file: string, firstLine = 1): YamlDoc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = err.linePos?.[0];
    throw new InvalidDataError(`invalid YAML: ${err.message.split('\n')[0]}`, {
      location: { file, line: (pos?.line ?? 1) + firstLine - 1, column: pos?.col },
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new InvalidDataError(`invalid YAML: ${(e as Error).message.split('\n')[0]}`, { location: { file, line: firstLine } });
  }
  const offsetOf = (path: ReadonlyArray<string | number>, wantValue = false): number | undefined => {
    let node: unknown = doc.contents;
    let best: number | undefined = (doc.contents as Node | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
        if (!pair) return best;
        const k = pair.key as Node | null;
        if (k?.range) best = k.range[0];
        node = pair.value;
        if (wantValue && (node as Node | null)?.range) best = (node as Node).range![0];
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) return best;
        if (item.range) best = item.range[0];
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
  return {
    value,
    lineOf: (path) => {
      const off = offsetOf(path);
      return off === undefined ? undefined : lc.linePos(off).line + firstLine - 1;
    },
    valueLineOf: (path) => {
      const off = offsetOf(path, true);
      if (off === undefined) return undefined;
      const block = text[off] === '|' || text[off] === '>';
      return lc.linePos(off).line + firstLine - 1 + (block ? 1 : 0);
    },
    colOf: (path) => {
      const off = offsetOf(path);
      return off === undefined ? undefined : lc.linePos(off).col;
    },
  };
}
