/**
 * `doctor`: consistency checks of a bead store, and the safe repairs of `--fix`.
 *
 * Checks: pending journal, manifest schema/stream_count, torn last lines and invalid lines (file:line), invalid
 * events, duplicate event ids, replay failures (duplicate creates, missing dependency targets), §B.5 invariants,
 * dangling dependencies, config counter behind existing ids, projection drift.
 * Safe repairs (`fix`, under the store lock): complete a pending journal, drop torn last lines, rewrite the
 * manifest count, advance `next_counter`, regenerate issues.jsonl. Invalid lines in the middle of a stream,
 * replay failures and invariant violations are reported, never "fixed".
 */
import { join } from 'node:path';
import { withLock } from '../store/lock.js';
import { writeFileAtomic } from '../store/atomic.js';
import { finishIssues, foldStreams } from './fold.js';
import { nextTopLevelId } from './ids.js';
import { renderProjection } from './project.js';
import { readStore, type StoreSnapshot } from './read.js';
import { storePaths } from './paths.js';
import { issueProblems } from './validate.js';
import { completeJournal, renderConfig, renderManifest } from './write.js';
import { bumpGeneration, dropCache, writeCache } from './cache-write.js';
import type { BeadIssue, FoldOptions } from './types.js';

/** One doctor finding. */
export interface DoctorFinding {
  check: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  /** True when `--fix` repairs it. */
  fixable: boolean;
}

/** The doctor report. */
export interface DoctorReport {
  store: string;
  kind: StoreSnapshot['kind'];
  streams: number;
  events: number;
  issues: number;
  findings: DoctorFinding[];
  /** What `--fix` changed (store-relative paths), when it ran. */
  fixed: string[];
  ok: boolean;
}

function analyse(snap: StoreSnapshot, opts: FoldOptions): { findings: DoctorFinding[]; issues: BeadIssue[] | null } {
  const findings: DoctorFinding[] = [];
  for (const p of snap.problems) {
    const fixable = p.kind === 'journal' || p.kind === 'torn-line' || (p.kind === 'manifest' && /stream_count|missing/.test(p.message));
    findings.push({ check: p.kind, severity: p.kind === 'duplicate-event' || p.kind === 'journal' ? 'warning' : 'error', message: p.message, file: p.file, line: p.line, fixable });
  }
  let issues: BeadIssue[] | null = null;
  try {
    issues = snap.kind === 'legacy' ? finishIssues(snap.legacyIssues) : finishIssues(foldStreams(snap.streams, opts).values());
  } catch (e) {
    findings.push({ check: 'replay', severity: 'error', message: (e as Error).message, fixable: false });
  }
  // Duplicate creations of one id across streams.
  const created = new Map<string, string>();
  for (const s of snap.streams) {
    s.events.forEach((e, k) => {
      if (e.operation !== 'issue_created') return;
      const prev = created.get(e.issue_id);
      if (prev) findings.push({ check: 'duplicate-id', severity: 'error', message: `${e.issue_id} is created twice (also at ${prev})`, file: s.file, line: s.lines[k], fixable: false });
      else created.set(e.issue_id, `${s.file}:${s.lines[k] ?? '?'}`);
    });
  }
  if (issues) {
    const ids = new Set(issues.map((i) => i.id));
    for (const i of issues) {
      for (const p of issueProblems(i)) findings.push({ check: 'invariant', severity: 'error', message: `${i.id}: ${p}`, fixable: false });
      if (i.parent_id !== null && !ids.has(i.parent_id)) findings.push({ check: 'invariant', severity: 'error', message: `${i.id}: parent ${i.parent_id} does not exist`, fixable: false });
      for (const d of i.dependencies) {
        if (!ids.has(d.depends_on_id)) findings.push({ check: 'dangling-dep', severity: 'warning', message: `${i.id} depends on missing ${d.depends_on_id} (never blocks)`, fixable: false });
      }
    }
    if (snap.kind === 'events') {
      const { nextCounter } = nextTopLevelId(snap.config.issue_prefix, snap.config.next_counter, [...created.keys(), ...snap.streams.map((s) => s.stream_id)]);
      if (nextCounter - 1 > snap.config.next_counter && snap.configText !== '') {
        findings.push({ check: 'config', severity: 'warning', message: `config next_counter ${snap.config.next_counter} is behind existing ids (should be ≥ ${nextCounter - 1})`, file: snap.paths.config, fixable: true });
      }
      const projection = renderProjection(issues);
      if (snap.projectionText !== null && snap.projectionText !== projection) {
        findings.push({ check: 'projection', severity: 'error', message: 'issues.jsonl differs from the fold of events/ (projection drift)', file: snap.paths.projection, fixable: true });
      }
    }
  }
  return { findings, issues };
}

/**
 * Checks the store at `dir`; with `fix`, first repairs what is safely repairable under the store lock, then
 * re-checks.
 * @throws LockedError (fix only) when the lock is not available
 */
export async function doctorStore(dir: string, opts: FoldOptions & { fix?: boolean; wait?: boolean; timeoutMs?: number; staleMs?: number } = {}): Promise<DoctorReport> {
  const fixed: string[] = [];
  if (opts.fix) {
    const paths = storePaths(dir);
    await withLock(
      paths.lockTarget,
      async () => {
        if (await completeJournal(paths)) fixed.push('.bead-mutation-journal.json');
        const snap = await readStore(dir, { strict: false });
        if (snap.kind !== 'events') return;
        dropCache(paths);
        bumpGeneration(paths);
        for (const p of snap.problems) {
          if (p.kind !== 'torn-line' || !p.file) continue;
          const id = p.file.slice(p.file.lastIndexOf('/') + 1, -'.jsonl'.length);
          const text = snap.streamTexts.get(id) ?? '';
          const nl = text.lastIndexOf('\n');
          await writeFileAtomic(p.file, nl === -1 ? '' : text.slice(0, nl + 1));
          fixed.push(`events/streams/${id}.jsonl`);
        }
        const manifest = renderManifest(snap.streams.length, snap.manifest);
        if (manifest !== snap.manifestText) {
          await writeFileAtomic(paths.manifest, manifest);
          fixed.push('events/manifest.json');
        }
        const ids = [...snap.streams.map((s) => s.stream_id), ...snap.streams.flatMap((s) => s.events.map((e) => e.issue_id))];
        const next = nextTopLevelId(snap.config.issue_prefix, snap.config.next_counter, ids).nextCounter - 1;
        if (snap.configText !== '' && next > snap.config.next_counter) {
          await writeFileAtomic(paths.config, renderConfig({ ...snap.config, next_counter: next }));
          fixed.push('config.json');
        }
        try {
          const issues = finishIssues(foldStreams(snap.streams, opts).values());
          const projection = renderProjection(issues);
          if (projection !== snap.projectionText) {
            await writeFileAtomic(join(dir, 'issues.jsonl'), projection);
            fixed.push('issues.jsonl');
          }
          writeCache(paths, issues, opts);
        } catch {
          // A failing replay is reported by the check below; nothing to regenerate.
        }
      },
      { wait: opts.wait, timeoutMs: opts.timeoutMs, staleMs: opts.staleMs },
    );
  }
  const snap = await readStore(dir, { strict: false });
  const { findings, issues } = analyse(snap, opts);
  return {
    store: dir,
    kind: snap.kind,
    streams: snap.streams.length,
    events: snap.streams.reduce((n, s) => n + s.events.length, 0),
    issues: issues?.length ?? 0,
    findings,
    fixed,
    ok: !findings.some((f) => f.severity === 'error'),
  };
}
