/**
 * Public API of the bead store (spec/beads-sdd-changespecs.md part B). Other areas import from here.
 *
 * - types: `./types.js` (BeadEvent, BeadPayload, BeadIssue, BeadConfig, BeadManifest, …)
 * - read + fold: {@link readStore}, {@link loadStore}, {@link foldSnapshot}, {@link foldStreams}, {@link loadIssues}
 * - validate: {@link validateEvent}, {@link eventProblems}, {@link validateIssues}
 * - write: {@link appendEvents} (validated events, under the store lock), {@link mutateStore}
 * - events: {@link buildEvent}, {@link eventTimestamp}, {@link owningStream}, {@link eventLine}
 * - projection: {@link renderProjection}, {@link serializeIssue}
 */
export * from './types.js';
export { readStore, readStoreSync, loadStore, foldSnapshot, readJournal, type StoreSnapshot, type MutationJournal, type ReadOptions } from './read.js';
export { foldStreams, finishIssues, mergeStreams, applyEvent, operationPriority } from './fold.js';
export { validateEvent, eventProblems, validateIssues, issueProblems } from './validate.js';
export { appendEvents, mutateStore, completeJournal, renderManifest, renderConfig, type MutationContext, type WriteOptions, type WriteResult } from './write.js';
export { buildEvent, eventId, eventTimestamp, owningStream, eventLine, streamOfEventId, updateFields } from './events.js';
export { renderProjection, serializeIssue, issueWire } from './project.js';
export { normalizeIssue } from './normalize.js';
export { nextTopLevelId, nextChildId, resolveId, toBase36, fromBase36 } from './ids.js';
export { storePaths, locateStore, storeExists, streamFile, STORE_GITIGNORE, type StorePaths } from './paths.js';
export { loadIssues } from './load.js';
export { loadIssueSource } from './load.js';
export type { IssueSource, QuickLists } from './cache.js';
export * as mutations from './mutations.js';
export { isActive, isBlocked, readyIssues, blockedIssues, listIssues, childrenOf, descendantsOf, ancestorsOf, dependentsOf, type ListFilter } from './query.js';
export { doctorStore, type DoctorReport, type DoctorFinding } from './doctor.js';
export { initStore, type InitResult } from './init.js';
