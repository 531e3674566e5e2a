import { fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskControlUnimplemented: Rule = {
  code: 'risk-control/unimplemented',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.3', '7.2.2 a'],
  reads: { kinds: ['risk-control'] },
  summary: 'A risk control implemented in software is implemented by no software requirement.',
  hint: 'add a software requirement with `riskControl: true` and `implements: [<id>]`',
  *check({ graph }) {
    for (const control of graph.ofKind('risk-control')) {
      if (!isActive(control) || control.fields.implementedIn !== 'software') continue;
      if (graph.requirementsImplementing(control).some(isActive)) continue;
      yield {
        code: 'risk-control/unimplemented',
        message: `${control.id} is a software risk control but no software requirement implements it`,
        recordId: control.id,
        at: fieldAnchor(control, 'implementedIn'),
      };
    }
  },
};
