/**
 * Core XPrompt definition types shared by the catalog/loader (discovery, frontmatter, inputs, binding) and the
 * expander/planner. Rules: spec/xprompts.md §3 (sources and precedence), §4 (format, inputs, binding).
 * Owned by the catalog side; the expander side reads them.
 */

/** Input types SASE supports (spec/xprompts.md §4.2). */
export type InputType = 'word' | 'line' | 'text' | 'path' | 'int' | 'float' | 'bool' | string;

/** One declared input of an xprompt or workflow. */
export interface InputSpec {
  name: string;
  type: InputType;
  required: boolean;
  /** Default value when not given (undefined = none). */
  default?: unknown;
  description?: string;
  /** 0-based position for positional binding. */
  position: number;
}

/** Where a definition came from (catalog `source_bucket`). */
export type SourceBucket = 'project' | 'config' | 'user' | 'plugin' | 'built-in' | 'extra';

/** What kind of definition it is (catalog `kind`). */
export type XpromptKind = 'xprompt' | 'embeddable_workflow' | 'standalone_workflow';

/** A loaded xprompt or workflow definition. */
export interface XpromptDef {
  /** Full name including namespace (`review`, `ns/name`). */
  name: string;
  kind: XpromptKind;
  description: string;
  inputs: InputSpec[];
  /** Markdown template body (markdown xprompts and config xprompts); null for YAML workflows. */
  body: string | null;
  /** 1-based line in `path` where `body` starts (for error locations). */
  bodyLine: number;
  source: SourceBucket;
  /** File backing the definition, or null for config-defined xprompts. */
  path: string | null;
  /** Raw frontmatter / config mapping (snippet, skill, tags, …). */
  meta: Record<string, unknown>;
  /** Definitions of the same name that this one shadows (lower precedence), for `explain`. */
  shadows: Array<{ source: SourceBucket; path: string | null }>;
}

/** A resolved catalog: name → winning definition. */
export interface Catalog {
  get(name: string): XpromptDef | undefined;
  entries(): XpromptDef[];
}
