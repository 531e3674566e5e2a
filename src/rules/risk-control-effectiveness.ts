import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskControlEffectiveness: Rule = {
  code: 'risk-control/effectiveness-unverified',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 7.2'],
  reads: { kinds: [] },
  summary: 'A risk control has no test showing that it is effective (as well as implemented).',
  hint: 'add `verifiesEffectiveness: [<id>]` to a test that shows the hazardous situation is actually prevented or reduced',
  *check({ graph }) {
    for (const control of graph.ofKind('risk-control').filter(isActive)) {
      if (graph.sources(control, 'verifiesEffectiveness', 'test').some(isActive)) continue;
      yield {
        code: 'risk-control/effectiveness-unverified',
        message: `${control.id} has no test verifying its effectiveness`,
        recordId: control.id,
        at: fieldAnchor(control, 'id'),
      };
    }
  },
};
