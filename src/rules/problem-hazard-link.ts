import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * 9.2 b: the safety relevance of a problem is determined with the risk management process; 9.5:
 * the risk management file is updated. A problem found safety-relevant therefore names the
 * hazardous situations it affects (`hazardousSituations`), so the risk file can be traced from it.
 */
export const problemHazardUnlinked: Rule = {
  code: 'problem/hazard-unlinked',
  severity: 'error',
  applicability: 'table',
  clauses: ['9.2', '9.5'],
  reads: { kinds: ['problem-report'] },
  summary: 'A safety-relevant problem report names no hazardous situation it affects.',
  hint: 'add `hazardousSituations: [HS-…]` with the hazardous situations the problem can lead to or makes more likely',
  *check({ graph }) {
    for (const problem of graph.ofKind('problem-report')) {
      if (!isActive(problem) || problem.fields.safetyRelevant !== true) continue;
      // As written: a mistyped id is link/dangling's finding, not a missing link.
      if ((problem.links.hazardousSituations?.length ?? 0) > 0) continue;
      yield {
        code: 'problem/hazard-unlinked',
        message: `${problem.id} (${problem.title}) is safety-relevant but names no hazardous situation (9.2, 9.5)`,
        recordId: problem.id,
        at: fieldAnchor(problem, 'safetyRelevant'),
      };
    }
  },
};
