/** `sase xprompt explain "#name" [args…] [--arg k=v]`: the winning definition, its source and shadows, inputs, bound args; for workflows a dry run. */
import type { CommandModule } from '../command.js';
import { defineXpromptsDir, catalogFor, xpromptsDirs } from './index.js';
import type { ExplainResult } from '../../workflow/explain.js';

interface ExplainOptions {
  ref: string;
  positional: string[];
  args: string[];
  extraDirs: string[];
}

export const command: CommandModule<ExplainOptions, ExplainResult> = {
  meta: {
    name: 'explain',
    summary: 'Show which definition a reference resolves to; dry-run a workflow',
    description: 'Examples:\n  sase xprompt explain "#summarize(README.md, usage=a tooltip)"\n  sase xprompt explain \'#file(notes)\'',
  },
  define: (cmd) => {
    cmd.argument('<ref>', 'reference: #name, #!name, or a bare name; may carry (args) or :arg');
    cmd.argument('[args...]', 'extra positional arguments');
    cmd.option('--arg <key=value>', 'named argument (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
    defineXpromptsDir(cmd);
  },
  parse: ({ args, opts }) => ({
    ref: String(args[0]),
    positional: ((args[1] as string[] | undefined) ?? []).map(String),
    args: Array.isArray(opts.arg) ? opts.arg.map(String) : [],
    extraDirs: xpromptsDirs(opts),
  }),
  run: async (ctx, o) => {
    const catalog = await catalogFor(ctx, o.extraDirs);
    const { resolveRef } = await import('./resolve.js');
    const { explainDefinition } = await import('../../workflow/explain.js');
    const { stepDirsFor } = await import('../../workflow/load.js');
    const { assetPath } = await import('../../package.js');
    const { homeDir } = await import('../../store/paths.js');
    const r = await resolveRef(catalog, o.ref, o.positional, o.args);
    return explainDefinition(r.def, r.positional, r.named, {
      stepDirs: r.def.path ? stepDirsFor(r.def.path, ctx.cwd, homeDir(ctx.env), assetPath('xprompts')) : [],
      lookup: (n) => catalog.get(n)?.inputs,
    });
  },
  human: (r, out) => {
    const e = r.entry;
    out.line(`${out.c.bold(e.insertion)}  ${e.kind}  (${e.source})`);
    if (e.description) out.line(e.description.trim());
    out.line(`defined in: ${e.definition_path ?? e.config_path ?? '(config)'}`);
    for (const s of e.shadows) out.line(`shadows:    ${s.path ?? '(config)'} (${s.source})`);
    if (e.inputs.length) {
      out.line('');
      out.line('inputs:');
      for (const i of e.inputs) {
        const v = r.resolved_args && i.name in r.resolved_args ? ` = ${JSON.stringify(r.resolved_args[i.name])}` : r.missing_args.includes(i.name) ? ' (missing)' : '';
        out.line(`  ${i.name}: ${i.type}${i.required ? '' : ` [default ${i.default_display}]`}${v}${i.description ? `  — ${i.description}` : ''}`);
      }
    }
    if (r.arg_error) out.line(`argument error: ${r.arg_error}`);
    if (r.body) {
      out.line('');
      out.line(`body${r.body.static ? ' (rendered)' : ' (inputs substituted; other expressions left as written)'}${r.body.segments > 1 ? `, ${r.body.segments} agent segments` : ''}:`);
      for (const l of r.body.text.replace(/\n+$/, '').split('\n')) out.line(`  ${l}`);
    }
    if (r.steps) {
      out.line('');
      out.line('steps:');
      r.steps.forEach((s, i) => {
        out.line(`  ${i + 1}. ${s.name} [${s.kind}] ${s.phase}${s.annotations.length ? ` (${s.annotations.join('; ')})` : ''}`);
        if (s.output_schema) out.line(`     output: ${JSON.stringify(s.output_schema)}`);
        for (const n of s.steps) out.line(`     - ${n.name} [${n.kind}]${n.annotations.length ? ` (${n.annotations.join('; ')})` : ''}`);
        if (s.body !== null && s.body.trim() !== '') {
          const lines = s.body.replace(/\n+$/, '').split('\n');
          for (const l of lines.slice(0, 12)) out.line(`     | ${l}`);
          if (lines.length > 12) out.line(`     | … (${lines.length - 12} more lines)`);
        }
      });
    }
    for (const d of r.diagnostics) out.warn(`${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`);
  },
};
