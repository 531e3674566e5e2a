import {
  KINDS_WITH_TRACKED_LINKS,
  linkClauses,
  orphanedStamps,
  type SuspectLink,
  stampIndexOf,
  suspectLinks,
} from '../links/suspect.js';
import { ChangeLookup, describeChange, MAX_CHANGE_LOOKUPS } from '../links/what-changed.js';
import { fieldAnchor, valueAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * A record that depends on another's content (a requirement derived from a system requirement, a
 * test of a requirement, a risk control of a hazardous situation) must be looked at again when that
 * content changes: the change may invalidate it (8.2.2 redo affected activities, 8.2.3 repeat
 * invalidated verification, 7.4.1 analyse changes for their effect on safety; ISO 13485 7.3.9).
 * A warning in `check`, like other work still to do; the release gate blocks a release whose class
 * B or C records have suspect links (release/link-suspect).
 */
export const linkSuspect: Rule = {
  code: 'link/suspect',
  severity: 'warning',
  applicability: 'table',
  clauses: ['8.2.2', '8.2.3', '7.4.1', 'ISO 13485 7.3.9'],
  summary:
    'A tracked link was never reviewed, or its target changed since the link was reviewed (docs/change-control.md).',
  hint: 'check that the record still holds for the target as it is now (update it if not), then record the review: `dossier suspect --clear SOURCE-ID --by "YOUR NAME"` (or SOURCE:TARGET for one link)',
  *check({ project, graph }) {
    const lookup = new ChangeLookup(project);
    for (const link of suspectLinks(graph)) {
      const stamp = link.state === 'changed' ? link.stamp : undefined;
      yield {
        code: 'link/suspect',
        clauses: linkClauses(link.from.kind, link.field),
        message: messageOf(link, describeChange(lookup.changeOf(link), MAX_CHANGE_LOOKUPS)),
        recordId: link.from.id,
        subjectId: link.from.id,
        targetId: link.to.id,
        at: stamp
          ? valueAnchor(link.from, 'linkReviews', stampIndexOf(link.from, link.to.id))
          : fieldAnchor(link.from, link.field, link.index),
        related: [{ message: `${link.to.id} as it is now`, at: fieldAnchor(link.to, 'id') }],
      };
    }
  },
};

function messageOf(link: SuspectLink, change: string): string {
  const what = `${link.from.id} ${link.field} ${link.to.id} (${link.to.title})`;
  if (link.state === 'unreviewed') {
    return `${what} is suspect: the link was never reviewed (no stamp for ${link.to.id} in \`linkReviews\`)`;
  }
  const { by, on, review } = link.stamp;
  return `${what} is suspect: ${link.to.id} changed since ${by} reviewed the link on ${on}${review ? ` (${review})` : ''}; ${change}`;
}

/** A stamp for an id the record no longer links to: harmless, but it no longer says anything true. */
export const linkReviewOrphaned: Rule = {
  code: 'link/review-orphaned',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['8.2.4'],
  // orphanedStamps reads `linkReviews` of the records of the kinds that have tracked links.
  reads: { kinds: [...KINDS_WITH_TRACKED_LINKS].sort() },
  summary: '`linkReviews` holds a stamp for an id the record does not link to through a tracked link.',
  hint: 'remove the stamp (or restore the link); `dossier suspect --clear RECORD-ID --by NAME` drops such stamps',
  *check({ graph }) {
    for (const { record, target, stamp, index } of orphanedStamps(graph)) {
      yield {
        code: 'link/review-orphaned',
        message: `${record.id} has a link review for ${target} (by ${stamp.by} on ${stamp.on}), but no tracked link of ${record.id} names ${target}`,
        recordId: record.id,
        at: valueAnchor(record, 'linkReviews', index),
      };
    }
  },
};
