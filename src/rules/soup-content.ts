import { formatClauses } from '../diagnostics/format.js';
import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * What a SOUP record must say. Title and version (8.1.2 a, c) are required by the schema; the
 * manufacturer is checked here so that `dossier soup import` can create records for components whose
 * supplier a lockfile does not name. Which classes need a field follows from its clause and the
 * applicability table (5.3.3, 5.3.4 and 7.1.3 at class B and C); the FDA support fields are asked
 * for at every class, as warnings.
 */
export const SOUP_CONTENT: readonly {
  readonly field: string;
  readonly what: string;
  readonly clause: string;
  readonly severity: 'error' | 'warning';
}[] = [
  {
    field: 'manufacturer',
    what: 'manufacturer (supplier, vendor or open-source project)',
    clause: '8.1.2 b',
    severity: 'error',
  },
  {
    field: 'requirements',
    what: 'functional and performance requirements for our use',
    clause: '5.3.3',
    severity: 'error',
  },
  {
    field: 'systemRequirements',
    what: 'hardware and software it needs',
    clause: '5.3.4',
    severity: 'error',
  },
  {
    field: 'anomalyReview',
    what: 'review of the published anomaly list for this version',
    clause: '7.1.3',
    severity: 'error',
  },
  {
    field: 'supportLevel',
    what: 'level of support',
    clause: 'FDA cybersecurity guidance',
    severity: 'warning',
  },
  {
    field: 'endOfSupport',
    what: 'end-of-support date',
    clause: 'FDA cybersecurity guidance',
    severity: 'warning',
  },
];

export const soupMissingContent: Rule = {
  code: 'soup/missing-content',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.3.3', '5.3.4', '7.1.3', '8.1.2', 'FDA cybersecurity guidance'],
  reads: { kinds: ['soup'] },
  summary:
    'A SOUP record lacks content its class requires (5.3.3, 5.3.4, 7.1.3; FDA support level and end of support).',
  hint: 'fill in the field named; the class comes from the software items that `uses` the SOUP',
  *check({ safety }) {
    for (const { soup, cls, usedBy, directlyUsedBy } of safety.soup) {
      const use =
        usedBy.length === 0
          ? ', used by no item'
          : `, used by ${usedBy.join(', ')}${directlyUsedBy.length === 0 ? ' through the SOUP that depends on it' : ''}`;
      for (const required of SOUP_CONTENT) {
        if (soup.fields[required.field] !== undefined) continue;
        yield {
          code: 'soup/missing-content',
          severity: required.severity,
          clauses: [required.clause],
          message: `${soup.id} (class ${cls}${use}) has no \`${required.field}\`: the ${required.what} (${formatClauses([required.clause])})`,
          recordId: soup.id,
          at: fieldAnchor(soup, 'id'),
        };
      }
    }
  },
};

export const soupUnused: Rule = {
  code: 'soup/unused',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['5.3.1', '8.1.2'],
  reads: { kinds: ['soup'] },
  summary:
    'A SOUP item is used by no software item, directly or through the SOUP that depends on it, so its class and its place in the architecture are unknown.',
  hint: 'add `uses: [<id>]` to the software items that use it (or that use a SOUP item whose `dependsOn` leads to it; `soup import --used-by SI-…` links new direct components), or mark it obsolete if it was removed',
  *check({ safety }) {
    for (const { soup, usedBy } of safety.soup) {
      if (usedBy.length > 0) continue;
      yield {
        code: 'soup/unused',
        message: `${soup.id} (${soup.title}) is not used by any software item, directly or through the SOUP that depends on it; it is treated as class C`,
        recordId: soup.id,
        at: fieldAnchor(soup, 'id'),
      };
    }
  },
};
