import { fieldAnchor, isActive } from '../model/record.js';
import { cpeTextsOf, cpeVersionMatches, parseCpe, soupCpeProblem, unescapeCpe } from '../soup/cpe/name.js';
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
  reads: { kinds: ['soup'] },
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
  reads: { kinds: ['soup'] },
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

/**
 * IEC 62304 7.1.3 asks for the published anomalies of the SOUP version in use, and NVD CVEs are
 * matched by the version in the item's CPE, not by its `version` field. A CPE still naming the old
 * version after an upgrade (7.4.1) would check the wrong version and report nothing: an error.
 */
export const soupCpeVersion: Rule = {
  code: 'soup/cpe-version',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['7.1.3', '7.4.1'],
  reads: { kinds: ['soup'] },
  summary:
    "A SOUP item's CPE names another version than the item's `version`, so NVD matching would check the wrong version.",
  hint: 'write the version in use into each CPE (cpe:2.3:a:<vendor>:<product>:<version>:…); update the CPEs with every version change',
  *check({ graph }) {
    for (const soup of graph.ofKind('soup')) {
      if (!isActive(soup) || typeof soup.fields.version !== 'string') continue;
      const version = soup.fields.version;
      const texts = cpeTextsOf(soup.fields.cpe);
      for (const [index, text] of texts.entries()) {
        // A malformed CPE is the schema's finding.
        if (soupCpeProblem(text) !== undefined) continue;
        const cpe = parseCpe(text);
        if (cpeVersionMatches(cpe.version, version)) continue;
        yield {
          code: 'soup/cpe-version',
          message: `${soup.id} (${soup.title}) is version ${version}, but its CPE ${text} names version ${unescapeCpe(cpe.version)}: NVD CVEs would be matched against the wrong version (7.1.3)`,
          recordId: soup.id,
          at:
            typeof soup.fields.cpe === 'string' ? fieldAnchor(soup, 'cpe') : fieldAnchor(soup, 'cpe', index),
        };
      }
    }
  },
};
