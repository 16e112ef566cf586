#!/usr/bin/env node
// `sase-agent`: starts the bundled CLI with a V8 code cache, else bin/sase-agent.js (lib/boot/loader.cts, docs/adr/0006).
import { boot } from '../lib/boot/loader.cjs';

boot('sase-agent');
