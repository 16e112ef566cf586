/** Vectors H (templating, recursion, protection, aliases, command substitution) of spec/xprompt-vectors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { expandPrompt, type TraceEvent } from '../../lib/xprompt/expand.js';
import { planLaunches } from '../../lib/xprompt/planner.js';
import { BUILTIN_XPROMPT_ALIASES, resolveXpromptAliases } from '../../lib/xprompt/aliases.js';
import { XpromptError } from '../../lib/xprompt/lexer.js';
import { cat, inp, md } from './lang-helpers.js';

const NOW = new Date(2026, 10, 21, 12, 0, 0);
const shell = (cmd: string) => execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

test('H1: legacy `{N}` / `{N:default}` placeholders, and the missing-argument error', async () => {
  const c = cat({ x: 'Review the {1} module and check for {2:correctness}.' });
  assert.equal(await expandPrompt('#x(auth)', c), 'Review the auth module and check for correctness.');
  await assert.rejects(expandPrompt('#x()', c), (e: unknown) =>
    e instanceof XpromptError && e.message.includes("XPrompt '#x' requires argument {1} but only 0 argument(s) provided"),
  );
});

test('H2: an undefined variable is a template error naming the xprompt, file and line', async () => {
  const c = cat({}, [md('greet', 'Intro\nHello {{ user }}', [inp('user', 'word', 0)], { path: '/x/greet.md', bodyLine: 4 })]);
  await assert.rejects(expandPrompt('#greet', c), (e: unknown) => {
    assert.ok(e instanceof XpromptError);
    assert.match(e.message, /XPrompt '#greet' template error: 'user' is undefined/);
    assert.deepEqual([e.location?.file, e.location?.line], ['/x/greet.md', 5]);
    return true;
  });
});

test('H3: Jinja conditionals with a bool input (newline kept, Python-style rendering)', async () => {
  const body = 'Hello, {{ user }}.\n\n{% if verbose %} Here is the detailed explanation... {% endif %}';
  const c = cat({}, [md('x', body, [inp('user', 'word', 0), inp('verbose', 'bool', 1, { default: false })]), md('b', '{{ flag }}', [inp('flag', 'bool', 0)])]);
  assert.equal(await expandPrompt('#x(bob)', c), 'Hello, bob.\n\n');
  assert.equal(await expandPrompt('#x(bob, verbose=yes)', c), 'Hello, bob.\n\n Here is the detailed explanation... ');
  assert.equal(await expandPrompt('#b(yes) #b(off)', c), 'True False');
});

test('§4.4: like Jinja2, a template drops one trailing newline; legacy bodies keep theirs', async () => {
  const c = cat({ j: 'J {{ _1 }}\n', jj: 'J {{ _1 }}\n\n', l: 'L {1}\n' });
  assert.equal(await expandPrompt('#j(a) #jj(b) #l(c)', c), 'J a J b\n L c\n');
});

test('H4: positional args are `_1`, `_2`, `_args` without declared inputs', async () => {
  assert.equal(await expandPrompt('#p(a, b)', cat({ p: '{{ _1 }}/{{ _2 }} {{ _args | length }}' })), 'a/b 2');
});

test('H5: a reference cycle hits the 100-iteration cap and the error names the chain', async () => {
  await assert.rejects(expandPrompt('#a', cat({ a: '#b', b: '#a' })), (e: unknown) => {
    assert.ok(e instanceof XpromptError);
    assert.match(e.message, /Maximum xprompt expansion depth \(100\) exceeded\. Check for circular references\./);
    assert.match(e.message, /#a -> #b|#b -> #a/);
    return true;
  });
});

test('H6: nested references expand recursively', async () => {
  assert.equal(await expandPrompt('#outer', cat({ outer: 'Start #inner end', inner: 'INNER' })), 'Start INNER end');
});

test('H7: references inside fenced code blocks are not expanded', async () => {
  const input = "Here's an example:\n\n```\n#foo will NOT be expanded inside this code block\n```\n\nBut #foo HERE will be expanded normally.";
  const out = await expandPrompt(input, cat({ foo: 'FOO' }));
  assert.equal(out, "Here's an example:\n\n```\n#foo will NOT be expanded inside this code block\n```\n\nBut FOO HERE will be expanded normally.");
});

test('H8: disabled regions pass through verbatim and their markers are stripped from the launch prompt', async () => {
  const input =
    '%xprompts_enabled:false\nThis content is passed through verbatim.\n#foo will NOT be expanded here.\n%xprompts_enabled:true\nNormal expansion resumes here.\n#foo WILL be expanded.';
  const [l] = await planLaunches(input, { cwd: '/tmp', env: {}, config: {}, now: NOW, catalog: cat({ foo: 'FOO' }) });
  assert.equal(
    l!.prompt,
    'This content is passed through verbatim.\n#foo will NOT be expanded here.\nNormal expansion resumes here.\nFOO WILL be expanded.',
  );
});

test('H9: aliases replace whole reference names only', async () => {
  const aliases = { ...BUILTIN_XPROMPT_ALIASES, gh_sase: 'gh:sase' };
  assert.equal(resolveXpromptAliases('#c', aliases), '#commit');
  assert.equal(resolveXpromptAliases('#cx', aliases), '#cx');
  assert.equal(resolveXpromptAliases('#gh_sase fix it', aliases), '#gh:sase fix it');
  const [l] = await planLaunches('#gh_sase fix it', {
    cwd: '/tmp',
    env: {},
    config: { xprompt_aliases: { gh_sase: 'gh:sase' } },
    now: NOW,
    catalog: cat(),
  });
  assert.equal(l!.workspace_ref, '#gh:sase');
});

test('H10: `$(cmd)` in arguments is replaced by its output; failures give ""; `\\$(` stays literal', async () => {
  const c = cat({ review: '[{1}]' });
  assert.equal(await expandPrompt('#review:$(echo hi)', c, { runCommand: shell }), '[hi]');
  assert.equal(await expandPrompt('#review($(exit 3))', c, { runCommand: shell }), '[]');
  assert.equal(await expandPrompt('#review(\\$(echo hi))', c, { runCommand: shell }), '[$(echo hi)]');
  assert.equal(await expandPrompt('#review:$(echo hi)', c), '[$(echo hi)]');
});

test('§4.6: --trace events report each resolved reference once, with file and args', async () => {
  const events: TraceEvent[] = [];
  const c = cat({}, [md('g', 'Hi {{ who }}', [inp('who', 'word', 0)], { path: '/x/g.md' })]);
  await expandPrompt('#g(ann) #g(bob)', c, { trace: (e) => events.push(e) });
  assert.deepEqual(events.map((e) => [e.name, e.file, e.args.positional, e.result]), [
    ['g', '/x/g.md', ['bob'], 'Hi bob'],
    ['g', '/x/g.md', ['ann'], 'Hi ann'],
  ]);
});

test('§4.4: Jinja features used by real xprompts render (filters, tests, inline if, concatenation)', async () => {
  const body = "{{ x | default('d') }} {{ items | tojson }} {% if y is defined %}Y{% else %}N{% endif %} {{ 'a' if z else 'b' }} {{ 'p' ~ 'q' }}";
  const c = cat({ j: body });
  assert.equal(await expandPrompt('#j(items=x, z=1)', c), 'd "x" N a pq');
});

test('§4.6: file-local xprompts of a definition expand inside its body only', async () => {
  const c = cat({}, [md('outer', 'A #_part B', [], { localXprompts: { _part: 'LOCAL' } })]);
  assert.equal(await expandPrompt('#outer #_part', c), 'A LOCAL B #_part');
});
