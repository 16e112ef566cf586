/**
 * Shapes of steveyegge/beads (`bd`) JSONL rows and of the interop reports.
 *
 * Source: spec/beads-sdd-changespecs.md §D (bd keys, statuses, types, dependency types, the SASE ↔ bd mapping).
 */

/** One bd dependency edge. `type` is one of bd's link types (`blocks`, `parent-child`, `related`, …). */
export interface BdDependency {
  issue_id: string;
  depends_on_id: string;
  type: string;
  created_at?: string;
  created_by?: string;
  metadata?: string;
  [key: string]: unknown;
}

/** One bd comment (`comments[]`). */
export interface BdComment {
  id?: number | string;
  issue_id?: string;
  author?: string;
  text?: string;
  created_at?: string;
  [key: string]: unknown;
}

/** One bd issue row as exported by `bd` (unknown keys are kept and reported). */
export interface BdIssue {
  id: string;
  title: string;
  description?: string;
  design?: string;
  acceptance_criteria?: string;
  notes?: string;
  status: string;
  priority?: number;
  issue_type: string;
  assignee?: string;
  owner?: string;
  created_at: string;
  created_by?: string;
  updated_at?: string;
  started_at?: string;
  closed_at?: string;
  close_reason?: string;
  defer_until?: string;
  external_ref?: string;
  labels?: string[] | null;
  dependencies?: BdDependency[] | null;
  comments?: BdComment[] | null;
  metadata?: Record<string, unknown> | string | null;
  dependency_count?: number;
  dependent_count?: number;
  comment_count?: number;
  parent?: string;
  [key: string]: unknown;
}

/** bd dependency types that block `bd ready`; imported as SASE dependencies (§D). */
export const BD_BLOCKING_TYPES: readonly string[] = ['blocks', 'conditional-blocks', 'waits-for'];

/** bd keys copied 1:1 into the SASE snapshot (same names and meaning). */
export const BD_SAME_FIELDS: readonly string[] = [
  'id', 'title', 'description', 'design', 'notes', 'assignee', 'owner', 'created_at', 'created_by', 'updated_at', 'closed_at',
  'close_reason', 'external_ref',
];

/** Export-only counters bd recomputes; never imported, recomputed on export. */
export const BD_DERIVED_FIELDS: readonly string[] = ['dependency_count', 'dependent_count', 'comment_count', 'parent'];

/** ids grouped by what happened to them, e.g. `{"hooked->in_progress": ["bd-1"]}`. */
export type IdLists = Record<string, string[]>;

/** What `sase bead import-bd` mapped, converted and dropped. */
export interface BdImportReport {
  source: string;
  /** Rows read. */
  issues: number;
  counts: {
    plans: number;
    phases: number;
    tasks: number;
    events: number;
    streams: number;
    dependencies: number;
    refs: number;
    notes: number;
  };
  /** bd fields copied unchanged (see {@link BD_SAME_FIELDS}) plus structural mappings. */
  mapped_fields: string[];
  /** Values that changed meaning: `status`, `issue_type`, `parent`, `dependency_type` → `from->to` → ids. */
  converted: Record<string, IdLists>;
  /** Dependencies whose target is not in the file (kept as `bead:` refs): `issue -> target (type)`. */
  dangling_dependencies: string[];
  /** bd fields with no SASE equivalent → ids that carried a non-empty value. */
  dropped: IdLists;
  /** Problems that made a row unusable → ids (rows skipped). */
  skipped: IdLists;
}

/** What `sase bead export-bd` mapped and carried in `metadata`. */
export interface BdExportReport {
  issues: number;
  counts: { epics: number; tasks: number; dependencies: number; parent_child: number; labels: number; with_metadata: number };
  /** SASE values expressed differently in bd → ids (`status`: `ready->open+label`, …). */
  converted: Record<string, IdLists>;
  /** SASE fields carried in the bd `metadata` blob → ids. */
  metadata_fields: IdLists;
}
