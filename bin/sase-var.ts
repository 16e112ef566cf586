#!/usr/bin/env node
import { mainNoun } from '../lib/cli/main.js';

await mainNoun('var');
