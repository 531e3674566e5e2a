import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

interface VersionChange {
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly changeRequest?: string;
  readonly evaluation?: string;
}

/**
 * IEC 62304 7.4.1 (all classes) and 6.1 f: a SOUP version change is a software change whose effect
 * on safety must be analysed. `dossier soup import` records each change; someone must evaluate it.
 */
export const soupVersionChangeUnevaluated: Rule = {
  code: 'soup/version-change-unevaluated',
  severity: 'error',
  applicability: 'table',
  clauses: ['7.4.1', '6.1 f', '8.2'],
  summary: 'A SOUP version change recorded by an import has no evaluation or change request.',
  hint: 'add `changeRequest: CR-…` or an `evaluation` to the version change: anomalies of the new version, requirements still met',
  *check({ graph }) {
    for (const soup of graph.ofKind('soup')) {
      if (!isActive(soup)) continue;
      const changes = (soup.fields.versionChanges as VersionChange[] | undefined) ?? [];
      for (const [index, change] of changes.entries()) {
        if (change.changeRequest || change.evaluation) continue;
        yield {
          code: 'soup/version-change-unevaluated',
          message: `${soup.id} (${soup.title}) changed from ${change.from} to ${change.to} on ${change.date}, and the change has not been evaluated (7.4.1)`,
          recordId: soup.id,
          at: fieldAnchor(soup, 'versionChanges', index),
        };
      }
    }
  },
};

export const soupRemovedStillUsed: Rule = {
  code: 'soup/removed-still-used',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['5.3.1', '8.1.2'],
  summary: 'A SOUP item that an import marked removed is still used by software items.',
  hint: "remove it from the items' `uses`, or set its status to obsolete once the architecture is updated",
  *check({ graph }) {
    for (const soup of graph.ofKind('soup')) {
      if (!isActive(soup) || soup.fields.removed === undefined) continue;
      const users = graph.sources(soup, 'uses', 'software-item').filter(isActive);
      if (users.length === 0) continue;
      const removed = soup.fields.removed as { date: string; from: string };
      yield {
        code: 'soup/removed-still-used',
        message: `${soup.id} (${soup.title}) left ${removed.from} on ${removed.date} but is still used by ${users.map((u) => u.id).join(', ')}`,
        recordId: soup.id,
        at: fieldAnchor(soup, 'removed'),
      };
    }
  },
};
