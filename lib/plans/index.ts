/** Plan approval store (spec/runtime.md §d): propose, list, answer (write-once), wait, diff, next actions. */
export { newRequestId, resolvePrefix, listRequestIds } from './ids.js';
export {
  PLAN_FILES,
  planApprovalRoot,
  planStatusOf,
  readPlanEntry,
  listPlanEntries,
  findPlanEntry,
  readProposedText,
  type PlanRequest,
  type PlanResponse,
  type PlanStatus,
  type PlanEntry,
} from './store.js';
export { proposePlan, parentBeadFromEnv, promptSnapshotOfRun, autoApprovalSetting, type ProposeInput, type ProposeResult } from './propose.js';
export { approvePlan, rejectPlan, responseFor, autoApprovalKind, type ApprovalKind, type NextAction, type AnswerResult, type ApproveOptions } from './respond.js';
export { waitForPlanResponse, planVersionDiff, type WaitOptions, type PlanDiff } from './wait.js';
