#!/usr/bin/env node
// `sase-sdd`: starts the bundled CLI with a V8 code cache, else bin/sase-sdd.js (lib/boot/loader.cts, docs/adr/0006).
import { boot } from '../lib/boot/loader.cjs';

boot('sase-sdd');
