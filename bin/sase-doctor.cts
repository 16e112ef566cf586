#!/usr/bin/env node
// `sase-doctor`: starts the bundled CLI with a V8 code cache, else bin/sase-doctor.js (lib/boot/loader.cts, docs/adr/0006).
import { boot } from '../lib/boot/loader.cjs';

boot('sase-doctor');
