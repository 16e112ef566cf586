/**
 * `#fork:<name>` at release time (spec/xprompts.md §1.10, §5.2; spec/runtime.md §b): once a waiter's dependencies
 * are satisfied, each deferred `#fork:<name>` reference in its prompt is replaced by the named run's sanitized
 * conversation — its prompt and assistant messages from `transcript.jsonl`, without tool calls, tool results or
 * system noise, capped at {@link FORK_HISTORY_CAP} bytes (oldest text dropped first) — under SASE's
 * `# Previous Conversation` / `---` / `# New Query` framing. Lineage is recorded on both records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendJsonl } from '../store/jsonl.js';
import type { Env } from '../store/paths.js';
import { appendEvent, findAgentDir, readAgentView, RECORD_FILES, writeRecordFile, writeRecordJson } from '../agents/records.js';

/** Largest injected history, bytes (UTF-8). */
export const FORK_HISTORY_CAP = 64 * 1024;

/** Lineage file of a forked run: `{forked_from: [{name, id}]}`. */
export const FORK_FILE = 'fork.json';
/** Lineage file of a fork source: one `{id, name, at}` line per run forked from it. */
export const FORKED_AS_FILE = 'forked_as.jsonl';

const FORK_RE = /#fork(?::([A-Za-z0-9][A-Za-z0-9._@-]*)|\(\s*(?:name\s*=\s*)?["']?([A-Za-z0-9][A-Za-z0-9._@-]*)["']?\s*\))/g;

/**
 * The sanitized conversation of a finished run: `## User` (its prompt) and `## Assistant` blocks, tool noise
 * dropped, capped to `cap` bytes by dropping the oldest text.
 */
export function sanitizedConversation(recordDir: string, cap = FORK_HISTORY_CAP): string {
  const parts: string[] = [];
  try {
    parts.push(`## User\n\n${readFileSync(join(recordDir, RECORD_FILES.prompt), 'utf8').trim()}`);
  } catch {
    // no prompt file
  }
  let text = '';
  try {
    text = readFileSync(join(recordDir, RECORD_FILES.transcript), 'utf8');
  } catch {
    // no transcript
  }
  const assistant: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as { type?: string; text?: string };
      if (e.type === 'assistant' && typeof e.text === 'string' && e.text.trim()) assistant.push(e.text.trim());
    } catch {
      // torn line
    }
  }
  if (assistant.length === 0) {
    try {
      const reply = readFileSync(join(recordDir, RECORD_FILES.reply), 'utf8').trim();
      if (reply) assistant.push(reply);
    } catch {
      // no reply
    }
  }
  if (assistant.length > 0) parts.push(`## Assistant\n\n${assistant.join('\n\n')}`);
  let out = parts.join('\n\n');
  const buf = Buffer.from(out, 'utf8');
  if (buf.length > cap) out = '[… earlier conversation truncated …]\n' + buf.subarray(buf.length - cap).toString('utf8').replace(/^\uFFFD+/, '');
  return out;
}

/** Names referenced by deferred `#fork` references in a prompt, in order. */
export function forkNames(prompt: string): string[] {
  return [...prompt.matchAll(FORK_RE)].map((m) => (m[1] ?? m[2])!);
}

/**
 * Resolves every deferred `#fork` in a waiting run's prompt (rewrites `expanded_prompt.md`, writes `fork.json`,
 * appends `forked_as.jsonl` and an event on the source). No-op when the prompt has no `#fork`.
 * @returns the names forked from
 */
export async function resolveForks(env: Env, recordDir: string, now: Date): Promise<string[]> {
  const promptPath = join(recordDir, RECORD_FILES.prompt);
  const prompt = readFileSync(promptPath, 'utf8');
  const names = forkNames(prompt);
  if (names.length === 0) return [];
  const me = readAgentView(recordDir);
  const sources: Array<{ name: string; id: string }> = [];
  const histories: string[] = [];
  for (const name of names) {
    const dir = await findAgentDir(env, name);
    const src = readAgentView(dir);
    sources.push({ name: src.name, id: src.id });
    histories.push(sanitizedConversation(dir));
    await appendJsonl(join(dir, FORKED_AS_FILE), { id: me.id, name: me.name, at: now.toISOString() });
    await appendEvent(dir, src.status, 'forked', now, { into: me.name, id: me.id });
  }
  const rest = prompt.replace(FORK_RE, '').replace(/^[ \t]+$/gm, '').trim();
  const text = `# Previous Conversation\n\n${histories.join('\n\n---\n\n')}\n\n---\n\n# New Query\n\n${rest}\n`;
  writeRecordFile(promptPath, text);
  writeRecordJson(join(recordDir, FORK_FILE), { forked_from: sources, resolved_at: now.toISOString() });
  return names;
}
