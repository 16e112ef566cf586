/**
 * `sase sdd repair-links`: writes the inferable missing or stale `prompt:`/`plan:` properties that validation
 * reports (dry run unless `write`). Only unambiguous pairs are repaired (spec/beads-sdd-changespecs.md §A.4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { setFrontmatterField, type LinkRepair } from './links.js';
import { validateTree } from './validate.js';

/** Result of {@link repairLinks}. */
export interface RepairResult {
  root: string;
  write: boolean;
  repairs: LinkRepair[];
  /** Files changed on disk (empty in a dry run). */
  written: string[];
}

/** Computes (and with `write`, applies) link repairs for the tree at `root`. @throws NotFoundError, fs errors */
export async function repairLinks(root: string, opts: { write?: boolean } = {}): Promise<RepairResult> {
  const { repairs } = validateTree(root);
  const written: string[] = [];
  if (opts.write) {
    for (const r of repairs) {
      const p = join(root, r.file);
      const before = readFileSync(p, 'utf8');
      const after = setFrontmatterField(before, r.field, r.value);
      if (after !== before) {
        await writeFileAtomic(p, after);
        written.push(r.file);
      }
    }
  }
  return { root, write: !!opts.write, repairs, written };
}
