/**
 * `dossier review fingerprint`: binds a review to the content it reviewed by writing the current
 * fingerprint of every record it names in `reviewed` into its `fingerprints` (docs/reviews.md).
 * Planning is pure; writing goes through the record editor (comments, quoting and key order kept,
 * all files or none) under the project lock, which the caller holds.
 */

import { editRecords } from '../edit/record-edit.js';
import type { TraceGraph } from '../graph/graph.js';
import type { Project } from '../load/project.js';
import { isApproved } from '../model/approval.js';
import { maxFileBytesOf } from '../model/config.js';
import { fingerprint } from '../model/fingerprint.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { changedParts, reviewedVersion } from './changes.js';
import { fingerprintState, fingerprintsOf, reviewsOf, reviewTypeOf } from './review.js';

/** One reviewed record as the review holds it and as it is now. */
export type ReviewedEntry =
  | { readonly id: string; readonly state: 'current'; readonly fingerprint: string }
  | { readonly id: string; readonly state: 'missing'; readonly now: string }
  | {
      readonly id: string;
      readonly state: 'changed';
      readonly recorded: string;
      readonly now: string;
      /** What changed since the reviewed version, when git still holds it. */
      readonly changes?: { readonly parts: readonly string[]; readonly commit: string };
      /** Other reviews of the same type that hold the current fingerprint: this one is superseded. */
      readonly supersededBy: readonly string[];
      /** The record is obsolete now: its change went through change control, no review is due. */
      readonly obsolete: boolean;
    };

export interface ReviewFingerprints {
  readonly review: DossierRecord;
  readonly entries: readonly ReviewedEntry[];
  /** Ids in `fingerprints` that `reviewed` does not name (dropped when written). */
  readonly unlisted: readonly string[];
  /** The `fingerprints` value that binds the review to the current content, in `reviewed` order. */
  readonly current: Readonly<Record<string, string>>;
  /** True when the review already holds exactly these fingerprints. */
  readonly upToDate: boolean;
  /**
   * True when every reviewed record is current, reviewed again in another review of the same type,
   * or obsolete: what `review/stale` also leaves alone.
   */
  readonly settled: boolean;
}

export class ReviewFingerprintError extends Error {}

/** The review with this id, or an error naming the reviews there are. */
export function reviewRecord(graph: TraceGraph, id: string): DossierRecord {
  const record = graph.get(id);
  if (record?.kind === 'review') return record;
  const reviews = graph.ofKind('review').map((r) => r.id);
  const known =
    reviews.length > 0
      ? ` (reviews: ${reviews.slice(0, 10).join(', ')}${reviews.length > 10 ? ', …' : ''})`
      : ' (the project has no review records)';
  throw new ReviewFingerprintError(
    record ? `${id} is a ${record.kind}, not a review${known}` : `no record has id ${id}${known}`,
  );
}

/** Compares the review's fingerprints with the reviewed records now. Pure. */
export function reviewFingerprints(graph: TraceGraph, review: DossierRecord): ReviewFingerprints {
  const ids = [...new Set(review.links.reviewed ?? [])];
  if (ids.length === 0) {
    throw new ReviewFingerprintError(
      `${review.id} names no record in \`reviewed\`; list what was reviewed first (nothing was written)`,
    );
  }
  const missingRecords = ids.filter((id) => graph.get(id) === undefined);
  if (missingRecords.length > 0) {
    // Fail closed: a review bound to part of what it names would look complete.
    throw new ReviewFingerprintError(
      `${review.id} names ${missingRecords.join(', ')} in \`reviewed\`, but no record has ${missingRecords.length === 1 ? 'that id' : 'those ids'}; correct \`reviewed\` first (nothing was written)`,
    );
  }
  const recorded = fingerprintsOf(review);
  const type = reviewTypeOf(review);
  const entries: ReviewedEntry[] = ids.map((id) => {
    const record = graph.get(id)!;
    const now = fingerprint(record);
    const was = recorded[id];
    if (was === undefined) return { id, state: 'missing', now };
    if (was === now) return { id, state: 'current', fingerprint: now };
    const supersededBy = reviewsOf(graph, record, type)
      .filter((other) => other !== review && fingerprintState(other, record).state === 'current')
      .map((other) => other.id)
      .sort();
    return { id, state: 'changed', recorded: was, now, supersededBy, obsolete: !isActive(record) };
  });
  const current = Object.fromEntries(
    entries.map((e) => [e.id, e.state === 'current' ? e.fingerprint : e.now]),
  );
  const unlisted = Object.keys(recorded)
    .filter((id) => !ids.includes(id))
    .sort();
  const upToDate = unlisted.length === 0 && entries.every((e) => e.state === 'current');
  const settled = entries.every(
    (e) => e.state === 'current' || (e.state === 'changed' && (e.supersededBy.length > 0 || e.obsolete)),
  );
  return { review, entries, unlisted, current, upToDate, settled };
}

/**
 * Adds, to each changed entry, which parts changed since the reviewed version where git holds that
 * version (reads git; the rest of the module does not).
 */
export function withChanges(
  project: Project,
  graph: TraceGraph,
  result: ReviewFingerprints,
): ReviewFingerprints {
  const maxBytes = maxFileBytesOf(project.config);
  const entries = result.entries.map((entry) => {
    if (entry.state !== 'changed') return entry;
    const record = graph.get(entry.id)!;
    const found = reviewedVersion(project.root, project.config, record, entry.recorded, maxBytes);
    return found
      ? { ...entry, changes: { parts: changedParts(found.record, record), commit: found.commit } }
      : entry;
  });
  return { ...result, entries };
}

/**
 * Writes the current fingerprints into the reviews that are not up to date, all files or none. An
 * approved review is not changed: what it reviewed is part of what was approved (set it back to
 * in-review, review again, approve again); one such review writes nothing at all. Returns the files
 * written (none when every review is up to date).
 */
export function writeReviewFingerprints(
  project: Project,
  results: readonly ReviewFingerprints[],
): readonly string[] {
  const due = results.filter((r) => !r.upToDate);
  const approved = due.find((r) => isApproved(r.review));
  if (approved) {
    throw new ReviewFingerprintError(
      `${approved.review.id} is approved, and what it reviewed is part of what was approved; nothing was written. Review the changed records again, set its status back to in-review, run this again and have it approved again (or record a new review)`,
    );
  }
  if (due.length === 0) return [];
  const written = editRecords(
    due.map((r) => ({ record: r.review, edits: [{ field: 'fingerprints', value: r.current }] })),
    {
      root: project.root,
      sources: project.sources,
      maxFileBytes: maxFileBytesOf(project.config),
      owner: 'dossier review fingerprint',
    },
  );
  return written.written;
}
