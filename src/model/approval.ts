import type { DossierRecord } from './record.js';

/**
 * Is the record approved? The one definition every check uses (the release gate above all).
 *
 * Until signed approvals exist, approved means the record says `status: approved`. The
 * change-control work replaces this function with "valid approvals over the record's current
 * content"; nothing else needs to change then.
 */
export function isApproved(record: DossierRecord): boolean {
  return record.status === 'approved';
}

/** What to do so that {@link isApproved} holds, for hints (changes together with it). */
export const HOW_TO_APPROVE = 'review the content and set `status: approved`';
