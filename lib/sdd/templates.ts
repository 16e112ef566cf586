/**
 * New tales and epics from the nunjucks templates in `templates/sdd/` (loaded lazily: nunjucks is only imported by
 * `sase sdd new`). Each new plan gets a paired prompt snapshot so the pair passes `sase sdd validate --strict`.
 */
import { join } from 'node:path';
import { assetPath } from '../package.js';
import { UsageError } from '../errors/index.js';
import { createUnique, writePromptSnapshot } from './snapshot.js';
import { formatCreateTime, monthDir, snakeName } from './naming.js';
import { artifactDir } from './layout.js';
import { isPhaseSlug, PHASE_SIZES, TALE_SIZES } from './plan-schema.js';
import { writeFileAtomic } from '../store/atomic.js';

/** A phase for a new epic. */
export interface NewPhase {
  id: string;
  title: string;
  depends_on: string[];
  size: string;
  description: string;
}

/** Input of {@link newPlan}. */
export interface NewPlanInput {
  kind: 'tale' | 'epic';
  /** File name hint / title fallback. */
  name: string;
  title?: string;
  goal?: string;
  /** Tale size (default `small`). */
  size?: string;
  model?: string;
  /** Epic phases (default: one `core` phase). */
  phases?: NewPhase[];
  /** Prompt text for the paired snapshot. */
  prompt?: string;
  now: Date;
}

/** Result of {@link newPlan}. */
export interface NewPlanResult {
  kind: 'tale' | 'epic';
  plan: string;
  prompt: string;
  plan_path: string;
  prompt_path: string;
}

/** Renders `templates/sdd/<kind>.md.njk` with `vars` (nunjucks imported on first use). */
export async function renderPlanTemplate(kind: 'tale' | 'epic', vars: Record<string, unknown>): Promise<string> {
  const nunjucks = (await import('nunjucks')).default;
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(assetPath('templates', 'sdd')), { autoescape: false, throwOnUndefined: false });
  env.addFilter('yamlstr', (v: unknown) => JSON.stringify(v === undefined || v === null ? '' : String(v)));
  return env.render(`${kind}.md.njk`, vars);
}

/**
 * Creates a new tale or epic under `<root>/tales|epics/<YYYYMM>/` plus its prompt snapshot under
 * `<root>/prompts/<YYYYMM>/`, cross-linked (Gen-2/3 trees: their own directories, see `artifactDir`).
 * @throws UsageError for a bad size or phase id
 */
export async function newPlan(root: string, input: NewPlanInput): Promise<NewPlanResult> {
  const title = input.title ?? input.name;
  const goal = input.goal ?? `${title} is done and tested.`;
  const size = input.size ?? 'small';
  if (input.kind === 'tale' && !(TALE_SIZES as readonly string[]).includes(size)) {
    throw new UsageError(`tale size must be one of ${TALE_SIZES.join(', ')}`, { hint: 'large work belongs in an epic' });
  }
  const phases = input.phases ?? [{ id: 'core', title: 'Core implementation', depends_on: [], size: 'small', description: "'Core implementation' section: the whole change." }];
  for (const p of phases) {
    if (!isPhaseSlug(p.id)) throw new UsageError(`phase id ${JSON.stringify(p.id)} is not a lowercase slug`);
    if (!(PHASE_SIZES as readonly string[]).includes(p.size)) throw new UsageError(`phase size must be one of ${PHASE_SIZES.join(', ')}`);
  }
  const month = monthDir(input.now);
  const stem = snakeName(input.name);
  const dirRel = artifactDir(root, input.kind, month);
  // Reserve the plan name first, then write the snapshot pointing at it, then fill the plan in.
  const planName = await createUnique(join(root, dirRel), stem, '');
  const planRel = `${dirRel}/${planName}`;
  const snap = await writePromptSnapshot(root, {
    sddRoot: root,
    prompt: input.prompt ?? `Plan: ${title}\n`,
    name: planName,
    now: input.now,
    plan: planRel,
  });
  const text = await renderPlanTemplate(input.kind, {
    title,
    goal,
    size,
    model: input.model,
    phases,
    create_time: formatCreateTime(input.now),
    prompt: snap.rel,
  });
  await writeFileAtomic(join(root, planRel), text);
  return { kind: input.kind, plan: planRel, prompt: snap.rel, plan_path: join(root, planRel), prompt_path: snap.path };
}

