/**
 * The start-up fast path (lib/cli/argv.ts) must hand every command exactly what commander would: for every
 * built-in command module and many generated argument lists, whenever the fast parser accepts an argv, commander
 * accepts it too with deep-equal positional values and options; and plain invocations do take the fast path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, CommanderError } from 'commander';
import fc from 'fast-check';
import { CommandSpec, fastParse } from '../../lib/cli/argv.js';
import type { CommandGroup, CommandModule } from '../../lib/cli/command.js';
import { NOUNS } from '../../lib/cli/nouns.js';

type Mod = CommandModule<any, any>;

async function collectModules(): Promise<{ name: string; mod: Mod }[]> {
  const out: { name: string; mod: Mod }[] = [];
  const walk = async (g: CommandGroup): Promise<void> => {
    for (const e of g.commands) {
      if (e.group) await walk(e.group);
      else if (e.load) out.push({ name: `${g.name} ${e.name}`, mod: await e.load() });
    }
  };
  for (const n of NOUNS) {
    const m = await n.load();
    if (m.group) await walk(m.group);
    if (m.command) out.push({ name: `sase ${n.name}`, mod: m.command });
  }
  return out;
}

function specOf(mod: Mod): CommandSpec {
  const spec = new CommandSpec().allowExcessArguments(false);
  spec.option('-j, --json', '').option('--no-color', '');
  mod.define(spec as unknown as Command);
  return spec;
}

/** commander's result the way lib/cli/program.ts gets it; 'error' when commander rejects the argv. */
function commanderParse(mod: Mod, argv: string[]): { args: unknown[]; opts: Record<string, unknown> } | 'error' {
  const cmd = new Command('x');
  let captured: { args: unknown[]; opts: Record<string, unknown> } | undefined;
  cmd
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .option('-j, --json', 'json')
    .option('--no-color', 'no colour');
  mod.define(cmd);
  cmd.action((...a: unknown[]) => {
    captured = { args: a.slice(0, -2), opts: (a[a.length - 1] as Command).opts() };
  });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return 'error';
    return 'error';
  }
  return captured ?? 'error';
}

/** Tokens an argv for this spec may contain: its flags (with values), operands, and some troublemakers. */
function tokenArb(spec: CommandSpec): fc.Arbitrary<string[]> {
  const values = fc.constantFrom('v', '3', 'a,b', '', '-', '-5', '--', '--json', 'x=y', '#docs');
  const flagTokens = spec.options.flatMap((o) => {
    const flags = [o.short, o.long].filter((f): f is string => f !== undefined);
    return flags.map((f) =>
      o.required || o.optional
        ? fc.oneof(
            values.map((v) => [f, v]),
            values.map((v) => (f.startsWith('--') ? [`${f}=${v}`] : [`${f}${v}`])),
            fc.constant([f]),
          )
        : fc.constant([f]),
    );
  });
  const other = fc.oneof(
    fc.constantFrom(['op1'], ['op2'], ['-'], ['--'], ['--unknown'], ['-Z'], ['-jq'], ['-h'], ['--help'], ['7'], ['-7']),
    values.map((v) => [v]),
  );
  return fc.array(flagTokens.length > 0 ? fc.oneof(fc.oneof(...flagTokens), other) : other, { maxLength: 6 }).map((xs) => xs.flat());
}

test('the fast parser agrees with commander for every command whenever it accepts an argv', async () => {
  const mods = await collectModules();
  assert.ok(mods.length > 30, `expected the whole command set, found ${mods.length}`);
  for (const { name, mod } of mods) {
    const spec = specOf(mod);
    fc.assert(
      fc.property(tokenArb(spec), (argv) => {
        let fast: ReturnType<typeof fastParse>;
        try {
          fast = fastParse(specOf(mod), argv);
        } catch {
          fast = undefined; // program.ts treats a throw as "let commander decide"
        }
        if (fast === undefined) return;
        const slow = commanderParse(mod, argv);
        assert.notEqual(slow, 'error', `${name} ${JSON.stringify(argv)}: fast parser accepted what commander rejects`);
        assert.deepEqual(fast, slow, `${name} ${JSON.stringify(argv)}`);
      }),
      { numRuns: 150 },
    );
  }
});

test('plain invocations of the benchmarked commands take the fast path', async () => {
  const mods = new Map((await collectModules()).map((m) => [m.name, m.mod]));
  const cases: [string, string[]][] = [
    ['sase version', []],
    ['sase bead ready', ['--json', '--store', '/tmp/x']],
    ['sase bead list', ['--json', '--store', '/tmp/x']],
    ['sase xprompt list', ['--xprompts-dir', '/a', '--xprompts-dir', '/b']],
    ['sase xprompt expand', ['#docs', '--xprompts-dir', '/a']],
    ['sase agent list', ['-a']],
    ['sase run', ['--json', '#cd:/tmp hello']],
  ];
  for (const [name, argv] of cases) {
    const mod = mods.get(name);
    assert.ok(mod, `command ${name} exists`);
    const fast = fastParse(specOf(mod), argv);
    assert.ok(fast, `${name} ${argv.join(' ')} parses without commander`);
    assert.deepEqual(fast, commanderParse(mod, argv));
  }
});

test('help, unknown options, missing and excess arguments are left to commander', () => {
  const spec = new CommandSpec().allowExcessArguments(false);
  spec.option('-j, --json', '').option('--no-color', '').option('--store <dir>', 'store').argument('<id>', 'id');
  assert.equal(fastParse(spec, ['x', '--help']), undefined);
  assert.equal(fastParse(spec, ['x', '--nope']), undefined);
  assert.equal(fastParse(spec, []), undefined);
  assert.equal(fastParse(spec, ['x', 'y']), undefined);
  assert.equal(fastParse(spec, ['x', '--store']), undefined);
  assert.equal(fastParse(spec, ['-jx']), undefined);
  assert.deepEqual(fastParse(spec, ['--store=/s', '--no-color', '--', '-x']), { args: ['-x'], opts: { color: false, store: '/s' } });
});
