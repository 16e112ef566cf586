/**
 * User questions (spec/runtime.md §d.1 "User question", runtime-vectors.md §8):
 * `$SASE_HOME/user_question/<id>/question_request.json` =
 * `{session_id, timestamp, questions:[{header?, question, options:[{label, description?}]}]}` (sase adds the asking
 * run's provenance); the answer `question_response.json` =
 * `{answers:[{question, selected:[labels], custom_feedback}], global_note}` is written exactly once (O_EXCL; a second
 * answer is a CONFLICT). While open, the asking run's artifact dir holds `pending_question.json`
 * (`{request_path}`). `SASE_AGENT_AUTO_APPROVE` answers with the first option at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidDataError, TimeoutError, UsageError } from '../errors/index.js';
import { stringifyJson, writeJsonAtomic, writeOnce } from '../store/atomic.js';
import { readJsonSyncOrNull } from '../store/json.js';
import { saseHome, type Env } from '../store/paths.js';
import { listRequestIds, newRequestId, resolvePrefix } from '../plans/ids.js';

/** File names of the contract. */
export const QUESTION_FILES = { request: 'question_request.json', response: 'question_response.json', pending: 'pending_question.json' } as const;

/** One option of a question. */
export interface QuestionOption {
  label: string;
  description?: string;
}

/** One question; no options = free text. */
export interface Question {
  header?: string;
  question: string;
  options: QuestionOption[];
}

/** `question_request.json`. */
export interface QuestionRequest {
  session_id: string;
  /** Seconds since the epoch. */
  timestamp: number;
  questions: Question[];
  asked_by?: string | null;
  artifacts_dir?: string | null;
}

/** One answer. */
export interface QuestionAnswer {
  question: string;
  selected: string[];
  custom_feedback: string | null;
}

/** `question_response.json`. */
export interface QuestionResponse {
  answers: QuestionAnswer[];
  global_note: string;
}

/** A question request as listed. */
export interface QuestionEntry {
  id: string;
  dir: string;
  status: 'open' | 'answered';
  request: QuestionRequest | null;
  response: QuestionResponse | null;
}

/** `$SASE_HOME/user_question`. */
export function questionRoot(env: Env): string {
  return join(saseHome(env), 'user_question');
}

/** Reads one question directory. */
export function readQuestion(env: Env, id: string): QuestionEntry {
  const dir = join(questionRoot(env), id);
  const request = readJsonSyncOrNull<QuestionRequest>(join(dir, QUESTION_FILES.request));
  const response = readJsonSyncOrNull<QuestionResponse>(join(dir, QUESTION_FILES.response));
  return { id, dir, status: response ? 'answered' : 'open', request, response };
}

/** All questions, oldest first. */
export function listQuestions(env: Env): QuestionEntry[] {
  return listRequestIds(questionRoot(env))
    .map((id) => readQuestion(env, id))
    .sort((a, b) => (a.request?.timestamp ?? 0) - (b.request?.timestamp ?? 0) || (a.id < b.id ? -1 : 1));
}

/** Finds a question by id prefix. @throws NotFoundError / ConflictError */
export function findQuestion(env: Env, prefix: string): QuestionEntry {
  return readQuestion(env, resolvePrefix(listRequestIds(questionRoot(env)), prefix, 'question'));
}

/** Input of {@link askQuestion}. */
export interface AskInput {
  questions: Question[];
  env: Env;
  cwd: string;
  now: Date;
}

/** Result of {@link askQuestion}. */
export interface AskResult {
  id: string;
  dir: string;
  request: QuestionRequest;
  /** Set when `SASE_AGENT_AUTO_APPROVE` answered at once. */
  response: QuestionResponse | null;
}

/**
 * Writes a question request (and the run's `pending_question.json` when asked from a run).
 * @throws UsageError for an empty question or duplicate option labels
 */
export async function askQuestion(input: AskInput): Promise<AskResult> {
  if (input.questions.length === 0) throw new UsageError('ask at least one question');
  for (const q of input.questions) {
    if (q.question.trim() === '') throw new UsageError('a question must not be empty');
    const labels = q.options.map((o) => o.label);
    if (new Set(labels).size !== labels.length) throw new UsageError(`duplicate option labels in ${JSON.stringify(q.question)}`);
  }
  const id = newRequestId();
  const dir = join(questionRoot(input.env), id);
  const artifacts = input.env.SASE_ARTIFACTS_DIR ? resolve(input.cwd, input.env.SASE_ARTIFACTS_DIR) : null;
  const request: QuestionRequest = {
    session_id: id,
    timestamp: input.now.getTime() / 1000,
    questions: input.questions,
    asked_by: input.env.SASE_AGENT_NAME ?? null,
    artifacts_dir: artifacts,
  };
  await writeJsonAtomic(join(dir, QUESTION_FILES.request), request);
  let response: QuestionResponse | null = null;
  const auto = input.env.SASE_AGENT_AUTO_APPROVE;
  if (auto !== undefined && auto !== '' && auto !== '0' && auto !== 'false') {
    response = {
      answers: input.questions.map((q) => ({ question: q.question, selected: q.options.length ? [q.options[0]!.label] : [], custom_feedback: null })),
      global_note: 'auto-approved',
    };
    await writeOnce(join(dir, QUESTION_FILES.response), stringifyJson(response));
  } else if (artifacts) {
    await writeJsonAtomic(join(artifacts, QUESTION_FILES.pending), { request_path: join(dir, QUESTION_FILES.request) });
  }
  return { id, dir, request, response };
}

/**
 * Parses a questions document: `{questions:[…]}` or a bare array, each `{header?, question, options?:[{label,
 * description?}] | [label]}`.
 * @throws InvalidDataError naming the file and the offending entry
 */
export function parseQuestions(text: string, file: string): Question[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InvalidDataError(`${file} is not valid JSON: ${(e as Error).message}`, { location: { file } });
  }
  const list = Array.isArray(v) ? v : (v as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(list)) throw new InvalidDataError(`${file} must hold a questions list`, { location: { file, field: 'questions' } });
  return list.map((q, i) => {
    const field = `questions[${i}]`;
    if (!q || typeof q !== 'object' || typeof (q as Question).question !== 'string') throw new InvalidDataError(`${field} needs a string \`question\``, { location: { file, field } });
    const raw = (q as { options?: unknown }).options ?? [];
    if (!Array.isArray(raw)) throw new InvalidDataError(`${field}.options must be a list`, { location: { file, field: `${field}.options` } });
    const options: QuestionOption[] = raw.map((o, j) => {
      if (typeof o === 'string') return { label: o };
      if (o && typeof o === 'object' && typeof (o as QuestionOption).label === 'string') {
        const d = (o as QuestionOption).description;
        return typeof d === 'string' ? { label: (o as QuestionOption).label, description: d } : { label: (o as QuestionOption).label };
      }
      throw new InvalidDataError(`${field}.options[${j}] needs a string \`label\``, { location: { file, field: `${field}.options[${j}]` } });
    });
    const header = (q as Question).header;
    return { ...(typeof header === 'string' ? { header } : {}), question: (q as Question).question, options };
  });
}

/** One answer as given on the command line: labels chosen and/or free text. */
export interface AnswerInput {
  selected: string[];
  text: string | null;
}

/**
 * Answers a question once (O_EXCL). Labels must be options of the question; a question without options needs
 * text. Removes the asking run's `pending_question.json`.
 * @throws NotFoundError, ConflictError (already answered), UsageError (unknown label / nothing given)
 */
export async function answerQuestion(env: Env, prefix: string, answers: AnswerInput[], note = ''): Promise<QuestionEntry> {
  const entry = findQuestion(env, prefix);
  if (!entry.request) throw new InvalidDataError(`question ${entry.id} has no ${QUESTION_FILES.request}`);
  const qs = entry.request.questions;
  if (answers.length !== qs.length) throw new UsageError(`question ${entry.id} has ${qs.length} question(s); got ${answers.length} answer(s)`);
  const built: QuestionAnswer[] = qs.map((q, i) => {
    const a = answers[i]!;
    for (const s of a.selected) {
      if (!q.options.some((o) => o.label === s)) {
        throw new UsageError(`${JSON.stringify(s)} is not an option of ${JSON.stringify(q.question)}`, { hint: `options: ${q.options.map((o) => o.label).join(', ') || '(free text only)'}` });
      }
    }
    if (a.selected.length === 0 && (a.text === null || a.text.trim() === '')) throw new UsageError(`answer ${JSON.stringify(q.question)} with an option or free text`);
    return { question: q.question, selected: a.selected, custom_feedback: a.text };
  });
  const response: QuestionResponse = { answers: built, global_note: note };
  await writeOnce(join(entry.dir, QUESTION_FILES.response), stringifyJson(response));
  if (entry.request.artifacts_dir) await rm(join(entry.request.artifacts_dir, QUESTION_FILES.pending), { force: true });
  return { ...entry, status: 'answered', response };
}

/**
 * Polls (every `pollMs`, default 500) until the question is answered.
 * @throws TimeoutError (exit 8) when `timeoutMs` passes first
 */
export async function waitForAnswer(env: Env, id: string, o: { timeoutMs?: number; pollMs?: number } = {}): Promise<QuestionResponse> {
  const p = join(questionRoot(env), id, QUESTION_FILES.response);
  const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
  for (;;) {
    if (existsSync(p)) {
      try {
        return JSON.parse(readFileSync(p, 'utf8')) as QuestionResponse;
      } catch {
        // a foreign writer is mid-write; poll again
      }
    }
    if (Date.now() >= deadline) throw new TimeoutError(`question ${id} was not answered within ${o.timeoutMs} ms`, { data: { id } });
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  }
}
