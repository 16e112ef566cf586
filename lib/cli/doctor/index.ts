/**
 * `sase doctor`: read-only diagnostics — which provider CLIs are installed and at which version, where state
 * lives, and what is misconfigured (bad sase.yml, unknown default provider, unwritable state directories, a lagging
 * agents index). Exit 0 when nothing is wrong, 1 when a problem was found.
 */
import type { CommandModule } from '../command.js';

/** One finding. */
export interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

/** Result of `sase doctor`. */
export interface DoctorResult {
  providers: Array<{ name: string; installed: boolean; path: string | null; source: string | null; version: string | null; autodetect_priority: number }>;
  state: Record<string, string>;
  config_files: Array<{ scope: string; path: string }>;
  checks: DoctorCheck[];
  problems: number;
}

export const command: CommandModule<{ versions: boolean }, DoctorResult> = {
  meta: { name: 'doctor', summary: 'Check provider CLIs, state locations and configuration' },
  define(cmd) {
    cmd.option('--no-versions', 'skip running each CLI to ask its version (faster)');
  },
  parse: (raw) => ({ versions: raw.opts.versions !== false }),
  async run(ctx, o) {
    const { access, constants, mkdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { saseHome, xdgConfigHome, xdgStateHome } = await import('../../store/paths.js');
    const { agentsRoot, indexPath } = await import('../../agents/paths.js');
    const checks: DoctorCheck[] = [];
    let config: Record<string, unknown> = {};
    let configFiles: DoctorResult['config_files'] = [];
    try {
      const { loadConfig } = await import('../../config/index.js');
      const c = loadConfig(ctx.cwd, ctx.env);
      config = c.merged;
      configFiles = c.layers.map((l) => ({ scope: l.scope, path: l.path }));
      checks.push({ check: 'config', ok: true, detail: configFiles.length ? `${configFiles.length} sase.yml layer(s) parsed` : 'no sase.yml found (defaults apply)' });
    } catch (e) {
      const located = (e as { located?: string }).located;
      checks.push({ check: 'config', ok: false, detail: located ?? (e as Error).message, hint: 'fix the YAML at the location shown' });
    }
    const prov = await import('../../providers/index.js');
    const infos = prov.listProviders({ env: ctx.env, config, cwd: ctx.cwd });
    const providers = await Promise.all(
      infos.map(async (i) => ({
        name: i.name,
        installed: i.binary !== null,
        path: i.binary?.path ?? null,
        source: i.binary?.via ?? null,
        version: i.binary && o.versions ? await prov.probeVersion(i, ctx.env, 10_000) : null,
        autodetect_priority: i.autodetectPriority,
      })),
    );
    const { accessSync, statSync } = await import('node:fs');
    const executable = (path: string): boolean => {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    };
    for (const p of providers) {
      if (!p.path || (p.source !== 'env' && p.source !== 'config') || executable(p.path)) continue;
      p.installed = false;
      p.version = null;
      const where = p.source === 'env' ? `SASE_${p.name.toUpperCase()}_PATH` : `llm_provider.${p.name}.path in sase.yml`;
      checks.push({ check: `${p.name} binary`, ok: false, detail: `${where} names ${p.path}, which is not an executable file`, hint: `point it at the ${p.name} binary or remove it` });
    }
    try {
      const def = prov.defaultProvider(config);
      const hit = providers.find((p) => p.name === def);
      checks.push(
        hit?.installed
          ? { check: 'default provider', ok: true, detail: `${def} (${hit.path})` }
          : { check: 'default provider', ok: false, detail: `${def} is not installed`, hint: `install the ${def} CLI, set SASE_${def.toUpperCase()}_PATH, or choose another llm_provider.provider in sase.yml` },
      );
    } catch (e) {
      checks.push({ check: 'default provider', ok: false, detail: (e as Error).message });
    }
    const state = {
      sase_home: saseHome(ctx.env),
      agents: agentsRoot(ctx.env),
      agents_index: indexPath(ctx.env),
      user_config: join(xdgConfigHome(ctx.env), 'sase', 'sase.yml'),
      workspaces: join(xdgStateHome(ctx.env), 'sase', 'workspaces'),
    };
    for (const [k, dir] of [['sase_home', state.sase_home], ['workspaces', state.workspaces]] as const) {
      try {
        await access(dir, constants.W_OK).catch(async () => {
          await mkdir(dir, { recursive: true }).catch(() => {});
          await access(dir, constants.W_OK);
        });
        checks.push({ check: `${k} writable`, ok: true, detail: dir });
      } catch (e) {
        checks.push({ check: `${k} writable`, ok: false, detail: `${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, hint: 'fix the permissions or point SASE_HOME / XDG_STATE_HOME elsewhere' });
      }
    }
    try {
      const { readIndex } = await import('../../agents/index-store.js');
      const { listRecordDirs } = await import('../../agents/records.js');
      const idx = await readIndex(ctx.env, Infinity);
      const dirs = await listRecordDirs(ctx.env);
      const ok = idx.total === dirs.length;
      checks.push(ok ? { check: 'agents index', ok, detail: `${dirs.length} run(s) indexed` } : { check: 'agents index', ok, detail: `index has ${idx.total} run(s), ${dirs.length} record(s) on disk`, hint: "run 'sase agent reindex'" });
    } catch (e) {
      checks.push({ check: 'agents index', ok: false, detail: (e as Error).message, hint: "run 'sase agent reindex'" });
    }
    return { providers, state, config_files: configFiles, checks, problems: checks.filter((c) => !c.ok).length };
  },
  human(r, out) {
    out.line('Providers:');
    out.table(r.providers.map((p) => ['  ' + p.name, p.installed ? 'installed' : 'missing', p.version ?? '', p.path ?? '']));
    out.line('State:');
    out.table(Object.entries(r.state).map(([k, v]) => ['  ' + k, v]));
    if (r.config_files.length) {
      out.line('Config:');
      out.table(r.config_files.map((c) => ['  ' + c.scope, c.path]));
    }
    out.line('Checks:');
    for (const c of r.checks) {
      out.line(`  ${c.ok ? '✓' : '✗'} ${c.check}: ${c.detail}`);
      if (!c.ok && c.hint) out.line(`      ${c.hint}`);
    }
    out.line(r.problems === 0 ? 'No problems found.' : `${r.problems} problem(s) found.`);
  },
  exitCode: (r) => (r.problems > 0 ? 1 : 0),
};
