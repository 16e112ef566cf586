/**
 * Jinja rendering for the workflow executor (spec/xprompts.md §4.4, §6.3): Nunjucks with lenient undefined (a
 * skipped step's fields render empty and `| default(...)` works), no autoescape, a `tojson` filter, and helpers to
 * evaluate a `{{ expr }}` to its value (loop lists) or to a truth value (`if`, `while`, `until`).
 * Nunjucks is imported lazily (only workflow runs load this module).
 */
import { InvalidDataError } from '../../errors/index.js';

interface Env {
  renderString(src: string, ctx: Record<string, unknown>): string;
  addFilter(name: string, fn: (...args: any[]) => unknown): unknown;
  addGlobal(name: string, v: unknown): unknown;
}

let env: Env | null = null;
let captured: unknown;

async function engine(): Promise<Env> {
  if (env) return env;
  const mod: any = (await import('nunjucks')).default;
  const e: Env = new mod.Environment(null, { autoescape: false, throwOnUndefined: false });
  e.addFilter('tojson', (v: unknown) => JSON.stringify(v === undefined ? null : v));
  e.addFilter('int', (v: unknown) => parseInt(String(v), 10) || 0);
  e.addGlobal('__capture', (v: unknown) => {
    captured = v;
    return '';
  });
  env = e;
  return e;
}

/**
 * Renders a template against the context.
 * @throws InvalidDataError (with `what` in the message) on template syntax/runtime errors
 */
export async function renderTemplate(src: string, ctx: Record<string, unknown>, what: string): Promise<string> {
  return renderWith(await engine(), src, ctx, what);
}

function renderWith(e: Env, src: string, ctx: Record<string, unknown>, what: string): string {
  try {
    return e.renderString(src, ctx);
  } catch (err) {
    throw new InvalidDataError(`template error in ${what}: ${(err as Error).message.replace(/^\(unknown path\)\s*/, '')}`);
  }
}

const SOLE_EXPR = /^\s*\{\{([\s\S]*)\}\}\s*$/;

/**
 * Evaluates a template to a value: a sole `{{ expr }}` yields the expression's value (strings that hold JSON or a
 * Python list literal are parsed); anything else renders to a string.
 */
export async function evaluateValue(src: string, ctx: Record<string, unknown>, what: string): Promise<unknown> {
  const m = SOLE_EXPR.exec(src);
  let v: unknown;
  if (m) {
    // Reset, render and read `captured` in one synchronous run, so concurrent evaluations (parallel branches)
    // cannot interleave between the write and the read.
    const e = await engine();
    captured = undefined;
    renderWith(e, `{{ __capture((${m[1]})) }}`, ctx, what);
    v = captured;
  } else v = await renderTemplate(src, ctx, what);
  return typeof v === 'string' ? parseLiteral(v) : v;
}

/** Parses a JSON (or simple Python literal: single quotes, True/False/None) string; returns the string when it is neither. */
export function parseLiteral(s: string): unknown {
  const t = s.trim();
  if (!/^[[{]/.test(t)) return s;
  try {
    return JSON.parse(t);
  } catch {
    try {
      return JSON.parse(t.replace(/'/g, '"').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null'));
    } catch {
      return s;
    }
  }
}

/** Jinja-ish truthiness of a rendered condition: '', false, False, none, None, null, 0, [], {} are false. */
export function isTruthyText(s: string): boolean {
  const t = s.trim().toLowerCase();
  return !['', 'false', 'none', 'null', '0', '[]', '{}', 'undefined', 'no'].includes(t);
}

/** Evaluates a condition template (`if`, `while`, `until`) to a boolean. */
export async function evaluateCondition(src: string, ctx: Record<string, unknown>, what: string): Promise<boolean> {
  const v = await evaluateValue(src, ctx, what);
  if (typeof v === 'string') return isTruthyText(v);
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}
