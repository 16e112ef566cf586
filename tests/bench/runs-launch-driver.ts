/**
 * Bench driver for "launch overhead": starts `sase run` (no --wait) with a fakey scenario whose first step
 * touches a signal file, and exits as soon as that file exists — i.e. when the provider process is running.
 * Usage: node runs-launch-driver.js <sase.js> <workspace> <signal-dir>
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [sase, ws, sigDir] = process.argv.slice(2) as [string, string, string];
mkdirSync(sigDir, { recursive: true });
const sig = join(sigDir, `started-${process.pid}-${Date.now()}`);
const prompt = `#cd:${ws} %m:fakey/fakey-large Benchmark launch.\n\n\`\`\`fakey\nsteps:\n  - signal: ${sig}\nreply: ok\n\`\`\`\n`;
const child = spawn(process.execPath, [sase, 'run', prompt], { stdio: 'ignore' });
child.on('exit', (code) => {
  if (code !== 0) {
    process.stderr.write(`sase run exited ${code}\n`);
    process.exit(1);
  }
});
const t = setInterval(() => {
  if (existsSync(sig)) {
    clearInterval(t);
    process.exit(0);
  }
}, 1);
setTimeout(() => {
  process.stderr.write('provider never started\n');
  process.exit(1);
}, 30_000);
