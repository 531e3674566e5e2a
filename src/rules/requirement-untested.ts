import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const requirementUntested: Rule = {
  code: 'requirement/untested',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.7.1', '5.7.4'],
  reads: { kinds: [] },
  summary: 'A system or software requirement is verified by no test.',
  hint: 'add a test with `verifies: [<id>]`, or mark the requirement obsolete if it no longer applies',
  // Local: the record, the tests that verify it (src/rules/local-rerun.ts).
  local: { reach: 1 },
  *check({ graph }) {
    for (const kind of ['system-requirement', 'software-requirement'] as const) {
      for (const requirement of graph.ofKind(kind)) {
        if (!isActive(requirement)) continue;
        if (graph.testsVerifying(requirement).some(isActive)) continue;
        yield {
          code: 'requirement/untested',
          message: `${requirement.id} is not verified by any test`,
          recordId: requirement.id,
          at: fieldAnchor(requirement, 'id'),
        };
      }
    }
  },
};
