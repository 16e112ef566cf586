/** `sase project activate NAME`. */
import { stateCommand } from './state.js';

export const command = stateCommand('activate', 'active', 'Make a project active (launchable, listed)');
