/**
 * The public JSON shape of one catalog entry (`sase xprompt list --json` → `data.xprompts[]`). Field names follow
 * SASE's `StructuredCatalogEntry` (spec/xprompts.md §7).
 */
import type { InputSpec, XpromptDef, XpromptKind, SourceBucket } from './types.js';

/** One input as listed. */
export interface CatalogInput {
  name: string;
  type: string;
  required: boolean;
  default_display: string | null;
  position: number;
  repeatable: boolean;
  description: string | null;
}

/** One catalog entry as listed. */
export interface CatalogEntry {
  name: string;
  kind: XpromptKind;
  /** Simpler type (`xprompt` / `workflow`) some SASE docs list. */
  type: 'xprompt' | 'workflow';
  description: string;
  inputs: CatalogInput[];
  input_signature: string;
  /** Source bucket (same as `source_bucket`). */
  source: SourceBucket;
  source_bucket: SourceBucket;
  reference_prefix: '#' | '#!';
  /** Canonical text to insert (`#name` / `#!name`). */
  insertion: string;
  tags: string[];
  is_skill: boolean;
  multi_agent: boolean;
  snippet: string | null;
  /** Project namespace of the name, or null. */
  project: string | null;
  /** File backing the definition; absent for sase.yml-defined xprompts. */
  definition_path?: string;
  /** The sase.yml a config xprompt comes from. */
  config_path?: string;
  content_preview: string;
  shadows: Array<{ source: SourceBucket; path: string | null }>;
}

/** The reference prefix of a definition (`#!` for standalone workflows and multi-agent xprompts). spec §1.5. */
export function referencePrefix(def: XpromptDef): '#' | '#!' {
  return def.referencePrefix ?? (def.kind === 'standalone_workflow' ? '#!' : '#');
}

/** Builds the listed entry of a definition. */
export function catalogEntry(def: XpromptDef): CatalogEntry {
  const prefix = referencePrefix(def);
  const preview = def.body ?? def.promptPart?.text ?? '';
  const e: CatalogEntry = {
    name: def.name,
    kind: def.kind,
    type: def.kind === 'xprompt' ? 'xprompt' : 'workflow',
    description: def.description,
    inputs: def.inputs.map((i) => ({
      name: i.name,
      type: String(i.type),
      required: i.required,
      default_display: i.required ? null : displayDefault(i.default),
      position: i.position,
      repeatable: i.repeatable === true,
      description: i.description ?? null,
    })),
    input_signature: inputSignature(def.inputs),
    source: def.source,
    source_bucket: def.source,
    reference_prefix: prefix,
    insertion: `${prefix}${def.name}`,
    tags: def.tags ?? [],
    is_skill: def.isSkill === true && def.kind === 'xprompt',
    multi_agent: def.multiAgent === true,
    snippet: def.snippet ?? null,
    project: def.project ?? null,
    content_preview: preview.length > 500 ? preview.slice(0, 500) : preview,
    shadows: def.shadows,
  };
  if (def.path) e.definition_path = def.path;
  const cf = (def as { configFile?: string }).configFile;
  if (cf) e.config_path = cf;
  return e;
}

/** Human signature of inputs, e.g. `(target: word, count: int = 3)`; '' when there are none. */
export function inputSignature(inputs: InputSpec[]): string {
  if (inputs.length === 0) return '';
  return `(${inputs
    .map((i) => `${i.name}: ${i.type}${i.repeatable ? '...' : ''}${i.required ? '' : ` = ${displayDefault(i.default)}`}`)
    .join(', ')})`;
}

/** How a default value is shown (`null`, `""`, `3`, `true`). */
export function displayDefault(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
