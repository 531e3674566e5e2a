/**
 * `dossier suspect --clear`: records that suspect links were reviewed, by stamping them with their
 * targets' current fingerprints in the source records' `linkReviews` (who and when included).
 * Choosing what to clear is pure; writing goes through the record editor (comments, quoting and key
 * order kept, all files or none) under the project lock, which the caller holds.
 */
import { editRecords } from '../edit/record-edit.js';
import type { TraceGraph } from '../graph/graph.js';
import type { Project } from '../load/project.js';
import { maxFileBytesOf } from '../model/config.js';
import { reviewerProblem, reviewIdProblem, stampListProblems } from '../model/link-stamp.js';
import type { DossierRecord } from '../model/record.js';
import {
  planStamps,
  type Reviewer,
  type StampPlan,
  suspectLinks,
  trackedFieldsOf,
  trackedLinksOf,
} from './suspect.js';

export class SuspectClearError extends Error {}

/** What to clear: every suspect link, or records (all their tracked links) and single links. */
export type ClearSelection =
  | { readonly all: true }
  | { readonly all?: false; readonly items: readonly string[] };

/**
 * The stamps to write for a selection, one plan per record that changes, in id order. Every item is
 * checked before anything is planned: an unknown id, a record without tracked links or a link that
 * is not there clears nothing at all.
 */
export function planClear(graph: TraceGraph, selection: ClearSelection, reviewer: Reviewer): StampPlan[] {
  // The stamp is one line of text (src/model/link-stamp.ts): a name or id it could not hold is
  // refused here, before anything is planned.
  const nameProblem = reviewerProblem(reviewer.by);
  if (nameProblem)
    throw new SuspectClearError(`--by ${JSON.stringify(reviewer.by)}: ${nameProblem} (nothing was written)`);
  const idProblem = reviewer.review === undefined ? undefined : reviewIdProblem(reviewer.review);
  if (idProblem)
    throw new SuspectClearError(
      `--review ${JSON.stringify(reviewer.review)}: ${idProblem} (nothing was written)`,
    );
  if (reviewer.review !== undefined) {
    const review = graph.get(reviewer.review);
    if (review?.kind !== 'review') {
      throw new SuspectClearError(
        `--review ${reviewer.review}: ${review ? `${review.id} is a ${review.kind}, not a review` : 'no record has that id'} (nothing was written)`,
      );
    }
  }
  const wanted = new Map<DossierRecord, Set<string> | undefined>();
  if (selection.all) {
    for (const link of suspectLinks(graph)) wanted.set(link.from, undefined);
  } else {
    for (const item of selection.items) {
      const [sourceId, targetId, ...rest] = item.split(':');
      if (rest.length > 0 || !sourceId || targetId === '') {
        throw new SuspectClearError(
          `--clear ${item}: give a record id (SRS-012) or one link as SOURCE:TARGET (SRS-012:SYS-003)`,
        );
      }
      const record = recordWithTrackedLinks(graph, sourceId);
      if (targetId === undefined) {
        wanted.set(record, undefined);
        continue;
      }
      if (!trackedLinksOf(graph, record).some((l) => l.to.id === targetId)) {
        const fields = [...trackedFieldsOf(record.kind)].join(', ');
        throw new SuspectClearError(
          `--clear ${item}: ${record.id} has no tracked link to ${targetId} (its tracked links are ${fields}); nothing was written`,
        );
      }
      const known = wanted.get(record);
      // A whole record already chosen stays whole; otherwise collect its single links.
      if (wanted.has(record) && known === undefined) continue;
      wanted.set(record, new Set([...(known ?? []), targetId]));
    }
  }
  // A list with a broken stamp is not rewritten: the stamps that are fine would be lost with it.
  const broken = [...wanted.keys()].filter(
    (r) => r.fields.linkReviews !== undefined && stampListProblems(r.fields.linkReviews).length > 0,
  );
  if (broken.length > 0) {
    throw new SuspectClearError(
      `the link reviews of ${broken
        .map((r) => r.id)
        .sort()
        .join(
          ', ',
        )} do not read (see \`dossier check\`): fix them first, so that the stamps that are fine are kept (nothing was written)`,
    );
  }
  return [...wanted]
    .sort(([a], [b]) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .flatMap(([record, targets]) => planStamps(graph, record, reviewer, targets) ?? []);
}

function recordWithTrackedLinks(graph: TraceGraph, id: string): DossierRecord {
  const record = graph.get(id);
  if (!record) throw new SuspectClearError(`--clear ${id}: no record has that id (nothing was written)`);
  if (trackedFieldsOf(record.kind).size === 0) {
    throw new SuspectClearError(
      `--clear ${id}: ${id} is a ${record.kind}, which has no tracked links (nothing was written)`,
    );
  }
  return record;
}

/** Writes the plans' `linkReviews`, all files or none; returns the files written. */
export function writeClear(project: Project, plans: readonly StampPlan[]): readonly string[] {
  if (plans.length === 0) return [];
  return editRecords(
    plans.map((p) => ({
      record: p.record,
      edits: [
        // No stamp left (every link removed): the field goes with them.
        { field: 'linkReviews', value: p.linkReviews.length > 0 ? p.linkReviews : undefined },
      ],
    })),
    {
      root: project.root,
      sources: project.sources,
      maxFileBytes: maxFileBytesOf(project.config),
      owner: 'dossier suspect --clear',
    },
  ).written;
}
