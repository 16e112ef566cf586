/**
 * Workspace references: `#type:value` or `#type(value)` (seed 002 "WorkflowMetadata.ref_pattern"). No reference
 * means `#git:home` (spec/runtime.md §b.4).
 */
import { UsageError } from '../errors/index.js';

/** A parsed workspace reference. */
export interface WorkspaceRef {
  /** Workflow type: `cd`, `git`, or a plugin's (`gh`, `hg`). */
  type: string;
  /** The part after the type (`home`, `/abs/path`, `org/repo`). */
  value: string;
  /** Canonical spelling `#type:value` (or `#type(value)` when the value has spaces). */
  ref: string;
}

/** The reference used when a prompt names none. */
export const DEFAULT_WORKSPACE_REF = '#git:home';

/** Matches `#type:value` (value up to whitespace) or `#type(value)`. */
const REF_RE = /^#([a-z][a-z0-9_-]*)(?::(\S+)|\(([^)]*)\))$/;

/** Formats a type and value as a reference string. */
export function formatWorkspaceRef(type: string, value: string): string {
  return /\s/.test(value) ? `#${type}(${value})` : `#${type}:${value}`;
}

/**
 * Parses a workspace reference. An empty or missing reference is `#git:home`.
 * @throws UsageError when the text is not `#type:value` / `#type(value)` or the value is empty
 */
export function parseWorkspaceRef(ref: string | null | undefined): WorkspaceRef {
  const text = (ref ?? '').trim();
  if (text === '') return { type: 'git', value: 'home', ref: DEFAULT_WORKSPACE_REF };
  const m = REF_RE.exec(text);
  const value = m ? (m[2] ?? m[3] ?? '').trim() : '';
  if (!m || value === '') {
    throw new UsageError(`not a workspace reference: ${text}`, { hint: 'write #git:<project>, #cd:<path> or #<type>(<value>)', data: { ref: text } });
  }
  return { type: m[1]!, value, ref: formatWorkspaceRef(m[1]!, value) };
}
