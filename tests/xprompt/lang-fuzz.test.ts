/**
 * Fuzz: ≥ 10,000 generated prompts (reference/directive/alt/segment soup plus arbitrary text) thrown at the lexer,
 * shorthand, segment splitter, directive extractor, expander and planner. Each call either succeeds or throws a
 * SaseError (template errors carry the xprompt's file and line); nothing else, and nothing hangs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SaseError } from '../../lib/errors/index.js';
import { findReferences, refArgs } from '../../lib/xprompt/lexer.js';
import { preprocessShorthand } from '../../lib/xprompt/expand.js';
import { splitPrompt } from '../../lib/xprompt/segments.js';
import { extractDirectives } from '../../lib/xprompt/directives.js';
import { expandPrompt } from '../../lib/xprompt/expand.js';
import { planLaunches } from '../../lib/xprompt/planner.js';
import { fanOutPrompt } from '../../lib/xprompt/planner.js';
import { loadTemplateEngine } from '../../lib/xprompt/template.js';
import { cat, inp, md, standalone } from './lang-helpers.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0);
const CATALOG = cat({ foo: 'FOO {1:d}', rec: 'again #rec', multi: '%n:a\nA {{ _1 }}\n---\n%n:b\n%w:a\nB' }, [
  md('bar', 'Bar {{ who }}{% if loud %}!{% endif %}', [inp('who', 'word', 0), inp('loud', 'bool', 1, { default: false })], {
    path: '/defs/bar.md',
    bodyLine: 3,
  }),
  md('fenced', '```\n#foo {{ x }}\n```\n{{ y }}', [], { path: '/defs/fenced.md' }),
  standalone('wf', [inp('x', 'word', 0, { default: null })]),
]);

const TOKENS = [
  '#foo', '#!foo', '#bar', '#bar(', '#bar(ann', '#bar(ann, loud=yes)', '#rec', '#multi', '#!multi(z)', '#wf', '#!wf',
  '#t:5m', '#t:1430', '#t:9999', '#fork:a', '#cd:.', '#gh:x', '#gh_x', '#gh@x', '#fenced', '#c', '#foo:a,b', '#foo:`a, b`',
  '#foo: ', '#foo:: ', '#foo+', '#foo(x): ', '#__', '#a__b', '(', ')', '[[', ']]', '"', "'", '`', '```', '\n', ' ', '\n\n',
  ':', '::', ',', '=', '|', '{', '}', '{{', '}}', '{{ x }}', '{% if x %}', '{% endif %}', '{1}', '{2:def}', '$(', '\\$(',
  '%m:opus', '%model(a, b)', '%m(opus, coder=x)', '%n:x', '%n:!x@', '%name', '%w', '%w:a,b', '%wait(time=5m)',
  '%w(time=1430)', '%w(runners=0)', '%w(bad=1)', '%w:5m', '%r:3', '%r:0', '%repeat', '%h', '%a:epic', '%g:t', '%group',
  '%time:5m', '%edit', '%id(tribe=q)', '%unknown:x', '%{', '%{%m:a | %m:b}', '%(', '%(x, y)', '%alt(', '%alt(k=[[v]], w)',
  '%(2=[[n]], [[f]])', '%xprompts_enabled:false\n', '%xprompts_enabled:true\n', '---', '\n---\n', '---\nxprompts:\n  _l: L\n---\n',
  '#_l', '50%', '%', '#', '#!', 'word', 'C#foo', '\uE000', '\uE0011\uE001',
];

const soup = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), {
    maxLength: 24,
  })
  .map((parts) => parts.join(''));

function ok(e: unknown): boolean {
  if (!(e instanceof SaseError)) return false;
  if (/template error/.test(e.message) && /#(bar|fenced)'/.test(e.message)) return e.location?.file !== undefined;
  return true;
}

function guard(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    assert.ok(ok(e), `unexpected ${e instanceof Error ? `${e.constructor.name}: ${e.stack}` : String(e)}`);
  }
}

async function guardAsync(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    assert.ok(ok(e), `unexpected ${e instanceof Error ? `${e.constructor.name}: ${e.stack}` : String(e)}`);
    return false;
  }
}

test('the lexer, shorthand and segment splitter never throw on 4,000 generated prompts', () => {
  fc.assert(
    fc.property(soup, (text) => {
      for (const r of findReferences(text)) {
        assert.ok(r.start < r.end && r.end <= text.length);
        refArgs(r);
      }
      preprocessShorthand(text, (n) => n === 'foo' || n === 'bar');
      splitPrompt(text);
    }),
    { numRuns: 4000 },
  );
});

test('directive extraction and fan-out either succeed or throw a SaseError on 3,000 generated prompts', () => {
  fc.assert(
    fc.property(soup, (text) => {
      guard(() => extractDirectives(text, { now: NOW, previousName: text.length % 2 ? 'prev' : null }));
      guard(() => fanOutPrompt(text));
    }),
    { numRuns: 3000 },
  );
});

test('expansion and planning either succeed or throw a SaseError on 3,000 generated prompts', async () => {
  await loadTemplateEngine();
  const started = Date.now();
  const outcome = { planned: 0, rejected: 0, launches: 0 };
  await fc.assert(
    fc.asyncProperty(soup, async (text) => {
      await guardAsync(() => expandPrompt(text, CATALOG));
      const okPlan = await guardAsync(async () => {
        const ls = await planLaunches(text, { cwd: '/tmp', env: { HOME: '/home/u' }, config: {}, now: NOW, catalog: CATALOG, autoName: () => 'auto', runCommand: null });
        outcome.launches += ls.length;
      });
      outcome[okPlan ? 'planned' : 'rejected']++;
    }),
    { numRuns: 3000 },
  );
  // Both outcomes must be common, or the generator is not exercising the planner.
  assert.ok(outcome.planned > 300 && outcome.rejected > 300, JSON.stringify(outcome));
  assert.ok(Date.now() - started < 120_000, 'fuzzing took too long');
});

test('pathological prompts end quickly with a result or a SaseError (no runaway fan-out, nesting or backtracking)', async () => {
  const cases = [
    '%(a, b) '.repeat(40),
    '%r:100000\nx',
    '#foo: x\n'.repeat(400),
    '#foo:: x\n'.repeat(400),
    '#foo('.repeat(2000),
    '#foo([['.repeat(1000),
    '%{'.repeat(2000),
    '%xprompts_enabled:false\n'.repeat(1000) + 'x',
    'x\n---\n'.repeat(1000),
    `${' '.repeat(20000)}%(a)`,
  ];
  for (const text of cases) {
    const started = Date.now();
    await guardAsync(() =>
      planLaunches(text, { cwd: '/tmp', env: {}, config: {}, now: NOW, catalog: CATALOG, autoName: () => 'auto', runCommand: null }),
    );
    assert.ok(Date.now() - started < 30_000, `too slow: ${JSON.stringify(text.slice(0, 30))}`);
  }
});
