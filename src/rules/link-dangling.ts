import { fieldAnchor } from '../model/record.js';
import { closest } from '../util/suggest.js';
import type { Rule } from './rule.js';

export const linkDangling: Rule = {
  code: 'link/dangling',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['5.1.1 c', '7.3.3'],
  reads: { kinds: [] },
  summary: 'A link names an id that no record has.',
  hint: 'correct the id, or create the record it should point to',
  *check({ graph }) {
    const candidatesByKind = new Map<string, string[]>();
    for (const broken of graph.broken) {
      if (broken.found) continue;
      const key = broken.allowed.join(',');
      let candidates = candidatesByKind.get(key);
      if (!candidates) {
        candidates = broken.allowed.flatMap((k) => graph.ofKind(k).map((r) => r.id));
        candidatesByKind.set(key, candidates);
      }
      // Edit distance over every id would be quadratic on large projects; only look near small sets.
      const suggestion = candidates.length <= 5000 ? closest(broken.target, candidates) : undefined;
      yield {
        code: 'link/dangling',
        message: `${broken.from.id}.${broken.field} links to ${broken.target}, which does not exist${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
        recordId: broken.from.id,
        targetId: broken.target,
        at: fieldAnchor(broken.from, broken.field, broken.index),
      };
    }
  },
};
