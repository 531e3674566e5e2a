import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { RecordEditConflictError } from '../../edit/record-edit.js';
import { TraceGraph } from '../../graph/graph.js';
import {
  type ReviewedEntry,
  ReviewFingerprintError,
  type ReviewFingerprints,
  reviewFingerprints,
  reviewRecord,
  withChanges,
  writeReviewFingerprints,
} from '../../reviews/fingerprint-review.js';
import { withProjectLock } from '../../util/project-lock.js';
import { EXIT, loadOrReport, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export interface ReviewFingerprintOptions {
  readonly dir: string;
  /** Only report which fingerprints are stale or missing; write nothing (exit 1 when any is). */
  readonly check?: boolean;
}

/**
 * `dossier review fingerprint <REV-id…>`: writes the current fingerprint of every reviewed record
 * into each review, or with --check reports which are stale. Holds the project lock while writing.
 */
export function runReviewFingerprint(ids: readonly string[], options: ReviewFingerprintOptions): number {
  const job = () => fingerprintReviews(ids, options);
  return options.check
    ? job()
    : withProjectLock(path.resolve(options.dir), 'dossier review fingerprint', warnLock, job);
}

function fingerprintReviews(ids: readonly string[], options: ReviewFingerprintOptions): number {
  const action = options.check ? 'check review fingerprints' : 'write review fingerprints';
  const { project, exitCode } = loadOrReport(options.dir, { refuse: action });
  if (!project) return exitCode!;
  const graph = new TraceGraph(project.records);
  try {
    // Every review is read and checked before any is written: one unknown id writes nothing.
    const results = [...new Set(ids)].map((id) => reviewFingerprints(graph, reviewRecord(graph, id)));
    if (options.check) {
      const shown = results.map((r) => withChanges(project, graph, r));
      writeOut(shown.map(checkReport).join(''));
      return shown.every((r) => r.settled) ? EXIT.ok : EXIT.findings;
    }
    writeReviewFingerprints(project, results);
    writeOut(results.map(writeReport).join(''));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ReviewFingerprintError || error instanceof RecordEditConflictError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

function writeReport(result: ReviewFingerprints): string {
  const { review, entries, unlisted } = result;
  if (result.upToDate) {
    return `${review.id}: the fingerprints of its ${plural(entries.length, 'reviewed record')} are current; nothing changed\n`;
  }
  const added = entries.filter((e) => e.state === 'missing').map((e) => e.id);
  const replaced = entries.filter((e) => e.state === 'changed').map((e) => e.id);
  const said = [
    ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
    ...(replaced.length > 0 ? [`replaced ${replaced.join(', ')} (changed since the review)`] : []),
    ...(unlisted.length > 0 ? [`dropped ${unlisted.join(', ')} (not in reviewed)`] : []),
  ];
  return `${review.id}: wrote the fingerprints of ${plural(entries.length, 'reviewed record')}: ${said.join('; ')}\n`;
}

function checkReport(result: ReviewFingerprints): string {
  const { review, entries, unlisted } = result;
  const stale = entries.filter((e) => e.state !== 'current').length;
  const head = `${review.id}: ${plural(entries.length, 'reviewed record')}, ${stale === 0 ? 'all current' : `${stale} not current${result.settled ? ', each reviewed again later or obsolete' : ''}`}\n`;
  const lines = entries.map((e) => `  ${e.id}  ${describeEntry(e)}\n`);
  const extra = unlisted.map((id) => `  ${id}  has a fingerprint but is not in reviewed\n`);
  return head + lines.join('') + extra.join('');
}

function describeEntry(entry: ReviewedEntry): string {
  switch (entry.state) {
    case 'current':
      return 'current';
    case 'missing':
      return 'no fingerprint recorded';
    case 'changed': {
      const what = entry.changes
        ? `changed since the review: ${entry.changes.parts.join(', ')} (the reviewed version is in commit ${entry.changes.commit.slice(0, 12)})`
        : 'changed since the review (which fields changed is not known: no committed version of its file has the reviewed fingerprint)';
      if (entry.supersededBy.length > 0)
        return `${what}; its current content was reviewed again in ${entry.supersededBy.join(', ')}`;
      return entry.obsolete ? `${what}; it is obsolete now` : what;
    }
  }
}
