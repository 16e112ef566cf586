#!/usr/bin/env node
// ES-module entry of `sase-project`: what bin/sase-project.cts falls back to when the bundle is missing or stale (lib/boot/loader.cts).
import { start } from '../lib/boot/entry.js';

await start('sase-project');
