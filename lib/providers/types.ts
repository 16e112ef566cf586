/**
 * The contract between agent providers (lib/providers) and the runner (lib/agents): how to invoke one agent CLI
 * and how to turn its output stream into a normalized transcript. Rules: spec/runtime.md §c.
 * The providers module owns these types; extend here, not ad hoc.
 */

/** A resolved model string. spec/runtime.md §c.2. */
export interface ModelChoice {
  /** Provider name: claude, codex, qwen, opencode, agy, fakey. */
  provider: string;
  /** Concrete model passed to the CLI ('' = the CLI's default). */
  model: string;
  /** Reasoning effort suffix (`@high`), null when none. */
  effort: string | null;
  /** Model tier the choice stands for (`large` unless a small alias/tier was asked for). Optional, additive. */
  tier?: ModelTier;
  /** The model string as written before resolution (e.g. `gpt55`, `@small`), null when none was given. */
  spec?: string | null;
  /** How the provider was chosen: explicit `provider/…`, a known bare model, an alias, config, or the default. */
  source?: 'explicit' | 'known_model' | 'alias' | 'config' | 'default';
}

/** SASE's two model tiers (spec/runtime.md §c.1 tier table). */
export type ModelTier = 'large' | 'small';

/** What to spawn. */
export interface Invocation {
  /** Executable path. */
  command: string;
  args: string[];
  /** Text written to the child's stdin (then stdin is closed); null = stdin closed immediately. */
  stdin: string | null;
  /** Environment additions (merged over the run's env). */
  env: Record<string, string>;
  /** Working directory for the child (the workspace); absent = the runner's choice (the workspace). */
  cwd?: string;
  /** Session id the invocation pinned (claude `--session-id`), null when the CLI picks its own. */
  sessionId?: string | null;
  /** Temporary paths the invocation created (codex shadow CODEX_HOME); the runner removes them after the attempt. */
  cleanupPaths?: string[];
}

/** One normalized transcript entry (a line of `transcript.jsonl`). */
export type TranscriptEntry =
  | { type: 'assistant'; text: string; ts?: string }
  | { type: 'tool_call'; id: string; name: string; input: unknown; ts?: string }
  | { type: 'tool_result'; id: string; output: string; is_error: boolean; ts?: string }
  | { type: 'error'; message: string; ts?: string }
  | { type: 'system'; text: string; ts?: string };

/** Token usage of one run (tokens; cost in USD when the CLI reports it). */
export interface Usage {
  /** Input tokens not served from the provider's cache (every provider's parser reports them without cache reads). */
  input_tokens: number;
  /** Output tokens (reasoning included where the CLI counts it). */
  output_tokens: number;
  /** Input tokens read from the prompt cache. */
  cache_read_tokens: number;
  /** Input tokens written to the prompt cache. */
  cache_write_tokens: number;
  /** Cost in US dollars when the CLI reports one, else null. */
  cost_usd: number | null;
}

/** Incremental parser of a provider's stdout. */
export interface StreamParser {
  /** Feeds a chunk of stdout; returns the transcript entries it completed. */
  feed(chunk: string): TranscriptEntry[];
  /** Flushes at end of stream; returns trailing entries. */
  end(): TranscriptEntry[];
  /** The final reply text (last assistant message or the CLI's result), '' when none. */
  reply(): string;
  usage(): Usage;
  /** Session id reported by the CLI, if any. */
  sessionId(): string | null;
}

/** One agent CLI. */
export interface Provider {
  name: string;
  /** Builds the invocation for one attempt. @throws ExternalToolError when the CLI cannot be found */
  invocation(opts: {
    model: ModelChoice;
    prompt: string;
    cwd: string;
    env: Record<string, string | undefined>;
    config: Record<string, unknown>;
  }): Invocation;
  /** Tier defaults: the concrete model for `large` / `small` (spec/runtime.md §c.1). */
  tierModels: Record<ModelTier, string>;
  /** Command that prints the CLI's version, for `sase doctor` (argv after the binary). */
  versionArgs: string[];
  createParser(): StreamParser;
  /** True when this failed attempt (exit code + combined output) should be retried. spec/runtime.md §c. */
  isRetryable(exitCode: number | null, output: string): boolean;
  /** Delays between retries, in ms (length = max retries). */
  retryDelaysMs: number[];
}
