/**
 * The replay of §B.6 straight from stream texts: each line is parsed and validated when its stream's cursor
 * reaches it, applied, and dropped — the parsed events die young instead of all 15,000 being kept alive, which
 * roughly halves the garbage-collection work of a cold fold. Same order and result as foldStreams over a fully
 * parsed snapshot (tests/beads/projection.test.ts checks both on the corpus).
 *
 * The streams come as bytes (a snapshot read with `bytesOnly`; texts are encoded first) and stay off the JS heap:
 * each line is decoded on its own when the cursor reaches it (latin1 for an ASCII file — the same text, one compact
 * string — else UTF-8, which still yields a compact string for an ASCII line) and dies young with its parsed event.
 * Whole-file texts would survive the scavenges of the fold (copied, then promoted) for nothing. UTF-8 never uses
 * the byte 0x0A inside a character, so lines split exactly as in the decoded text.
 */
import { isAscii } from 'node:buffer';
import { InvalidDataError } from '../errors/index.js';
import { applyEvent, finishIssues, operationPriority } from './fold.js';
import type { StoreSnapshot } from './read.js';
import type { BeadEvent, BeadIssue, FoldOptions } from './types.js';
import { eventProblems } from './validate.js';

interface Cursor {
  /** The stream's bytes. */
  buf: SliceableBuffer;
  /** The bytes hold no byte ≥ 0x80 (lines decode as latin1, the cheapest decoding). */
  ascii: boolean;
  file: string;
  pos: number;
  line: number;
  stream: number;
  ev: BeadEvent | null;
  pri: number;
  /** `ev.timestamp` and `ev.event_id`, copied so the heap compares fields of one object shape (parsed events vary). */
  ts: string;
  eid: string;
}

/** Replay order (§B.6 step 2, as fold.ts replayLess): timestamp, then operation priority, then event id, then stream index. */
function before(a: Cursor, b: Cursor): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  if (a.pri !== b.pri) return a.pri < b.pri;
  if (a.eid !== b.eid) return a.eid < b.eid;
  return a.stream < b.stream;
}

/** Restores heap order below index `i` (binary min-heap by {@link before}). */
function siftDown(heap: Cursor[], i: number): void {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < n && before(heap[l]!, heap[m]!)) m = l;
    if (r < n && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    const tmp = heap[i]!;
    heap[i] = heap[m]!;
    heap[m] = tmp;
    i = m;
  }
}

/** Node's Buffer decoders behind `toString(encoding, start, end)`, called without its argument handling (undocumented; in Node ≥ 6.4). */
interface SliceableBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Advances to the next event of the stream (null at the end). A torn last line ends the stream. @throws InvalidDataError */
function advance(c: Cursor): void {
  const buf = c.buf;
  const len = buf.length;
  while (c.pos < len) {
    let end = buf.indexOf(10, c.pos);
    const last = end === -1;
    if (last) end = len;
    const start = c.pos;
    c.pos = end + 1;
    c.line++;
    if (end === start) continue;
    const raw = c.ascii ? buf.latin1Slice(start, end) : buf.utf8Slice(start, end);
    let ev: BeadEvent;
    try {
      ev = JSON.parse(raw) as BeadEvent;
    } catch (e) {
      if (raw.trim() === '') continue;
      if (last) break; // torn last line: an interrupted append, ignored
      throw new InvalidDataError(`invalid JSON line: ${(e as Error).message}`, { location: { file: c.file, line: c.line } });
    }
    const errs = eventProblems(ev);
    if (errs.length) throw new InvalidDataError(`invalid bead event: ${errs.join('; ')}`, { location: { file: c.file, line: c.line } });
    c.ev = ev;
    c.pri = operationPriority(ev.operation);
    c.ts = ev.timestamp;
    c.eid = ev.event_id;
    return;
  }
  c.ev = null;
}

/**
 * Folds a snapshot read with `bytesOnly` or `textsOnly` (or any event snapshot: its stream texts are used) into
 * the sorted issue list.
 * @throws InvalidDataError for an invalid line or event (file:line) or a failed replay
 */
export function foldTexts(snap: StoreSnapshot, opts: FoldOptions = {}): BeadIssue[] {
  const issues = new Map<string, BeadIssue>();
  const heap: Cursor[] = [];
  snap.streams.forEach((s, i) => {
    const buf = snap.streamBytes.get(s.stream_id) ?? Buffer.from(snap.streamTexts.get(s.stream_id) ?? '', 'utf8');
    const c: Cursor = { buf: buf as SliceableBuffer, ascii: isAscii(buf), file: s.file, pos: 0, line: 0, stream: i, ev: null, pri: 0, ts: '', eid: '' };
    advance(c);
    if (c.ev) heap.push(c);
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  while (heap.length > 0) {
    const c = heap[0]!;
    applyEvent(issues, c.ev!, opts);
    advance(c);
    if (!c.ev) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      if (last !== c) heap[0] = last;
    }
    siftDown(heap, 0);
  }
  return finishIssues(issues.values());
}
