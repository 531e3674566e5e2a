import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskUncontrolled: Rule = {
  code: 'risk/uncontrolled',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 7.1', '7.2.1'],
  reads: { kinds: [] },
  summary: 'A hazardous situation with an unacceptable initial risk has no risk control measure.',
  hint: 'add a risk control with `mitigates: [<id>]`, in ISO 14971 priority order: inherent safety, protective measure, information for safety',
  *check({ safety }) {
    for (const risk of safety.risks) {
      if (!risk.initial || risk.initial.acceptable || risk.controls.length > 0) continue;
      yield {
        code: 'risk/uncontrolled',
        message: `${risk.situation.id} has an unacceptable initial risk (${risk.initial.severity.label} × ${risk.initial.probability.label}) and no risk control measure`,
        recordId: risk.situation.id,
        at: fieldAnchor(risk.situation, 'severity'),
      };
    }
  },
};
