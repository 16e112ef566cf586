/** `sase bead claim`: compare-and-set a bead from open to claimed by an agent (spec §B.8). */
import { claimBead } from '../../beads/mutations.js';
import { claimantCommand } from './common.js';

export const command = claimantCommand({ name: 'claim', summary: 'Claim an open bead for an agent (compare-and-set)' }, 'claim', 'claimed', claimBead);
