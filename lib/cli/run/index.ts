/** `sase run` (placeholder until its module lands). */
import type { NounModule } from '../nouns.js';

export const group: NounModule['group'] = { name: 'sase run', summary: 'not built yet', commands: [] };
