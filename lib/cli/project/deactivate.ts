/** `sase project deactivate NAME`. */
import { stateCommand } from './state.js';

export const command = stateCommand('deactivate', 'inactive', 'Make a project inactive (hidden; explicit launches refused)');
