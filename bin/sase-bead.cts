#!/usr/bin/env node
// `sase-bead`: starts the bundled CLI with a V8 code cache, else bin/sase-bead.js (lib/boot/loader.cts, docs/adr/0006).
import { boot } from '../lib/boot/loader.cjs';

boot('sase-bead');
