/**
 * Editor-style argument checks of `#name(...)` references in a text (a markdown body, a prompt) against the
 * catalog, with SASE's editor diagnostic messages (`sase-core: editor/diagnostics.rs`, spec/xprompts.md §7;
 * vector J7). Values containing Jinja (`{{`), command substitution (`$(`) or `null` are not type-checked.
 */
import { parseInputType } from '../xprompt/inputs.js';
import type { InputSpec } from '../xprompt/types.js';
import { xpromptCalls } from './refs.js';

/** One finding, at a 0-based offset into the checked text. */
export interface ReferenceProblem {
  offset: number;
  message: string;
  code: 'too_many_positional' | 'missing_argument' | 'unknown_argument' | 'argument_already_positional' | 'argument_type';
}

const BOOL_WORDS = new Set(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']);

function typeOk(type: string, v: string): boolean {
  if (v === 'null' || v.includes('{{') || v.includes('$(')) return true;
  switch (parseInputType(type)) {
    case 'word':
    case 'agent':
    case 'path':
      return v.trim() !== '' && !/\s/.test(v);
    case 'line':
      return !v.includes('\n');
    case 'int':
      return /^[+-]?\d+$/.test(v.trim()) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER;
    case 'float':
      return v.trim() !== '' && Number.isFinite(Number(v.trim()));
    case 'bool':
      return BOOL_WORDS.has(v.trim().toLowerCase());
    default:
      return true;
  }
}

/**
 * Checks every reference with arguments (paren, colon, plus or shorthand form) in `text` whose name `lookup` knows.
 * Editor rules: word/path reject whitespace, line
 * rejects newlines, int must be an integer, bool one of true/false/1/0/yes/no/on/off.
 */
export function checkReferences(text: string, lookup: (name: string) => InputSpec[] | undefined): ReferenceProblem[] {
  const out: ReferenceProblem[] = [];
  for (const call of xpromptCalls(text)) {
    const inputs = lookup(call.name);
    if (!inputs || call.form === 'bare') continue; // a bare `#name` in prose is not a call to check
    const n = call.name;
    const repeatable = inputs[inputs.length - 1]?.repeatable === true;
    if (call.positional.length > inputs.length && !repeatable) {
      out.push({ offset: call.offset, message: `Too many positional arguments for \`${n}\``, code: 'too_many_positional' });
    }
    const provided = new Set<string>();
    call.positional.forEach((v, i) => {
      const input = inputs[Math.min(i, inputs.length - 1)];
      if (!input || (i >= inputs.length && !repeatable)) return;
      provided.add(input.name);
      if (v !== '<shorthand text>' && !typeOk(String(input.type), v)) {
        out.push({ offset: call.offset, message: `Argument \`${input.name}\` for xprompt \`${n}\` expects ${parseInputType(input.type)}`, code: 'argument_type' });
      }
    });
    for (const [k, v] of Object.entries(call.named)) {
      const input = inputs.find((i) => i.name === k);
      if (!input) {
        out.push({ offset: call.offset, message: `Unknown argument \`${k}\` for xprompt \`${n}\``, code: 'unknown_argument' });
        continue;
      }
      if (provided.has(k)) out.push({ offset: call.offset, message: `Argument \`${k}\` was already provided positionally`, code: 'argument_already_positional' });
      provided.add(k);
      if (!typeOk(String(input.type), v)) out.push({ offset: call.offset, message: `Argument \`${k}\` for xprompt \`${n}\` expects ${parseInputType(input.type)}`, code: 'argument_type' });
    }
    for (const i of inputs) {
      if (i.required && !i.repeatable && !provided.has(i.name)) {
        out.push({ offset: call.offset, message: `Missing required argument \`${i.name}\` for xprompt \`${n}\``, code: 'missing_argument' });
      }
    }
  }
  return out;
}
