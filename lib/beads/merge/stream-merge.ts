/**
 * The per-stream 3-way union merge of bead event streams (the heart of `sase bead merge-driver`).
 *
 * Rules (spec/beads-sdd-changespecs.md §B.11 "Git"; behaviour cross-checked against sase-core
 * `bead/events/merge.rs`):
 * - Append-only check: every base event must appear, byte-identical after JSON normalisation, exactly once on each
 *   side. A side that changed a base event (same `event_id`, other content), dropped one or duplicated one rewrote
 *   history → {@link StreamMergeConflict}. A pure reorder of base events is accepted and canonicalised to base order
 *   (criss-cross merges of two clones produce such reorders; sase-core tolerates them too).
 * - Result = base + the union of both sides' additions. Identical events (same normalised JSON) appear once.
 *   Each side's additions keep their relative order (file order is causal order, §B.6); independent additions
 *   interleave by `(timestamp, priority, event_id, json)`.
 * - Duplicate `issue_created` for one id: the creation carried by base wins, else the older
 *   `(timestamp, event_id)`. The loser's subtree (that side's events for the id and its dotted descendants) is
 *   relocated: the stream's own root goes to a fresh id from the caller's store-wide pool into a new stream; a
 *   child goes to the next free sibling number of the stream. Relocated events get re-minted event ids.
 */
import { operationPriority } from '../fold.js';
import { nextChildId, parentOfId } from '../ids.js';
import { inSubtree, remapEvent, type RawEvent } from './event-id.js';

/** A merge that cannot be done without losing or inventing history (the driver exits non-zero). */
export class StreamMergeConflict extends Error {
  constructor(
    message: string,
    readonly side?: 'base' | 'ours' | 'theirs',
    readonly line?: number,
  ) {
    super(message);
    this.name = 'StreamMergeConflict';
  }
}

/** One id moved by the merge. */
export interface Relocation {
  old_id: string;
  new_id: string;
  kind: 'top_level_duplicate' | 'child_duplicate';
  /** Stream file stem that now holds the relocated events. */
  stream_id: string;
  /** Number of events moved. */
  events: number;
}

/** Options for {@link mergeStreams}. */
export interface StreamMergeOptions {
  /**
   * Returns a fresh id for a duplicated stream root (top-level or child plan), unused anywhere in the store.
   * Without it such a duplicate is a conflict.
   */
  allocateRootId?: (oldId: string) => string;
  /** Extra ids known to exist elsewhere in the store (avoided when picking a free child number). */
  knownIds?: Iterable<string>;
}

/** Result of {@link mergeStreams}. */
export interface StreamMergeResult {
  /** Merged stream text (compact JSONL, `\n`-terminated lines; '' when empty). */
  text: string;
  /** New streams created by root relocation: stream id → text. */
  newStreams: Record<string, string>;
  relocations: Relocation[];
  /** Counts: base events, additions kept from each side, identical additions deduplicated. */
  stats: { base: number; ours_added: number; theirs_added: number; deduplicated: number };
}

type Tag = 'base' | 'ours' | 'theirs' | 'both';

interface Entry {
  key: string;
  line: string;
  ev: RawEvent;
}

/** Parses one side's text into entries (normalised key = JSON.stringify of the parsed line). */
export function parseStreamText(text: string, side: 'base' | 'ours' | 'theirs'): Entry[] {
  const out: Entry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let ev: RawEvent;
    try {
      ev = JSON.parse(line);
    } catch {
      throw new StreamMergeConflict(`${side} line ${i + 1} is not JSON (conflict markers or a torn write?)`, side, i + 1);
    }
    if (!ev || typeof ev !== 'object' || typeof ev.event_id !== 'string' || typeof ev.issue_id !== 'string' || typeof ev.operation !== 'string') {
      throw new StreamMergeConflict(`${side} line ${i + 1} is not a bead event`, side, i + 1);
    }
    out.push({ key: JSON.stringify(ev), line, ev });
  }
  return out;
}

/**
 * Checks that every base event is on the side exactly once and unchanged; returns the side's additions (events
 * not in base, first occurrence only, side order). Base events may appear in another order: criss-cross merges
 * of long-lived clones legitimately reorder them, and the merge canonicalises back to base order (sase-core
 * accepts pure reorders for the same reason).
 */
function additionsOf(base: Entry[], side: Entry[], name: 'ours' | 'theirs'): Entry[] {
  const baseById = new Map<string, Entry>();
  for (const b of base) baseById.set(b.ev.event_id, b);
  const baseKeys = new Set(base.map((b) => b.key));
  const count = new Map<string, number>();
  const adds: Entry[] = [];
  const seen = new Set<string>();
  for (const e of side) {
    if (baseKeys.has(e.key)) {
      const n = (count.get(e.key) ?? 0) + 1;
      count.set(e.key, n);
      if (n > 1) throw new StreamMergeConflict(`${name} duplicated base event ${e.ev.event_id} (history was rewritten)`, name);
      continue;
    }
    if (baseById.has(e.ev.event_id)) throw new StreamMergeConflict(`${name} rewrote base event ${e.ev.event_id} (history was rewritten)`, name);
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    adds.push(e);
  }
  const missing = base.find((b) => !count.has(b.key));
  if (missing) throw new StreamMergeConflict(`${name} dropped base event ${missing.ev.event_id} (history was rewritten)`, name);
  return adds;
}

function unionKeyCompare(a: Entry, b: Entry): number {
  const ka = [a.ev.timestamp, operationPriority(a.ev.operation), a.ev.event_id, a.key] as const;
  const kb = [b.ev.timestamp, operationPriority(b.ev.operation), b.ev.event_id, b.key] as const;
  for (let i = 0; i < 4; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}

/** Kahn topological order over the given chains, ties broken by the union key. Null on a cycle. */
function topoOrder(nodes: Map<string, Entry>, chains: Array<Array<[string, string]>>): string[] | null {
  const succ = new Map<string, Set<string>>();
  const indeg = new Map<string, number>();
  for (const k of nodes.keys()) {
    succ.set(k, new Set());
    indeg.set(k, 0);
  }
  for (const chain of chains) {
    for (const [a, b] of chain) {
      if (a === b || succ.get(a)!.has(b)) continue;
      succ.get(a)!.add(b);
      indeg.set(b, indeg.get(b)! + 1);
    }
  }
  const ready = [...nodes.keys()].filter((k) => indeg.get(k) === 0);
  const out: string[] = [];
  while (ready.length) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (unionKeyCompare(nodes.get(ready[i]!)!, nodes.get(ready[best]!)!) < 0) best = i;
    const k = ready.splice(best, 1)[0]!;
    out.push(k);
    for (const n of succ.get(k)!) {
      indeg.set(n, indeg.get(n)! - 1);
      if (indeg.get(n) === 0) ready.push(n);
    }
  }
  return out.length === nodes.size ? out : null;
}

const pairs = (keys: string[]): Array<[string, string]> => keys.slice(1).map((k, i) => [keys[i]!, k]);

/** Interleaves both sides' additions preserving each side's order (theirs' order wins if they disagree). */
function interleave(ours: Entry[], theirs: Entry[]): Array<{ e: Entry; tag: Tag }> {
  const nodes = new Map<string, Entry>();
  for (const e of [...ours, ...theirs]) if (!nodes.has(e.key)) nodes.set(e.key, e);
  const ok = ours.map((e) => e.key);
  const tk = theirs.map((e) => e.key);
  const tset = new Set(tk);
  const oset = new Set(ok);
  let order = topoOrder(nodes, [pairs(ok), pairs(tk)]);
  if (!order) order = topoOrder(nodes, [pairs(ok.filter((k) => !tset.has(k))), pairs(tk)])!;
  return order.map((k) => ({ e: nodes.get(k)!, tag: oset.has(k) && tset.has(k) ? 'both' : oset.has(k) ? 'ours' : 'theirs' }));
}

/**
 * Merges one stream file three ways.
 * @param streamId the stream file stem (e.g. `sase-5`)
 * @throws StreamMergeConflict when a side rewrote history, a line is not an event, or a duplicate creation cannot
 *   be attributed to one side (or needs a root id and no allocator was given)
 */
export function mergeStreams(streamId: string, baseText: string, oursText: string, theirsText: string, opts: StreamMergeOptions = {}): StreamMergeResult {
  const base = parseStreamText(baseText, 'base');
  const ours = parseStreamText(oursText, 'ours');
  const theirs = parseStreamText(theirsText, 'theirs');
  const oursAdds = additionsOf(base, ours, 'ours');
  const theirsAdds = additionsOf(base, theirs, 'theirs');
  const merged = interleave(oursAdds, theirsAdds);
  let tagged: Array<{ e: Entry; tag: Tag }> = [...base.map((e) => ({ e, tag: 'base' as Tag })), ...merged];
  const stats = {
    base: base.length,
    ours_added: oursAdds.length,
    theirs_added: theirsAdds.length,
    deduplicated: oursAdds.length + theirsAdds.length - merged.length,
  };
  const relocations: Relocation[] = [];
  const newStreams: Record<string, string> = {};

  for (;;) {
    const dup = findDuplicateCreation(tagged);
    if (!dup) break;
    const { id, loserTag } = dup;
    if (id === streamId) {
      if (!opts.allocateRootId) throw new StreamMergeConflict(`both sides created ${id} and no relocation id is available`);
      const neu = opts.allocateRootId(id);
      if (!neu || neu === id) throw new StreamMergeConflict(`invalid relocation id for duplicate bead ${id}`);
      const moved = tagged.filter((t) => t.tag === loserTag && inSubtree(t.e.ev.issue_id, id));
      tagged = tagged.filter((t) => !(t.tag === loserTag && inSubtree(t.e.ev.issue_id, id)));
      const lines = moved.map((t, i) => JSON.stringify(remapEvent(t.e.ev, id, neu, neu, i + 1)));
      newStreams[neu] = lines.map((l) => l + '\n').join('');
      relocations.push({ old_id: id, new_id: neu, kind: 'top_level_duplicate', stream_id: neu, events: moved.length });
    } else {
      const ids = new Set<string>();
      const addWithAncestors = (x: string): void => {
        for (let cur: string | null = x; cur && !ids.has(cur); cur = parentOfId(cur)) ids.add(cur);
      };
      for (const x of opts.knownIds ?? []) addWithAncestors(x);
      for (const t of tagged) {
        addWithAncestors(t.e.ev.issue_id);
        const created = t.e.ev.payload?.issue?.id;
        if (typeof created === 'string') addWithAncestors(created);
      }
      const neu = nextChildId(parentOfId(id)!, ids);
      let n = 0;
      tagged = tagged.map((t, i) => {
        if (t.tag !== loserTag || !inSubtree(t.e.ev.issue_id, id)) return t;
        n++;
        const ev = remapEvent(t.e.ev, id, neu, streamId, i + 1);
        const key = JSON.stringify(ev);
        return { tag: t.tag, e: { key, line: key, ev } };
      });
      relocations.push({ old_id: id, new_id: neu, kind: 'child_duplicate', stream_id: streamId, events: n });
    }
  }
  const text = tagged.map((t) => t.e.line + '\n').join('');
  return { text, newStreams, relocations, stats };
}

/** Finds the first id created twice and which side's creation loses (base wins, else older (timestamp, event_id)). */
function findDuplicateCreation(tagged: Array<{ e: Entry; tag: Tag }>): { id: string; loserTag: Tag } | null {
  const byId = new Map<string, number[]>();
  tagged.forEach((t, i) => {
    if (t.e.ev.operation !== 'issue_created') return;
    const list = byId.get(t.e.ev.issue_id) ?? [];
    list.push(i);
    byId.set(t.e.ev.issue_id, list);
  });
  for (const [id, idx] of [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (idx.length < 2) continue;
    const ev = (i: number): RawEvent => tagged[i]!.e.ev;
    const winner =
      idx.find((i) => tagged[i]!.tag === 'base') ??
      [...idx].sort((a, b) => {
        const ka = ev(a).timestamp + '\u0000' + ev(a).event_id;
        const kb = ev(b).timestamp + '\u0000' + ev(b).event_id;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })[0]!;
    const losers = idx.filter((i) => i !== winner);
    const loserTag = tagged[losers[0]!]!.tag;
    if (loserTag === 'base' || loserTag === 'both' || losers.some((i) => tagged[i]!.tag !== loserTag) || tagged[winner]!.tag === loserTag) {
      throw new StreamMergeConflict(`duplicate issue_created for ${id} cannot be attributed to one side`);
    }
    return { id, loserTag };
  }
  return null;
}

