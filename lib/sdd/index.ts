/** SDD: layouts, artifacts, the strict plan schema, link validation and repair, init, templates, snapshots. */
export { type Diagnostic, type Severity, countErrors, countWarnings } from './diagnostics.js';
export { splitDocument, type SplitDocument } from './document.js';
export { parseHeaderBlock, type HeaderBlock, type HeaderLink, LINK_SECTIONS, LIST_SECTIONS } from './header-block.js';
export {
  validatePlan,
  isPhaseSlug,
  TALE_SIZES,
  PHASE_SIZES,
  type PlanTier,
  type PlanMode,
  type PlanDiagnostic,
  type PlanPhase,
  type ValidatedPlan,
  type PlanValidation,
} from './plan-schema.js';
export { monthDir, formatCreateTime, snakeName, allocateName } from './naming.js';
export { detectLayout, resolveSddRoot, artifactDir, KIND_DIRS, type SddLayout, type SddLayoutName } from './layout.js';
export { scanArtifacts, readArtifact, classifyPath, PLAN_LIKE, type Artifact, type ArtifactKind } from './scan.js';
export { checkLinks, resolveLink, setFrontmatterField, LINK_CODES, type LinkRow, type LinkRepair, type LinkCheck } from './links.js';
export { validateTree, planDiagnostics, readAllowlist, ALLOWLIST_FILE, type ValidateOptions, type ValidateResult } from './validate.js';
export { repairLinks, type RepairResult } from './repair.js';
export { initTree, type InitResult } from './init.js';
export { writePromptSnapshot, createUnique, type PromptSnapshotInput, type WrittenArtifact } from './snapshot.js';
export { newPlan, renderPlanTemplate, type NewPlanInput, type NewPlanResult, type NewPhase } from './templates.js';
export { loadPlanFile, setPlanField, type LoadedPlan } from './plan-file.js';
