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
  /** A final `repeatable: true` input swallows the remaining positional args as a list (Appendix A). */
  repeatable?: boolean;
  /** Allowed values of an `enum` input (Appendix A). */
  choices?: string[];
  /** 1-based line of the declaration in the definition file (for error locations); undefined when unknown. */
  line?: number;
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
  /** `#` for inline references, `#!` for standalone workflows and multi-agent xprompts (spec §1.5). */
  referencePrefix?: '#' | '#!';
  /** True for a markdown xprompt whose body has top-level `---` separators (spec §5.3). */
  multiAgent?: boolean;
  /** Tags (`tags:` as a list or comma-separated string, spec §3.4); `wraps_all: true` adds `vcs`. */
  tags?: string[];
  /** True when the definition is a skill (`skill:` truthy; spec §4.7). */
  isSkill?: boolean;
  /** Snippet trigger when `snippet:` is set (`true` → last name component), else undefined (spec §4.7). */
  snippet?: string;
  /**
   * Embeddable YAML workflows: the `prompt_part` text injected at the reference, and its 1-based line.
   * The full step model is loaded on demand with `loadWorkflowFile(path)` (lib/workflow/load.ts).
   */
  promptPart?: { text: string; line: number; step: string };
  /** File-local xprompts (`xprompts:` in frontmatter or workflow YAML): name → body text. */
  localXprompts?: Record<string, string>;
  /** Project whose namespace the name carries (project sources, `~/.config/sase/xprompts/<project>/`). */
  project?: string;
}

/** A problem found while loading one definition source; the definition is skipped (or loaded as plain text). */
export interface LoadIssue {
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A resolved catalog: name → winning definition. */
export interface Catalog {
  get(name: string): XpromptDef | undefined;
  entries(): XpromptDef[];
  /** Problems met while loading (bad files are skipped, not fatal); optional for hand-built catalogs. */
  issues?(): LoadIssue[];
}
