/** `sase doctor` (placeholder until its module lands). */
import type { NounModule } from '../nouns.js';

export const group: NounModule['group'] = { name: 'sase doctor', summary: 'not built yet', commands: [] };
