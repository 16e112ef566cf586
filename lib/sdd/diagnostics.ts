/**
 * The diagnostic shape shared by the strict plan schema and the SDD link validator.
 *
 * `--json` emits these under `data.diagnostics[]` (HOUSE_STYLE envelope). Codes are SASE's (plan schema:
 * spec/beads-sdd-changespecs.md §A.3) or sase's own link-rule codes (§A.4, listed in docs/sdd.md).
 */

/** `error` fails validation; `warning` never does (unless `--strict` promotes it); `info` is advisory. */
export type Severity = 'error' | 'warning' | 'info';

/** One problem found in one file. Lines are 1-based document lines; `field` is a field path like `phases[1].id`. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  /** File the problem is in (as given to the validator; usually relative to the SDD root). */
  file: string;
  line: number | null;
  /** Field path (`''` when the problem is not about one field). */
  field: string;
  message: string;
}

/** Counts errors in a list of diagnostics. */
export function countErrors(diags: readonly Diagnostic[]): number {
  return diags.filter((d) => d.severity === 'error').length;
}

/** Counts warnings in a list of diagnostics. */
export function countWarnings(diags: readonly Diagnostic[]): number {
  return diags.filter((d) => d.severity === 'warning').length;
}
