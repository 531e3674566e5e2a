import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const linkWrongKind: Rule = {
  code: 'link/wrong-kind',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['5.1.1 c', '7.3.3'],
  reads: { kinds: [] },
  summary: 'A link points to a record of a kind the link type does not allow.',
  hint: 'link to a record of an allowed kind, or use the link field meant for this kind',
  *check({ graph }) {
    for (const broken of graph.broken) {
      if (!broken.found) continue;
      yield {
        code: 'link/wrong-kind',
        message: `${broken.from.id}.${broken.field} links to ${broken.target}, a ${broken.found.kind}; it must link to ${broken.allowed.join(' or ')}`,
        recordId: broken.from.id,
        at: fieldAnchor(broken.from, broken.field, broken.index),
        related: [{ message: `${broken.target} is defined here`, at: fieldAnchor(broken.found, 'id') }],
      };
    }
  },
};
