/**
 * Table-driven tests of the SDD link validator (spec/beads-sdd-changespecs.md §A.4 rules 1–8): each case is a small
 * tree; the expected diagnostics name code, severity, file, line and field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateTree } from '../../lib/sdd/validate.js';
import { tmpdir, type Tree } from '../helpers/index.js';

/** A strict-schema tale whose `prompt:` key is on line 6. */
const tale = (prompt: string | null, extra = ''): string =>
  `---\ntier: tale\ntitle: T\ngoal: G\nsize: small\n${prompt === null ? '' : `prompt: ${prompt}\n`}${extra}---\n# Plan\nx\n`;
/** A strict-schema epic whose `prompt:` key is on line 10. */
const epic = (prompt: string | null): string =>
  `---\ntier: epic\ntitle: E\ngoal: G\nphases:\n  - id: a\n    title: A\n    depends_on: []\n    size: small\n    description: A.\n${prompt === null ? '' : `prompt: ${prompt}\n`}---\n# Plan\nx\n`;
/** A prompt snapshot whose `plan:` key is on line 3. */
const prompt = (plan: string | null): string => `---\ncreate_time: 2026-11-01 10:00:00\n${plan === null ? '' : `plan: ${plan}\n`}---\nDo the thing.\n`;

type Exp = [code: string, severity: string, file: string, line: number | null, field: string];
interface Case {
  name: string;
  tree: Tree;
  strict?: boolean;
  path?: string;
  expect: Exp[];
}

const M = '202611';
const CASES: Case[] = [
  {
    name: 'a consistent prompt ↔ tale pair is clean',
    tree: { [`prompts/${M}/a.md`]: prompt(`tales/${M}/a.md`), [`tales/${M}/a.md`]: tale(`prompts/${M}/a.md`) },
    expect: [],
  },
  {
    name: 'rule 1: frontmatter that is not YAML',
    tree: { [`prompts/${M}/a.md`]: '---\nplan: [x\n---\nbody\n', [`tales/${M}/a.md`]: tale(`prompts/${M}/a.md`) },
    expect: [['frontmatter-invalid', 'error', `prompts/${M}/a.md`, 3, '']],
  },
  {
    name: 'rule 2: a link that is not a string',
    tree: { [`prompts/${M}/a.md`]: prompt(`tales/${M}/a.md`), [`tales/${M}/a.md`]: tale('42') },
    expect: [['link-not-string', 'error', `tales/${M}/a.md`, 6, 'prompt']],
  },
  {
    name: 'rule 3: a link to a file that does not exist',
    tree: { [`tales/${M}/a.md`]: tale(`prompts/${M}/gone.md`) },
    expect: [['link-target-missing', 'error', `tales/${M}/a.md`, 6, 'prompt']],
  },
  {
    name: 'rule 4: a prompt linking to another prompt',
    tree: { [`prompts/${M}/a.md`]: prompt(`prompts/${M}/b.md`), [`prompts/${M}/b.md`]: prompt(null) },
    expect: [
      ['link-wrong-kind', 'error', `prompts/${M}/a.md`, 3, 'plan'],
      ['unpaired', 'warning', `prompts/${M}/b.md`, null, 'plan'],
    ],
  },
  {
    name: 'rule 5: links that disagree',
    tree: {
      [`tales/${M}/x.md`]: tale(`prompts/${M}/p1.md`),
      [`prompts/${M}/p1.md`]: prompt(`tales/${M}/y.md`),
      [`tales/${M}/y.md`]: tale(`prompts/${M}/p1.md`),
    },
    expect: [['link-mismatch', 'error', `tales/${M}/x.md`, 6, 'prompt']],
  },
  {
    name: 'rule 6: a missing back-link to an inferable counterpart',
    tree: { [`prompts/${M}/a.md`]: prompt(null), [`tales/${M}/a.md`]: tale(`prompts/${M}/a.md`) },
    expect: [['link-missing', 'error', `prompts/${M}/a.md`, 1, 'plan']],
  },
  {
    name: 'rule 6: both links missing between same-named files',
    tree: { [`prompts/${M}/a.md`]: prompt(null), [`epics/${M}/a.md`]: epic(null) },
    expect: [
      ['link-missing', 'error', `epics/${M}/a.md`, 1, 'prompt'],
      ['link-missing', 'error', `prompts/${M}/a.md`, 1, 'plan'],
    ],
  },
  {
    name: 'rule 7: an unpaired tale warns',
    tree: { [`tales/${M}/lonely.md`]: tale(null) },
    expect: [['unpaired', 'warning', `tales/${M}/lonely.md`, null, 'prompt']],
  },
  {
    name: 'rule 7: --strict makes an unpaired tale an error',
    tree: { [`tales/${M}/lonely.md`]: tale(null) },
    strict: true,
    expect: [['unpaired', 'error', `tales/${M}/lonely.md`, null, 'prompt']],
  },
  {
    name: 'rule 7: a prompt with two possible counterparts is ambiguous',
    tree: { [`prompts/${M}/a.md`]: prompt(null), [`tales/${M}/a.md`]: tale(null), [`epics/${M}/a.md`]: epic(null) },
    expect: [
      ['link-missing', 'error', `epics/${M}/a.md`, 1, 'prompt'],
      ['ambiguous', 'warning', `prompts/${M}/a.md`, null, 'plan'],
      ['link-missing', 'error', `tales/${M}/a.md`, 1, 'prompt'],
    ],
  },
  {
    name: 'rule 8: the legacy allowlist downgrades errors of listed files',
    tree: { [`tales/${M}/a.md`]: tale(`prompts/${M}/gone.md`), '.sdd-legacy-allowlist': `# legacy\ntales/${M}/a.md\n` },
    expect: [['link-target-missing', 'warning', `tales/${M}/a.md`, 6, 'prompt']],
  },
  {
    name: 'Gen-2 root prefixes (sdd/, .sase/sdd/) resolve against the root',
    tree: {
      [`plans/${M}/a.md`]: tale(`sdd/plans/${M}/prompts/a.md`),
      [`plans/${M}/prompts/a.md`]: prompt(`.sase/sdd/plans/${M}/a.md`),
    },
    expect: [],
  },
  {
    name: 'a Gen-3 PROMPT header link to another repository is external, not checked',
    tree: { [`${M}/a.md`]: `---\ntier: tale\ntitle: T\ngoal: G\nsize: small\n---\n\n- **PROMPT:** [prompts/${M}/a.md](https://github.com/o/r--agents/blob/main/prompts/${M}/a.md)\n\n# Plan\n` },
    expect: [],
  },
  {
    name: 'a Gen-2 plan without a tier is an error on tier',
    tree: { [`plans/${M}/a.md`]: `---\nstatus: wip\nprompt: plans/${M}/prompts/a.md\n---\n# Plan\n`, [`plans/${M}/prompts/a.md`]: prompt(`plans/${M}/a.md`) },
    expect: [['required-missing', 'error', `plans/${M}/a.md`, 1, 'tier']],
  },
  {
    name: 'legacy plan frontmatter (no title/goal) warns once',
    tree: { [`plans/${M}/a.md`]: `---\ntier: epic\nprompt: plans/${M}/prompts/a.md\n---\n# Plan\n`, [`plans/${M}/prompts/a.md`]: prompt(`plans/${M}/a.md`) },
    expect: [['plan-legacy-schema', 'warning', `plans/${M}/a.md`, 1, '']],
  },
  {
    name: 'strict plan schema diagnostics are reported with file, line and field',
    tree: { [`prompts/${M}/a.md`]: prompt(`tales/${M}/a.md`), [`tales/${M}/a.md`]: tale(`prompts/${M}/a.md`, 'typo: 1\n') },
    expect: [['unknown-key', 'error', `tales/${M}/a.md`, 7, 'typo']],
  },
  {
    name: '-p limits the report to one file',
    tree: { [`tales/${M}/a.md`]: tale(`prompts/${M}/gone.md`), [`tales/${M}/b.md`]: tale(null) },
    path: `tales/${M}/b.md`,
    expect: [['unpaired', 'warning', `tales/${M}/b.md`, null, 'prompt']],
  },
];

const key = (e: Exp): string => JSON.stringify(e);

for (const c of CASES) {
  test(`sdd links: ${c.name}`, (t) => {
    const root = tmpdir(t, c.tree);
    const r = validateTree(root, { strict: c.strict, path: c.path, cwd: root });
    const got: Exp[] = r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.field]);
    assert.deepEqual(got.map(key).sort(), c.expect.map(key).sort());
    assert.equal(r.errors, c.expect.filter((e) => e[1] === 'error').length);
  });
}
