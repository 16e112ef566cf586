#!/usr/bin/env node
// The standby runner starts before the CLI loads, so the two Node start-ups overlap (docs/adr/0004).
await (await import('../lib/agents/standby.js')).startEarlyStandby(process.argv.slice(2), process.env);
const { mainNoun } = await import('../lib/cli/main.js');
await mainNoun('run');
