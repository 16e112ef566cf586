/** Store primitives: the only writers of state files. See lib/store/README.md. */
export { writeFileAtomic, writeJsonAtomic, writeOnce, stringifyJson, fsyncDir } from './atomic.js';
export { readJson, parseJsonText, offsetToLineCol } from './json.js';
export { withLock, isLocked, type LockOptions } from './lock.js';
export { appendJsonl, readJsonl, parseJsonl, jsonlLine, type JsonlRead, type JsonlProblem } from './jsonl.js';
export { parseFrontmatter, stringifyFrontmatter, type FrontmatterDoc } from './frontmatter.js';
export { saseHome, xdgConfigHome, xdgStateHome, homeDir, expandUser, findUp, findRepoRoot, type Env } from './paths.js';
