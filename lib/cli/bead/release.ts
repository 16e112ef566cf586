/** `sase bead release`: release a claim (only the claimant may; spec §B.8). */
import { releaseBead } from '../../beads/mutations.js';
import { claimantCommand } from './common.js';

export const command = claimantCommand({ name: 'release', summary: 'Release a claimed bead (claimant only)' }, 'release', 'released', releaseBead);
