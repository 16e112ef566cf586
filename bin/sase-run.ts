#!/usr/bin/env node
// ES-module entry of `sase-run`: what bin/sase-run.cts falls back to when the bundle is missing or stale (lib/boot/loader.cts).
import { start } from '../lib/boot/entry.js';

await start('sase-run');
