import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskExternalCredit: Rule = {
  code: 'risk/external-credit',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a'],
  summary: 'A hazardous situation credits external risk controls for classification, but none mitigates it.',
  hint: 'link the hardware, independent-software, process or labeling control with `mitigates`, or remove `withExternalControls`',
  *check({ safety }) {
    for (const risk of safety.risks) {
      if (risk.situation.fields.withExternalControls === undefined || risk.externalControls.length > 0)
        continue;
      yield {
        code: 'risk/external-credit',
        message: `${risk.situation.id} gives a risk with external controls, but every control mitigating it is implemented in the software, which cannot lower the class (4.3 a)`,
        recordId: risk.situation.id,
        at: fieldAnchor(risk.situation, 'withExternalControls'),
      };
    }
  },
};
