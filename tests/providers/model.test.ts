/**
 * Model-string resolution: spec/runtime.md §c.2 and the effort-split vectors of runtime-vectors.md §5
 * (sase-core effort.rs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../lib/errors/index.js';
import { resolveModel, resolveWorkerModel, splitEffort } from '../../lib/providers/index.js';

test('the effort split follows sase-core effort.rs', () => {
  const cases: [string, [string, string | null]][] = [
    ['opus@xhigh', ['opus', 'xhigh']],
    ['@default@medium', ['@default', 'medium']],
    ['codex/gpt-5.6-sol@low', ['codex/gpt-5.6-sol', 'low']],
    ['@default@turbo', ['@default@turbo', null]],
    ['@max', ['@max', null]],
    ['fakey/@ok', ['fakey/@ok', null]],
    ['opus', ['opus', null]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(splitEffort(input), expected, input);
});

const CLAUDE_CFG = { llm_provider: { provider: 'claude' } };
const ALIASES = {
  llm_provider: {
    model_aliases: { fast: 'claude/haiku', chain: '@fast', pooled: { target: 'codex/gpt-5.5@high | claude/opus' }, loop1: '@loop2', loop2: '@loop1' },
  },
};

const TABLE: { spec: string | null; config?: Record<string, unknown>; tier?: 'large' | 'small'; expect: [string, string, string | null, string?] }[] = [
  { spec: 'claude/opus', expect: ['claude', 'opus', null, 'large'] },
  { spec: 'opus@xhigh', expect: ['claude', 'opus', 'xhigh'] },
  { spec: 'sonnet', expect: ['claude', 'sonnet', null, 'small'] },
  { spec: 'haiku', expect: ['claude', 'haiku', null] },
  { spec: 'codex/gpt-5.6-sol@low', expect: ['codex', 'gpt-5.6-sol', 'low'] },
  { spec: 'gpt-5.5', expect: ['codex', 'gpt-5.5', null] },
  { spec: 'o3', expect: ['codex', 'o3', null] },
  { spec: 'o4-mini', expect: ['codex', 'o4-mini', null] },
  { spec: 'gpt55', expect: ['codex', 'gpt-5.5', null] },
  { spec: 'mini', expect: ['codex', 'codex-mini-latest', null, 'small'] },
  { spec: 'qwen3-coder-flash', expect: ['qwen', 'qwen3-coder-flash', null, 'small'] },
  { spec: 'opencode/anthropic/claude-sonnet-4-5', expect: ['opencode', 'anthropic/claude-sonnet-4-5', null] },
  { spec: 'anthropic/claude-sonnet-4-5', expect: ['opencode', 'anthropic/claude-sonnet-4-5', null] },
  { spec: 'openai/gpt-5-mini', expect: ['opencode', 'openai/gpt-5-mini', null] },
  { spec: 'flash35h', expect: ['agy', 'Gemini 3.5 Flash (High)', null] },
  { spec: 'fakeyl', expect: ['fakey', 'fakey-large', null] },
  { spec: 'fakey-small@low', expect: ['fakey', 'fakey-small', 'low', 'small'] },
  { spec: 'fakey', expect: ['fakey', 'fakey-large', null] },
  { spec: 'fakey/@ok', expect: ['fakey', '@ok', null] },
  { spec: 'claude', expect: ['claude', 'opus', null] },
  { spec: 'codex', tier: 'small', expect: ['codex', 'codex-mini-latest', null] },
  { spec: null, expect: ['fakey', 'fakey-large', null] },
  { spec: '  ', expect: ['fakey', 'fakey-large', null] },
  { spec: null, config: CLAUDE_CFG, expect: ['claude', 'opus', null] },
  { spec: null, config: { llm_provider: { default: 'codex/gpt-5.5' } }, expect: ['codex', 'gpt-5.5', null] },
  { spec: null, config: { llm_provider: { provider: 'codex' } }, tier: 'small', expect: ['codex', 'codex-mini-latest', null] },
  { spec: '@small', config: CLAUDE_CFG, expect: ['claude', 'sonnet', null, 'small'] },
  { spec: '@large', config: CLAUDE_CFG, expect: ['claude', 'opus', null, 'large'] },
  { spec: '@max', config: CLAUDE_CFG, expect: ['claude', 'opus', null] },
  { spec: 'my-model', config: CLAUDE_CFG, expect: ['claude', 'my-model', null] },
  { spec: 'my-model', expect: ['fakey', 'my-model', null] },
  { spec: '@chain', config: ALIASES, expect: ['claude', 'haiku', null] },
  { spec: 'fast@high', config: ALIASES, expect: ['claude', 'haiku', 'high'] },
  { spec: '@pooled', config: ALIASES, expect: ['codex', 'gpt-5.5', 'high'] },
];

for (const row of TABLE) {
  test(`model string ${JSON.stringify(row.spec)}${row.config ? ` with ${JSON.stringify(row.config)}` : ''} resolves to ${row.expect.slice(0, 3).join(' · ')}`, () => {
    const c = resolveModel(row.spec, row.config ?? {}, { tier: row.tier });
    assert.deepEqual([c.provider, c.model, c.effort], row.expect.slice(0, 3));
    if (row.expect[3]) assert.equal(c.tier, row.expect[3]);
  });
}

test('an alias cycle is ignored instead of looping forever', () => {
  const c = resolveModel('@loop1', ALIASES);
  assert.equal(c.provider, 'fakey');
});

test('the choice records how it was made', () => {
  assert.equal(resolveModel(null, {}).source, 'default');
  assert.equal(resolveModel(null, CLAUDE_CFG).source, 'config');
  assert.equal(resolveModel('claude/opus', {}).source, 'explicit');
  assert.equal(resolveModel('opus', {}).source, 'known_model');
  assert.equal(resolveModel('gpt55', {}).source, 'alias');
  assert.equal(resolveModel('gpt55', {}).spec, 'gpt55');
});

test('a provider prefix with no model is a usage error', () => {
  assert.throws(() => resolveModel('claude/', {}), UsageError);
});

test('worker_models routes by the primary provider (seed 000)', () => {
  const cfg = { llm_provider: { worker_models: { claude: 'codex/gpt-5.5', codex: 'claude/opus@high' } } };
  assert.deepEqual(
    (({ provider, model, effort }) => ({ provider, model, effort }))(resolveWorkerModel('claude', cfg)!),
    { provider: 'codex', model: 'gpt-5.5', effort: null },
  );
  assert.equal(resolveWorkerModel('codex', cfg)!.effort, 'high');
  assert.equal(resolveWorkerModel('qwen', cfg), null);
  assert.equal(resolveWorkerModel('claude', {}), null);
});
