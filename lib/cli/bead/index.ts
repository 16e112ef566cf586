/** `sase bead`: Dependency-aware work items (SASE bead store). Subcommands load lazily (one module per subcommand in this folder). */
import type { CommandGroup } from '../command.js';

export const group: CommandGroup = {
  name: 'sase bead',
  summary: 'Dependency-aware work items (SASE bead store)',
  defaultCommand: 'list',
  commands: [
    { name: 'init', summary: 'Create a bead store (config, manifest, .gitignore, .gitattributes)', load: async () => (await import('./init.js')).command },
    { name: 'create', summary: 'Create a plan, a phase under a plan, or a task', load: async () => (await import('./create.js')).command },
    { name: 'show', summary: 'Show a bead with its dependencies, dependents and children', load: async () => (await import('./show.js')).command },
    { name: 'list', summary: 'List beads (default: active ones)', load: async () => (await import('./list.js')).command },
    { name: 'work', summary: 'Start or resume work on an epic (plan file or bead id) or one task', load: async () => (await import('./work.js')).command },
    { name: 'ready', summary: 'List unblocked work ready to start', load: async () => (await import('./ready.js')).command },
    { name: 'blocked', summary: 'List active beads blocked by active dependencies', load: async () => (await import('./blocked.js')).command },
    { name: 'update', summary: 'Update fields or the status of a bead', load: async () => (await import('./update.js')).command },
    { name: 'claim', summary: 'Claim an open bead for an agent (compare-and-set)', load: async () => (await import('./claim.js')).command },
    { name: 'release', summary: 'Release a claimed bead (claimant only)', load: async () => (await import('./release.js')).command },
    { name: 'close', summary: 'Close beads (reason, resolution, --force sweep)', load: async () => (await import('./close.js')).command },
    { name: 'open', summary: 'Reopen a closed bead and its closed ancestors', aliases: ['reopen'], load: async () => (await import('./open.js')).command },
    {
      name: 'dep',
      summary: 'Add or remove dependencies',
      group: {
        name: 'sase bead dep',
        summary: 'Add or remove dependencies (A depends on B)',
        commands: [
          { name: 'add', summary: 'Add a dependency: A depends on B', load: async () => (await import('./dep-add.js')).command },
          { name: 'rm', summary: 'Remove a dependency of A on B', aliases: ['remove'], load: async () => (await import('./dep-rm.js')).command },
        ],
      },
    },
    { name: 'note', summary: 'Append a note to a bead', load: async () => (await import('./note.js')).command },
    { name: '+1', summary: 'Record +1 evidence on a task', aliases: ['plus-one'], load: async () => (await import('./plus-one.js')).command },
    { name: 'snooze', summary: 'Snooze a task until a time', load: async () => (await import('./snooze.js')).command },
    { name: 'wake', summary: 'Wake a snoozed task', load: async () => (await import('./wake.js')).command },
    {
      name: 'ref',
      summary: 'Add or remove artifact references',
      group: {
        name: 'sase bead ref',
        summary: 'Add or remove artifact references',
        commands: [
          { name: 'add', summary: 'Add a reference', load: async () => (await import('./ref-add.js')).command },
          { name: 'rm', summary: 'Remove a reference', aliases: ['remove'], load: async () => (await import('./ref-rm.js')).command },
        ],
      },
    },
    { name: 'remove', summary: 'Remove a bead and its descendants', load: async () => (await import('./remove.js')).command },
    { name: 'history', summary: "Replay a bead's events", load: async () => (await import('./history.js')).command },
    { name: 'project', summary: 'Regenerate issues.jsonl (--check, --stdout)', load: async () => (await import('./project.js')).command },
    { name: 'doctor', summary: 'Check the store; --fix repairs what is safe', load: async () => (await import('./doctor.js')).command },
    { name: 'merge-driver', summary: 'git merge driver for stream files (%O %A %B)', load: async () => (await import('./merge-driver.js')).command },
    { name: 'import-bd', summary: 'Import a bd (steveyegge/beads) issues.jsonl as bead events, with a report', load: async () => (await import('./import-bd.js')).command },
    { name: 'export-bd', summary: 'Export beads as bd (steveyegge/beads) JSONL, with a report', load: async () => (await import('./export-bd.js')).command },
  ],
};
