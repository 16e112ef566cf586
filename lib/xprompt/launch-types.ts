/**
 * The contract between the launch planner (lib/xprompt) and `sase run` (lib/agents): a prompt becomes a list of
 * planned launches. Rules: spec/xprompts.md §0 (pipeline), §2 (directives), §5 (segments).
 * The planner owns these types; consumers must not depend on fields not listed here without adding them here.
 */
import type { TraceEvent } from './expand.js';
import type { Catalog } from './types.js';

/** A `%wait` time floor. Exactly one of the fields is set. spec/xprompts.md §2.4. */
export interface WaitTime {
  /** Relative floor in seconds (`#t:5m`, `%wait(time=90s)`), counted from launch. */
  duration_s?: number;
  /** Absolute floor (`#t:1430`, `yymmdd/HHMM`) as an ISO-8601 UTC timestamp. */
  until?: string;
  /** The same absolute floor as local wall-clock time `YYYY-MM-DDTHH:MM:SS` (SASE's `wait_until`). */
  until_local?: string;
}

/** Directives extracted from one launch's prompt (already stripped from `prompt`). spec/xprompts.md §2.3. */
export interface LaunchDirectives {
  /** `%model`/`%m` value (`provider/model[@effort]`, tier alias or bare model name); null = default model. */
  model: string | null;
  /** Keyword alias overrides of a paren `%model(x, coder=y)` (vector F6); {} when none. */
  model_overrides: Record<string, string>;
  /** `%name`/`%n` value; '' = bare `%name` (auto-name); may contain one `@` (template); null = none given. */
  name: string | null;
  /** `%n:!name` — force reuse of a taken name. */
  name_reuse: boolean;
  /** `%wait`/`%w` agent names, in order, bare waits already resolved to the previous named agent. */
  waits: string[];
  /** Time floor from `#t:` / `%wait(time=…)`; null when none. */
  wait_time: WaitTime | null;
  /** `%wait(runners=N)` drain barrier; null when none. */
  wait_runners: number | null;
  /** `%wait(bead=<id>)` closure waits (Appendix A, used by epic launch): bead ids that must be closed. Absent when none. */
  wait_beads?: string[];
  /** `%hide`/`%h`. */
  hide: boolean;
  /** `%auto`/`%a`: 'plan' (bare/+/true), 'tale' or 'epic'; null when absent. */
  auto: string | null;
  /** `%repeat`/`%r` count as written (slots are already expanded into separate launches). */
  repeat: number | null;
  /** `%group`/`%g` tag; null when absent. */
  group: string | null;
}

/** One planned agent launch — the input `sase run` consumes. */
export interface PlannedLaunch {
  /** 0-based position in the plan (segment order, then fan-out order). */
  index: number;
  /** Name to register: explicit, derived (`base.suffix`, `x.w1`, `base.2`), a template with `@`, or null = auto. */
  name: string | null;
  directives: LaunchDirectives;
  /** Canonical workspace reference, e.g. `#cd:/abs/path`, `#git:home`, `#git:myproj`. Default `#git:home`. */
  workspace_ref: string;
  /** The text the agent receives: expanded, directives and the workspace reference stripped. */
  prompt: string;
  /** The segment text as the user wrote it (after alias normalisation), for the record. */
  raw_prompt: string;
  /** Standalone workflow to run (`#!name` segment of a YAML workflow), with its bound args; null for agent prompts. */
  workflow: {
    name: string;
    args: Record<string, unknown>;
    /** `#!name!!` → true (force HITL approvals on), `#!name??` → false, none → null (spec §1.5). */
    hitl?: boolean | null;
  } | null;
  /** References deferred until waits resolve (e.g. `#fork:planner`), left verbatim in `prompt`. */
  deferred: string[];
  /** `%repeat` slot: 1-based iteration and total; null when not a repeat slot. */
  repeat_slot: { iteration: number; total: number } | null;
  /** Fan-out branch id (`1`, `2.a`, …) when the segment fanned out; null otherwise. */
  alt_id: string | null;
  /** Multi-agent/segment group this launch came from (segment index). */
  segment: number;
  /** Non-fatal notes (e.g. a standalone workflow referenced with `#` instead of `#!`). */
  warnings: string[];
}

/** Inputs of the launch planner (`planLaunches` in lib/xprompt/planner.ts). */
export interface PlanOptions {
  /** Directory the prompt was typed in (relative `#cd:` paths and project discovery start here). */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Merged sase.yml configuration (lib/config); the planner reads `xprompt_aliases` from it (the catalog loads its own layers). */
  config: Record<string, unknown>;
  /** Extra xprompt directories for this call (`--xprompts-dir`), searched first. */
  extraDirs?: string[];
  /** Clock for `#t:HHMM` floors. */
  now: Date;
  /** Catalog to use instead of loading one from `cwd`/`env`/`config`/`extraDirs` (tests, callers that hold one). */
  catalog?: Catalog;
  /** The most recently named agent before this prompt (bare `%wait` in the first segment); null/absent = none. */
  previousAgentName?: string | null;
  /** Allocates a shared auto name for `%repeat` slots without `%name` (default: `r` + base-36 clock). */
  autoName?: () => string;
  /**
   * Runs `$(cmd)` found in reference arguments (spec §1.9). Absent = a `/bin/sh` runner in `cwd` with `env`
   * (60 s timeout); null = never run commands (`$(…)` stays literal).
   */
  runCommand?: ((cmd: string) => string) | null;
  /** Receives one event per resolved reference (`--trace`). */
  trace?: (ev: TraceEvent) => void;
}

/**
 * Signature of the planner: `planLaunches(text, opts) → PlannedLaunch[]` (lib/xprompt/planner.ts).
 * @throws InvalidDataError / UsageError with the directive or reference at fault
 */
export type PlanLaunches = (text: string, opts: PlanOptions) => Promise<PlannedLaunch[]>;
