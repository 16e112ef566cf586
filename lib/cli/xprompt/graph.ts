/** `sase xprompt graph ["#!wf"] [--format mermaid|text]`: a workflow's steps as a Mermaid flowchart or text; no name lists multi-step workflows. */
import type { CommandModule } from '../command.js';
import { UsageError, InvalidDataError } from '../../errors/index.js';
import { defineXpromptsDir, catalogFor, xpromptsDirs } from './index.js';

interface GraphOptions {
  ref: string | null;
  format: 'mermaid' | 'text';
  extraDirs: string[];
}

/** Result of `sase xprompt graph`. */
export interface GraphResult {
  /** Set when a workflow was named. */
  name?: string;
  format?: 'mermaid' | 'text';
  graph?: string;
  /** Set when no workflow was named: multi-step workflows. */
  workflows?: Array<{ name: string; reference: string; steps: number; path: string }>;
}

export const command: CommandModule<GraphOptions, GraphResult> = {
  meta: { name: 'graph', summary: 'Render a workflow as text or a Mermaid graph' },
  define: (cmd) => {
    cmd.argument('[ref]', 'workflow reference (#!name, #name or a bare name)');
    cmd.option('--format <format>', 'mermaid (default) or text', 'mermaid');
    defineXpromptsDir(cmd);
  },
  parse: ({ args, opts }) => {
    const format = String(opts.format ?? 'mermaid');
    if (format !== 'mermaid' && format !== 'text') throw new UsageError(`unknown format '${format}'`, { hint: 'use --format mermaid or --format text' });
    return { ref: args[0] === undefined ? null : String(args[0]), format, extraDirs: xpromptsDirs(opts) };
  },
  run: async (ctx, o) => {
    const catalog = await catalogFor(ctx, o.extraDirs);
    if (o.ref === null) {
      return {
        workflows: catalog
          .entries()
          .filter((d) => d.kind !== 'xprompt' && d.body === null && typeof d.meta.step_count === 'number' && (d.meta.step_count as number) > 1)
          .map((d) => ({ name: d.name, reference: `${d.referencePrefix ?? '#'}${d.name}`, steps: d.meta.step_count as number, path: d.path ?? '' })),
      };
    }
    const { resolveRef } = await import('./resolve.js');
    const r = await resolveRef(catalog, o.ref, [], []);
    if (r.def.body !== null || !r.def.path) throw new UsageError(`'${r.def.name}' is not a YAML workflow`, { hint: "graph renders workflows; use 'sase xprompt explain' for xprompts" });
    const { loadWorkflowFile, stepDirsFor } = await import('../../workflow/load.js');
    const { renderGraphMermaid, renderGraphText } = await import('../../workflow/graph.js');
    const { assetPath } = await import('../../package.js');
    const { homeDir } = await import('../../store/paths.js');
    const loaded = loadWorkflowFile(r.def.path, { stepDirs: stepDirsFor(r.def.path, ctx.cwd, homeDir(ctx.env), assetPath('xprompts')) });
    if (!loaded.workflow) {
      const d = loaded.diagnostics[0];
      throw new InvalidDataError(d?.message ?? 'workflow cannot be loaded', { location: d ? { file: d.file, line: d.line, column: d.column } : { file: r.def.path } });
    }
    return {
      name: r.def.name,
      format: o.format,
      graph: o.format === 'text' ? renderGraphText(loaded.workflow, r.def.name) : renderGraphMermaid(loaded.workflow),
    };
  },
  human: (r, out) => {
    if (r.graph !== undefined) out.write(r.graph);
    else if (!r.workflows?.length) out.line('No multi-step workflows found.');
    else out.table(r.workflows.map((w) => [w.reference, String(w.steps), w.path]), ['WORKFLOW', 'STEPS', 'PATH']);
  },
};
