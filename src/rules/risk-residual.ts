import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const riskResidualUnevaluated: Rule = {
  code: 'risk/residual-unevaluated',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 7.3'],
  reads: { kinds: ['hazardous-situation'] },
  summary: 'A hazardous situation with risk controls has no residual risk estimate.',
  hint: 'add `residualProbability` (and `residualSeverity` if the controls change the harm)',
  *check({ safety }) {
    for (const risk of safety.risks) {
      if (risk.controls.length === 0 || risk.situation.fields.residualProbability !== undefined) continue;
      yield {
        code: 'risk/residual-unevaluated',
        message: `${risk.situation.id} has ${risk.controls.length} risk control${risk.controls.length === 1 ? '' : 's'} but its residual risk is not evaluated`,
        recordId: risk.situation.id,
        at: fieldAnchor(risk.situation, 'id'),
      };
    }
  },
};

export const riskResidualUnacceptable: Rule = {
  code: 'risk/residual-unacceptable',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 7.4', 'ISO 14971 8'],
  reads: { kinds: ['hazardous-situation'] },
  summary: 'A residual risk is unacceptable and no benefit–risk conclusion is recorded.',
  hint: 'reduce the risk further, or record the benefit–risk analysis in `benefitRisk`',
  *check({ safety }) {
    for (const risk of safety.risks) {
      if (!risk.benefitRiskNeeded || typeof risk.situation.fields.benefitRisk === 'string') continue;
      yield {
        code: 'risk/residual-unacceptable',
        message: `${risk.situation.id}: the residual risk (${risk.residual!.severity.label} × ${risk.residual!.probability.label}) is unacceptable and no benefit–risk analysis is recorded`,
        recordId: risk.situation.id,
        at: fieldAnchor(risk.situation, 'residualProbability'),
      };
    }
  },
};
