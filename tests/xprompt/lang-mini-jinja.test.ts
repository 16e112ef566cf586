/**
 * The Nunjucks-free fast path renders exactly like the engine path: differential fuzz over generated templates in
 * the subset (outputs, `tojson`, nested if/elif/else with truthiness, `is defined` and comparisons).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deferredValue } from '../../lib/xprompt/deferred.js';
import { renderMiniJinja } from '../../lib/xprompt/mini-jinja.js';
import { loadTemplateEngine, renderJinja } from '../../lib/xprompt/template.js';

const NAMES = ['a', 'b', 'c', 'o.x', 'o.y', 'd.k', 'missing'];
const path = fc.constantFrom(...NAMES);
const lit = fc.constantFrom('"x"', "'null'", '""', '1', '0', 'true', 'none');
const cond = fc.oneof(
  path,
  path.map((p) => `not ${p}`),
  path.map((p) => `${p} is defined`),
  path.map((p) => `${p} is not defined`),
  fc.tuple(path, fc.constantFrom('==', '!='), lit).map(([p, op, l]) => `${p} ${op} ${l}`),
);
const text = fc.constantFrom('', 'T', ' ', '\n', 'x y', '{ }', '%', '#');
const tmpl: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    path.map((p) => `{{ ${p} }}`),
    path.map((p) => `{{ ${p} | tojson }}`),
    fc
      .tuple(cond, tie('seq'), fc.option(fc.tuple(cond, tie('seq'))), fc.option(tie('seq')))
      .map(
        ([c, body, elif, els]) =>
          `{% if ${c} %}${body}${elif ? `{% elif ${elif[0]} %}${elif[1]}` : ''}${els !== null ? `{% else %}${els}` : ''}{% endif %}`,
      ),
  ),
  seq: fc.array(tie('node'), { maxLength: 4 }).map((xs) => (xs as string[]).join('')),
})).seq as fc.Arbitrary<string>;

const scalar = fc.oneof(fc.constantFrom('', 'x', 'null', 'false', 'a b'), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
/** Collections: Python truthiness (empty = false) must hold on both paths. */
const collection = fc.constantFrom<unknown>([], ['x'], {}, { k: 1 });
const vars = fc.record({
  a: scalar,
  b: fc.oneof(scalar, collection),
  c: fc.option(scalar, { nil: undefined }),
  o: fc.record({ x: scalar, y: scalar }),
});

function outcome(fn: () => string): string {
  try {
    return `ok:${fn()}`;
  } catch (e) {
    return `err:${(e as Error).message}`;
  }
}

test('the fast path and the Nunjucks path agree on 2,000 generated templates', async () => {
  await loadTemplateEngine();
  let fast = 0;
  fc.assert(
    fc.property(tmpl, vars, (src, v) => {
      const ctx: Record<string, unknown> = { ...v, d: deferredValue('d') };
      if (ctx.c === undefined) delete ctx.c;
      const origin = { label: '#t' };
      const viaFast = outcome(() => renderJinja(src, ctx, origin));
      const viaEngine = outcome(() => renderJinja(src, ctx, origin, { engineOnly: true }));
      if (renderMiniJinjaApplies(src)) fast++;
      assert.equal(viaFast, viaEngine, `template ${JSON.stringify(src)} vars ${JSON.stringify(v)}`);
    }),
    { numRuns: 2000 },
  );
  assert.ok(fast > 500, `fast path used only ${fast} times`);
});

function renderMiniJinjaApplies(src: string): boolean {
  try {
    return renderMiniJinja(src, () => 'v', () => 'v', () => 'v', () => false) !== null;
  } catch {
    return true;
  }
}

test('conditions follow Python truthiness on both paths: empty lists and dicts are false', async () => {
  await loadTemplateEngine();
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['{% if xs %}yes{% else %}no{% endif %}', { xs: [] }, 'no'],
    ['{% if xs %}yes{% else %}no{% endif %}', { xs: ['a'] }, 'yes'],
    ['{% if m %}yes{% else %}no{% endif %}', { m: {} }, 'no'],
    ['{% if not m %}empty{% endif %}', { m: {} }, 'empty'],
    ['{{ "yes" if xs else "no" }}', { xs: [] }, 'no'],
    ['{{ xs or "fallback" }}', { xs: [] }, 'fallback'],
    ['{% if xs and ys %}both{% else %}not both{% endif %}', { xs: ['a'], ys: [] }, 'not both'],
    ['{% if xs or ys %}some{% endif %}', { xs: [], ys: ['b'] }, 'some'],
    ['{% if xs | length > 0 %}n{% else %}zero{% endif %}', { xs: [] }, 'zero'],
  ];
  for (const [src, ctx, want] of cases) {
    assert.equal(renderJinja(src, ctx, { label: '#t' }), want, src);
    assert.equal(renderJinja(src, ctx, { label: '#t' }, { engineOnly: true }), want, `${src} (engine)`);
  }
});

test('`and`/`or` evaluate their right side only when Python would, and return an operand', async () => {
  await loadTemplateEngine();
  const calls: string[] = [];
  const f = (name: string): string => {
    calls.push(name);
    return name;
  };
  const r = (src: string, ctx: Record<string, unknown>): string => renderJinja(src, { f, ...ctx }, { label: '#t' }, { engineOnly: true });
  assert.equal(r('{{ "a" or f("or-right") }}', {}), 'a');
  assert.equal(r('{{ "" and f("and-right") }}', {}), '');
  assert.deepEqual(calls, []);
  assert.equal(r('{{ xs or f("taken") }}', { xs: [] }), 'taken');
  assert.equal(r('{{ xs and f("then") }}', { xs: ['a'] }), 'then');
  assert.deepEqual(calls, ['taken', 'then']);
});

test('templates outside the subset fall back to the engine', async () => {
  await loadTemplateEngine();
  const origin = { label: '#t' };
  assert.equal(renderJinja("{{ a ~ 'x' }}{% if a and b %}Y{% endif %}", { a: 'A', b: 1 }, origin), 'AxY');
  assert.equal(renderMiniJinja('{{ a | upper }}', () => 'a', String, String, () => false), null);
  assert.equal(renderMiniJinja('{% for x in y %}{% endfor %}', () => 'a', String, String, () => false), null);
});
