import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * What a SOUP record must say, by the class of the items that use it. Title and version (8.1.2 a, c)
 * are required by the schema; the manufacturer is checked here so that `dossier soup import` can
 * create records for components whose supplier a lockfile does not name.
 */
export const SOUP_CONTENT: readonly {
  readonly field: string;
  readonly what: string;
  readonly clause: string;
  readonly classes: readonly string[];
  readonly severity: 'error' | 'warning';
}[] = [
  {
    field: 'manufacturer',
    what: 'manufacturer (supplier, vendor or open-source project)',
    clause: 'IEC 62304 8.1.2 b',
    classes: ['A', 'B', 'C'],
    severity: 'error',
  },
  {
    field: 'requirements',
    what: 'functional and performance requirements for our use',
    clause: 'IEC 62304 5.3.3',
    classes: ['B', 'C'],
    severity: 'error',
  },
  {
    field: 'systemRequirements',
    what: 'hardware and software it needs',
    clause: 'IEC 62304 5.3.4',
    classes: ['B', 'C'],
    severity: 'error',
  },
  {
    field: 'anomalyReview',
    what: 'review of the published anomaly list for this version',
    clause: 'IEC 62304 7.1.3',
    classes: ['B', 'C'],
    severity: 'error',
  },
  {
    field: 'supportLevel',
    what: 'level of support',
    clause: 'FDA cybersecurity guidance',
    classes: ['A', 'B', 'C'],
    severity: 'warning',
  },
  {
    field: 'endOfSupport',
    what: 'end-of-support date',
    clause: 'FDA cybersecurity guidance',
    classes: ['A', 'B', 'C'],
    severity: 'warning',
  },
];

export const soupMissingContent: Rule = {
  code: 'soup/missing-content',
  severity: 'error',
  clauses: ['5.3.3', '5.3.4', '7.1.3', '8.1.2'],
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
        if (!required.classes.includes(cls) || soup.fields[required.field] !== undefined) continue;
        yield {
          code: 'soup/missing-content',
          severity: required.severity,
          message: `${soup.id} (class ${cls}${use}) has no \`${required.field}\`: the ${required.what} (${required.clause})`,
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
  clauses: ['5.3.1', '8.1.2'],
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
