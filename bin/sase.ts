#!/usr/bin/env node
// ES-module entry of `sase`: what bin/sase.cts falls back to when the bundle is missing or stale (lib/boot/loader.cts).
import { start } from '../lib/boot/entry.js';

await start('sase');
