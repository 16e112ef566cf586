/**
 * Agent names: auto names, `@` templates, uniqueness and the "next free" suggestion.
 * Rules: spec/runtime.md §a.4 (base-36 auto tokens `0..9, a..z, 00, 01, …`; one bare `@` or `{@id}` in a template,
 * `build-@` → `build-0`, `build-1`, …; `%n:!name` force-reuses). A name is taken while `agents/names/<name>.json`
 * exists; claims are created with O_EXCL so concurrent launches never get the same name.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, UsageError } from '../errors/index.js';
import type { Env } from '../store/paths.js';
import { namesDir } from './paths.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** The n-th auto token (0-based): `0`…`z`, then `00`…`zz`, then `000`… */
export function autoToken(n: number): string {
  let len = 1;
  let span = 36;
  while (n >= span) {
    n -= span;
    len++;
    span *= 36;
  }
  let s = '';
  for (let i = 0; i < len; i++) {
    s = ALPHABET[n % 36] + s;
    n = Math.floor(n / 36);
  }
  return s;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TEMPLATE_RE = /\{@[A-Za-z0-9_]*\}|@/;

/** True when `name` is a valid concrete agent name (letters, digits, `.`, `_`, `-`; ≤ 100 chars). */
export function isValidName(name: string): boolean {
  return NAME_RE.test(name) && !name.includes('/');
}

/** True when `name` is a template (one bare `@` or one `{@id}` marker). */
export function isTemplate(name: string): boolean {
  return TEMPLATE_RE.test(name);
}

/**
 * True for a derived generation template: a trailing `.w@` (one explicit `%wait:<x>`, no `%name`) or `.f@`
 * (`#fork:<agent>`), as the planner emits them. SASE numbers these generations from 1 in decimal (`x.w1`, `x.w2`,
 * … first free; spec/xprompts.md §2.4, §1.10), unlike plain `@` templates, which start at token 0 (`build-0`).
 */
export function isDerivedTemplate(name: string): boolean {
  return /\.[wf]@$/.test(name);
}

/** Fills a template's marker with `token`. */
export function fillTemplate(template: string, token: string): string {
  return template.replace(TEMPLATE_RE, token);
}

/** The claim file of a name. */
export function nameClaimPath(env: Env, name: string): string {
  return join(namesDir(env), `${name}.json`);
}

/** Contents of a name claim. */
export interface NameClaim {
  name: string;
  id: string;
  claimed_at: string;
}

async function tryClaim(env: Env, name: string, id: string, now: Date): Promise<boolean> {
  const body = JSON.stringify({ name, id, claimed_at: now.toISOString() } satisfies NameClaim, null, 2) + '\n';
  const path = nameClaimPath(env, name);
  let fh;
  try {
    fh = await open(path, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(namesDir(env), { recursive: true });
      return tryClaim(env, name, id, now);
    }
    throw e;
  }
  try {
    await fh.writeFile(body);
  } finally {
    await fh.close();
  }
  return true;
}

async function takenNames(env: Env): Promise<Set<string>> {
  try {
    return new Set((await readdir(namesDir(env))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
  } catch {
    return new Set();
  }
}

/** First name of the form `<name>.2`, `<name>.3`, … that is free (not claimed). */
export async function suggestFreeName(env: Env, name: string): Promise<string> {
  const taken = await takenNames(env);
  for (let i = 2; ; i++) if (!taken.has(`${name}.${i}`)) return `${name}.${i}`;
}

/**
 * Allocates and claims a name for agent `id`.
 * @param requested null or '' = auto name; a template fills its `@` with the first free token (derived `.w@`/`.f@`
 *   templates with the first free number from 1, see {@link isDerivedTemplate}); otherwise exact
 * @param force `%n:!name`: rebind an existing claim to this run
 * @returns the claimed name
 * @throws UsageError for an invalid name; ConflictError when an exact name is taken (hint and `data.suggestion`
 *   name the next free name)
 */
export async function allocateName(env: Env, requested: string | null, id: string, now: Date, force = false): Promise<string> {
  const template = requested === null || requested === '' ? '@' : isTemplate(requested) ? requested : null;
  if (template !== null) {
    if (!isValidName(fillTemplate(template, '0'))) throw new UsageError(`invalid agent name template: ${requested}`);
    const taken = await takenNames(env);
    const derived = isDerivedTemplate(template);
    for (let n = derived ? 1 : 0; ; n++) {
      const candidate = fillTemplate(template, derived ? String(n) : autoToken(n));
      if (taken.has(candidate)) continue;
      if (await tryClaim(env, candidate, id, now)) return candidate;
    }
  }
  const name = requested!;
  if (!isValidName(name)) {
    throw new UsageError(`invalid agent name: ${JSON.stringify(name)}`, { hint: 'use letters, digits, ".", "_" and "-" (at most 100 characters)' });
  }
  if (await tryClaim(env, name, id, now)) return name;
  if (force) {
    const { writeFileAtomic, stringifyJson } = await import('../store/atomic.js');
    await writeFileAtomic(nameClaimPath(env, name), stringifyJson({ name, id, claimed_at: now.toISOString() } satisfies NameClaim));
    return name;
  }
  const suggestion = await suggestFreeName(env, name);
  throw new ConflictError(`agent name '${name}' is already taken`, {
    hint: `use %name:${suggestion} (the next free name), or %name:!${name} to reuse it`,
    data: { name, suggestion },
  });
}

/** The id a name currently points to, or null when the name is not claimed. */
export async function readNameClaim(env: Env, name: string): Promise<NameClaim | null> {
  if (!isValidName(name)) return null;
  try {
    return JSON.parse(await readFile(nameClaimPath(env, name), 'utf8')) as NameClaim;
  } catch {
    return null;
  }
}
