import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskControlUnverified: Rule = {
  code: 'risk-control/unverified',
  severity: 'error',
  applicability: 'table',
  // ISO 14971 7.2 (verification at every class) is enforced by risk-control/effectiveness-unverified.
  clauses: ['7.3.1'],
  reads: { kinds: [] },
  summary: 'A risk control is verified by no test, directly or through the requirements that implement it.',
  hint: 'add a test with `verifies: [<id>]` that shows the measure is implemented and effective',
  *check({ graph }) {
    for (const control of graph.ofKind('risk-control')) {
      if (!isActive(control)) continue;
      const direct = graph.testsVerifying(control).some(isActive);
      const viaRequirements = graph
        .requirementsImplementing(control)
        .some((requirement) => isActive(requirement) && graph.testsVerifying(requirement).some(isActive));
      if (direct || viaRequirements) continue;
      yield {
        code: 'risk-control/unverified',
        message: `${control.id} is not verified by any test`,
        recordId: control.id,
        at: fieldAnchor(control, 'id'),
      };
    }
  },
};
