/** Vectors D (directive extraction) and E (time waits) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDirectives, extractDirectives } from '../../lib/xprompt/directives.js';
import { expandPromptSync, expandPrompt } from '../../lib/xprompt/expand.js';
import { parseDuration } from '../../lib/xprompt/directives.js';
import { XpromptError } from '../../lib/xprompt/lexer.js';
import type { LaunchDirectives } from '../../lib/xprompt/launch-types.js';
import { cat } from './lang-helpers.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0); // local 2026-11-21 12:00

interface DRow {
  id: string;
  input: string;
  cleaned?: string;
  expect?: Partial<LaunchDirectives>;
  error?: string;
  previousName?: string | null;
}

const DIRECTIVES: DRow[] = [
  { id: 'D1', input: 'Just a normal prompt', cleaned: 'Just a normal prompt', expect: {} },
  { id: 'D2', input: '%model:`claude-sonnet-4-20250514`\nReview this code', cleaned: 'Review this code', expect: { model: 'claude-sonnet-4-20250514' } },
  { id: 'D3', input: '%model(opus)\nReview this code', cleaned: 'Review this code', expect: { model: 'opus' } },
  { id: 'D4', input: '%model+\nSome prompt', cleaned: 'Some prompt', expect: { model: 'true' } },
  { id: 'D5', input: '%model\nSome prompt', cleaned: 'Some prompt', expect: { model: null } },
  { id: 'D7', input: '%unknown:foo\nRest of prompt', cleaned: '%unknown:foo\nRest of prompt', expect: {} },
  { id: 'D8 (target: F13 migration error)', input: '%m:opus\n%model:sonnet\nPrompt text', error: 'use %{%m:opus | %m:sonnet} instead' },
  { id: 'D9', input: 'Use 50% of the data', cleaned: 'Use 50% of the data', expect: {} },
  { id: 'D10', input: '%wait:a\n%wait:b\nDo some work', cleaned: 'Do some work', expect: { waits: ['a', 'b'] } },
  { id: 'D11 %auto', input: '%auto\nDo the work', cleaned: 'Do the work', expect: { auto: 'plan' } },
  { id: 'D11 %a', input: '%a\nDo the work', cleaned: 'Do the work', expect: { auto: 'plan' } },
  { id: 'D11 %auto+', input: '%auto+\nDo the work', cleaned: 'Do the work', expect: { auto: 'plan' } },
  { id: 'D11 %auto:true', input: '%auto:true\nDo the work', cleaned: 'Do the work', expect: { auto: 'plan' } },
  { id: 'D11 %auto:epic', input: '%auto:epic\nDo the work', cleaned: 'Do the work', expect: { auto: 'epic' } },
  { id: 'D11 %a:tale', input: '%a:tale\nDo the work', cleaned: 'Do the work', expect: { auto: 'tale' } },
  { id: 'D11 duplicate %auto', input: '%auto\n%a\nDo the work', error: "Duplicate directive '%auto' in prompt" },
  {
    id: 'D12',
    input: '%model:`claude-sonnet-4-20250514`\n%name:code-reviewer\n%wait:planner\nReview the code changes and provide feedback.',
    cleaned: 'Review the code changes and provide feedback.',
    expect: { model: 'claude-sonnet-4-20250514', name: 'code-reviewer', waits: ['planner'] },
  },
  { id: 'D13 no previous agent', input: '%wait\nDo it', error: "Bare '%wait' directive found but no previously named agent exists" },
  { id: 'D13 previous agent', input: '%wait\nDo it', previousName: 'planner', cleaned: 'Do it', expect: { waits: ['planner'] } },
  {
    id: 'D14',
    input: '%w(runners=0)\nAudit recent commits in sase-core for bugs.',
    cleaned: 'Audit recent commits in sase-core for bugs.',
    expect: { wait_runners: 0, waits: [] },
  },
  { id: 'D16', input: 'Text\n%model:opus\nMore', cleaned: 'Text\n\nMore', expect: { model: 'opus' } },
  { id: 'D17', input: '%time:5m\nDo it', error: "The '%time' directive has been removed; use #t:<time> or %wait(time=<time>) instead." },
  { id: 'D18 zero', input: '%repeat:0\nx', error: "Invalid repeat count '0' — must be a positive integer" },
  { id: 'D18 abc', input: '%repeat:abc\nx', error: "Invalid repeat count 'abc'" },
  { id: 'D18 bare', input: '%repeat\nx', error: "'%repeat' directive requires a positive integer argument (e.g., %repeat:3)" },
  { id: 'D18 %r:3', input: '%r:3\nx', cleaned: 'x', expect: { repeat: 3 } },
  { id: 'D19 force reuse', input: '%n:!reviewer\nGo', cleaned: 'Go', expect: { name: 'reviewer', name_reuse: true } },
  { id: 'D19 bare name', input: '%name\nGo', cleaned: 'Go', expect: { name: '' } },
  // §2.4 / §8 rows.
  { id: '§2.4 %wait:a,b', input: '%wait:a,b\nx', cleaned: 'x', expect: { waits: ['a', 'b'] } },
  { id: '§2.4 backticked wait', input: '%wait:`a,b`\nx', cleaned: 'x', expect: { waits: ['a,b'] } },
  { id: '§2.4 %wait(a, b, agent=c)', input: '%wait(a, b, agent=c)\nx', cleaned: 'x', expect: { waits: ['a', 'b', 'c'] } },
  { id: '§2.4 unknown keyword', input: '%wait(foo=1)\nx', error: 'Unsupported keyword on %wait: foo=' },
  { id: '§2.4 bad runners', input: '%w(runners=x)\nx', error: "'%wait(runners=...)' requires a non-negative integer argument" },
  { id: '§8 %wait:5m', input: '%wait:5m\nx', error: "'%wait:5m' looks like a time" },
  { id: '§8 %n:!x@', input: '%n:!x@\nGo', error: 'Cannot combine forced name reuse with an agent name template' },
  { id: '§2.3 %hide', input: '%h\nx', cleaned: 'x', expect: { hide: true } },
  { id: '§2.3 %group', input: '%g:docs\nx', cleaned: 'x', expect: { group: 'docs' } },
  { id: '§2.3 %group empty', input: '%group\nx', error: "'%group' directive requires" },
  { id: '§2.3 duplicate %name', input: '%n:a\n%name:b\nx', error: "Duplicate directive '%name' in prompt" },
  { id: '§2.2 inline directive keeps spaces', input: 'Do %h it', cleaned: 'Do  it', expect: { hide: true } },
  { id: '§2.2 fenced directive ignored', input: '```\n%model:opus\n```\nx', cleaned: '```\n%model:opus\n```\nx', expect: {} },
  {
    id: '§1.7 disabled region is verbatim and markers are stripped',
    input: '%xprompts_enabled:false\n%model:opus\n%xprompts_enabled:true\n%h\nx',
    cleaned: '%model:opus\n\nx', // a directive line after other content leaves its empty line (D16)
    expect: { hide: true, model: null },
  },
  { id: 'Appendix A %w(bead=…)', input: '%w(planner, bead=sase-12)\nx', cleaned: 'x', expect: { waits: ['planner'], wait_beads: ['sase-12'] } },
  { id: 'Appendix A %id alias', input: '%id(tribe=docs)\nx', cleaned: 'x', expect: { name: '', group: 'docs' } },
];

for (const row of DIRECTIVES) {
  test(`${row.id}: directives of ${JSON.stringify(row.input)}`, () => {
    const run = () => extractDirectives(row.input, { now: NOW, previousName: row.previousName ?? null });
    if (row.error) {
      assert.throws(run, (e: unknown) => e instanceof XpromptError && e.message.includes(row.error!));
      return;
    }
    const r = run();
    assert.equal(r.prompt, row.cleaned);
    assert.deepEqual(r.directives, { ...defaultDirectives(), ...row.expect });
  });
}

test('D6: a directive value with a #reference is expanded once through the processor', () => {
  const c = cat({ gemini_small_model: 'gemini-2.5-flash' });
  const calls: string[] = [];
  const r = extractDirectives('%model:#gemini_small_model\nReview this code', {
    now: NOW,
    expandValue: (v) => {
      calls.push(v);
      return expandPromptSync(v, c);
    },
  });
  assert.equal(r.prompt, 'Review this code');
  assert.equal(r.directives.model, 'gemini-2.5-flash');
  assert.deepEqual(calls, ['#gemini_small_model']);
});

// ---- E. time waits ----

function expectedAt(h: number, m: number): Date {
  const d = new Date(NOW.getTime());
  d.setHours(h, m, 0, 0);
  if (d.getTime() <= NOW.getTime()) d.setDate(d.getDate() + 1);
  return d;
}

const WAITS: Array<{ id: string; input: string; duration?: number; until?: Date; waits?: string[]; error?: string }> = [
  { id: 'E2', input: '%wait(time=1h30m)', duration: 5400 },
  { id: 'E3', input: '%wait(time=90s)', duration: 90 },
  { id: 'E4', input: '%wait(planner, time=5m)', duration: 300, waits: ['planner'] },
  { id: 'E5', input: '%wait(time=5m) %wait(time=10m)', duration: 600 },
  { id: 'E6', input: '%wait(time=1430)', until: expectedAt(14, 30) },
  { id: 'E6 past today', input: '%wait(time=0900)', until: expectedAt(9, 0) },
  { id: 'E7', input: '%wait(time=2575)', error: "Invalid time '2575' in '%wait:2575' — hours must be 00-23 and minutes 00-59" },
  { id: 'E8', input: '%wait(time=5m) %wait(time=1430)', error: 'Cannot combine duration and absolute time waits' },
  { id: 'E9', input: '%wait(time=1430) %wait(time=1500)', error: 'Multiple absolute time waits are not allowed' },
  { id: 'E10', input: '%wait(time=200101/0900)', error: "Target time '%wait:200101/0900' is in the past" },
  {
    id: 'E11',
    input: '%wait(time=soon)',
    error: "Invalid %wait time= value 'soon'; time= accepts only durations (e.g. 5m) and absolute times (e.g. 1430). Use %wait:soon to wait for an agent.",
  },
  { id: '§2.4 empty time=', input: '%wait(time=)', error: "'%wait(time=...)' requires a duration or absolute time argument" },
  { id: '§2.4 yymmdd/HHMM future', input: '%wait(time=270102/0930)', until: new Date(2027, 0, 2, 9, 30, 0) },
];

for (const row of WAITS) {
  test(`${row.id}: time wait ${JSON.stringify(row.input)}`, () => {
    const run = () => extractDirectives(`${row.input}\nDo it`, { now: NOW });
    if (row.error) {
      assert.throws(run, (e: unknown) => e instanceof XpromptError && e.message.includes(row.error!));
      return;
    }
    const d = run().directives;
    if (row.duration !== undefined) assert.deepEqual(d.wait_time, { duration_s: row.duration });
    if (row.until) assert.equal(d.wait_time?.until, row.until.toISOString());
    assert.deepEqual(d.waits, row.waits ?? []);
  });
}

test('E1: `#t:5m Do it` expands (built-in #t) to `%wait(time=5m) Do it`, a 300 s floor', async () => {
  const expanded = await expandPrompt('#t:5m Do it', cat());
  assert.equal(expanded, '%wait(time=5m) Do it');
  const r = extractDirectives(expanded, { now: NOW });
  assert.deepEqual(r.directives.wait_time, { duration_s: 300 });
  assert.equal(r.prompt.trim(), 'Do it');
});

test('E6: the absolute floor is also given as local wall-clock ISO', () => {
  const d = extractDirectives('%wait(time=1430)\nx', { now: NOW }).directives;
  assert.equal(d.wait_time?.until_local, '2026-11-21T14:30:00');
});

test('E12: durations must start with a digit and keep h, m, s order', () => {
  assert.equal(parseDuration('m5'), null);
  assert.equal(parseDuration('5m1h'), null);
  assert.equal(parseDuration('1h30m'), 5400);
});
