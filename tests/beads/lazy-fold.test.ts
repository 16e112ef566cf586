/**
 * The lazy fold (lib/beads/lazy-fold.ts) decodes each stream line from the file's bytes itself (latin1 for an ASCII
 * file, UTF-8 otherwise). These tests pin that decoding to the definition — the whole file decoded as UTF-8 (U+FFFD
 * for invalid bytes, as Buffer#toString), split into lines, each line JSON.parse'd — on raw multi-byte characters,
 * 4-byte emoji, invalid UTF-8, `\u` escapes next to raw bytes and non-ASCII keys, and check the note-append rule
 * (§B.6) over long chains against a restatement of the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEvent, eventLine, updateFields } from '../../lib/beads/events.js';
import { foldTexts } from '../../lib/beads/lazy-fold.js';
import { finishIssues, foldStreams } from '../../lib/beads/fold.js';
import { normalizeIssue } from '../../lib/beads/normalize.js';
import { issueWire } from '../../lib/beads/project.js';
import { readStoreSync, type StoreSnapshot } from '../../lib/beads/read.js';
import type { BeadEvent, BeadIssue, BeadPayload } from '../../lib/beads/types.js';
import { tmpdir } from '../helpers/index.js';

const TS = (s: number): string => `2026-08-01T00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`;

function createdLine(stream: string, ordinal: number, sec: number, id: string, extra: Record<string, unknown> = {}): string {
  const issue = normalizeIssue({ id, title: id, status: 'open', issue_type: 'task', created_by: 'alice', owner: 'alice', created_at: TS(0), updated_at: TS(0), ...extra }, false);
  const payload: BeadPayload = { kind: 'issue_created', issue: { ...(issueWire(issue) as unknown as BeadIssue), ...extra } };
  return eventLine(buildEvent(stream, ordinal, TS(sec), 'alice', id, payload));
}

function noteLine(stream: string, ordinal: number, sec: number, id: string, entry: string, actor = 'bob'): string {
  return eventLine(buildEvent(stream, ordinal, TS(sec), actor, id, { kind: 'note_appended', entry }));
}

function notesUpdateLine(stream: string, ordinal: number, sec: number, id: string, notes: string): string {
  return eventLine(buildEvent(stream, ordinal, TS(sec), 'alice', id, { kind: 'issue_updated', fields: updateFields({ notes }) }));
}

/**
 * Bytes of a JSONL text whose `@N@` placeholders (inside JSON strings) are replaced by raw byte sequences — the
 * way to put invalid UTF-8 into a line, which no JS string can encode.
 */
function withBytes(text: string, bytes: Record<string, number[]>): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(/@(\w+)@/g)) {
    parts.push(Buffer.from(text.slice(last, m.index), 'utf8'), Buffer.from(bytes[m[1]!] ?? []));
    last = m.index! + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** A snapshot of streams given as raw bytes (what readStore returns with `bytesOnly`). */
function snapshotOf(streams: Record<string, Buffer>): StoreSnapshot {
  const ids = Object.keys(streams).sort();
  return {
    streams: ids.map((id) => ({ stream_id: id, file: `${id}.jsonl`, events: [], lines: [] })),
    streamTexts: new Map<string, string>(),
    streamBytes: new Map(ids.map((id) => [id, streams[id]!])),
  } as unknown as StoreSnapshot;
}

/** The definition: each file decoded whole as UTF-8, split into lines, every non-blank line parsed, then folded. */
function foldByDefinition(streams: Record<string, Buffer>): BeadIssue[] {
  const ids = Object.keys(streams).sort();
  const parsed = ids.map((id) => ({
    events: streams[id]!.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as BeadEvent),
  }));
  return finishIssues(foldStreams(parsed).values());
}

/** Both folds, compared through JSON (which keeps every code unit, U+FFFD and lone surrogates included). */
function assertSameFold(streams: Record<string, Buffer>): BeadIssue[] {
  const want = foldByDefinition(streams);
  const got = foldTexts(snapshotOf(streams));
  assert.equal(JSON.stringify(got), JSON.stringify(want));
  return got;
}

test('the lazy fold decodes raw UTF-8, emoji, invalid bytes, escapes and non-ASCII keys exactly like a whole-file UTF-8 decode', () => {
  const bytes: Record<string, number[]> = {
    e: [0xc3, 0xa9], // é
    euro: [0xe2, 0x82, 0xac], // €
    emoji: [0xf0, 0x9f, 0x98, 0x80], // 😀 (a surrogate pair in JS)
    cont: [0x80], // a lone continuation byte
    ff: [0xff], // never valid in UTF-8
    cut3: [0xe2, 0x82], // a 3-byte sequence cut short (followed by ASCII or the closing quote)
    cut4: [0xf0, 0x9f, 0x98], // a 4-byte sequence cut short
    overlong: [0xc0, 0xaf], // an overlong "/"
    surrogate: [0xed, 0xa0, 0x80], // an encoded UTF-16 surrogate
    lead: [0xc3], // a lead byte right before an escape or the end of the string
  };
  // JSON.parse, not a literal: `__proto__` must be an own key.
  const tf = JSON.parse('{"cl@e@":"v@euro@","@ff@":"x","@cut3@":"y","__proto__":"@e@","plain":"@lead@\\n@cont@"}') as Record<string, unknown>;
  const mixed = [
    createdLine('s1', 1, 1, 's1-a', { title: 'caf@e@ @emoji@ @cut4@', description: 'esc ~U~ raw @e@ and \\u00e9 text @lead@', design: '@overlong@/@ff@@ff@' }),
    createdLine('s1', 2, 2, 's1-b', { title: 'ascii only', task_type: 'k', task_type_fields: tf }),
    noteLine('s1', 3, 3, 's1-a', 'note @emoji@@emoji@ @cut3@x', 'act@e@ur'),
    noteLine('s1', 4, 4, 's1-a', 'tail @lead@'),
    notesUpdateLine('s1', 5, 5, 's1-b', 'set @euro@ @cont@@cont@ "q" @lead@\t'),
  ].join('');
  // `~U~` becomes the JSON escape \u00e9 (JSON.stringify never writes one for é); raw bytes go in last.
  const s1 = withBytes(mixed.replace(/~U~/g, '\\u00e9'), bytes);
  const s2 = Buffer.from(createdLine('s2', 1, 0, 's2-a', { title: 'plain ASCII file' }) + noteLine('s2', 2, 6, 's2-a', 'x'), 'utf8');
  const s3 = Buffer.from(createdLine('s3', 1, 7, 's3-a', { title: 'valid UTF-8: ü ∑ 🎉' }), 'utf8');
  const got = assertSameFold({ s1, s2, s3 });
  const a = got.find((i) => i.id === 's1-a')!;
  assert.ok(a.title.startsWith('caf\u00e9 \u{1F600} \uFFFD'), 'é and the emoji decode; the cut sequence becomes U+FFFD');
  assert.ok(a.description.includes('\u00e9 raw \u00e9'), 'an escape and a raw é give the same character');
  const b = got.find((i) => i.id === 's1-b')!;
  assert.ok(Object.keys(b.task_type_fields).includes('cl\u00e9'), 'a non-ASCII key decodes');
});

test('any bytes inside a JSON string fold the same as a whole-file UTF-8 decode (fuzz)', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (chunks, asciiNeighbour) => {
      // Bytes that would end the JSON string or break the line are kept out: 0x22 ("), 0x5C (\), controls < 0x20.
      const clean = chunks.map((c) => Array.from(c).filter((x) => x >= 0x20 && x !== 0x22 && x !== 0x5c));
      const bytes: Record<string, number[]> = {};
      clean.forEach((c, k) => (bytes[`b${k}`] = c));
      const title = clean.map((_, k) => `@b${k}@`).join(' ');
      const text = createdLine('f1', 1, 1, 'f1-a', { title, description: '@b0@' }) + noteLine('f1', 2, 2, 'f1-a', `n@b${clean.length - 1}@`);
      const streams: Record<string, Buffer> = { f1: withBytes(text, bytes) };
      if (asciiNeighbour) streams.f0 = Buffer.from(createdLine('f0', 1, 0, 'f0-a'), 'utf8');
      assertSameFold(streams);
    }),
    { numRuns: 300 },
  );
});

test('a torn last line with non-ASCII bytes is ignored; a bad line before it is reported with its line number', () => {
  const good = createdLine('t1', 1, 1, 't1-a', { title: 'ok \u00e9' });
  const torn = Buffer.concat([Buffer.from(good + '{"schema_version":1,"event_id":"t1:2","title":"caf', 'utf8'), Buffer.from([0xc3])]);
  const issues = foldTexts(snapshotOf({ t1: torn }));
  assert.deepEqual(issues.map((i) => i.title), ['ok \u00e9']);
  const badText = good + '{"title":"caf\u00e9",}\n' + noteLine('t1', 3, 3, 't1-a', 'x');
  const want = (() => {
    try {
      JSON.parse('{"title":"caf\u00e9",}');
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.throws(() => foldTexts(snapshotOf({ t1: Buffer.from(badText, 'utf8') })), (e: any) => e.code === 'INVALID' && e.location?.line === 2 && e.message.includes(want));
});

test('long note chains with updates in between follow the note rule (trim the old notes, blank line, [ts · actor] entry)', () => {
  const ws = fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\u3000', '\r\n');
  const step = fc.oneof(
    fc.record({ note: fc.tuple(ws, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''), ws) }),
    fc.record({ set: fc.tuple(ws, fc.constantFrom('', 'draft', 'a b'), ws) }),
  );
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
      let text = createdLine('n1', 1, 0, 'n1-a');
      let expected = '';
      steps.forEach((s, k) => {
        const sec = k + 1;
        if ('note' in s) {
          const entry = s.note.join('');
          text += noteLine('n1', k + 2, sec, 'n1-a', entry);
          const line = `[${TS(sec)} \u00b7 bob] ${entry.trim()}`;
          expected = /\S/.test(expected) ? `${expected.replace(/\s+$/, '')}\n\n${line}` : line;
        } else {
          const notes = s.set.join('');
          text += notesUpdateLine('n1', k + 2, sec, 'n1-a', notes);
          expected = notes;
        }
      });
      const streams = { n1: Buffer.from(text, 'utf8') };
      const [issue] = assertSameFold(streams);
      assert.equal(issue!.notes, expected);
    }),
    { numRuns: 200 },
  );
});

test('a bytes-only read returns every stream file byte for byte, also files larger than a pool chunk or crossing one', (t) => {
  // Sizes chosen around the reader's 1 MiB chunks: small files, one that crosses a chunk end, one over 1 MiB.
  const sizes = [10, 700_000, 400_000, 1_500_000, 0, 3, 1_048_576, 20];
  const files: Record<string, Buffer> = {};
  sizes.forEach((n, k) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 31 + k * 7) & 0xff;
    files[`s${k}`] = b;
  });
  const tree: Record<string, string> = {
    'config.json': '{"issue_prefix":"sase","next_counter":1}\n',
    'events/manifest.json': JSON.stringify({ schema_version: 1, stream_count: sizes.length }) + '\n',
  };
  const dir = tmpdir(t);
  mkdirSync(join(dir, 'events', 'streams'), { recursive: true });
  for (const [rel, body] of Object.entries(tree)) writeFileSync(join(dir, rel), body);
  for (const [id, b] of Object.entries(files)) writeFileSync(join(dir, 'events', 'streams', `${id}.jsonl`), b);
  const snap = readStoreSync(dir, { bytesOnly: true });
  assert.deepEqual([...snap.streamBytes.keys()], Object.keys(files).sort());
  for (const [id, b] of Object.entries(files)) assert.ok(snap.streamBytes.get(id)!.equals(b), `${id} (${b.length} bytes) reads back exactly`);
});
