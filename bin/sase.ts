#!/usr/bin/env node
// `sase run` starts its standby runner before the CLI loads, so the two Node start-ups overlap (docs/adr/0004).
if (process.argv[2] === 'run') await (await import('../lib/agents/standby.js')).startEarlyStandby(process.argv.slice(3), process.env);
const { main } = await import('../lib/cli/main.js');
await main();
