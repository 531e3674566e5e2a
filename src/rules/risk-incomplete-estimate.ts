import { fieldAnchor, valueAnchor } from '../model/record.js';
import type { SituationRisk } from '../safety/risk-evaluation.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule } from './rule.js';

/** What a missing value does to the evaluation, naming what classification uses instead. */
function consequence(risk: SituationRisk): string {
  if (!risk.softwareFailure)
    return 'its risk cannot be evaluated, and for classification it counts as class C (4.3 g)';
  // Classification needs only the severity: the software failure is taken as certain (4.3 a).
  return `its initial risk cannot be evaluated; classification still uses ${risk.softwareFailure.severity.label} × ${risk.softwareFailure.probability.label} (${risk.softwareFailure.basis})`;
}

export const riskIncompleteEstimate: Rule = {
  code: 'risk/incomplete-estimate',
  severity: 'error',
  applicability: 'table',
  clauses: ['ISO 14971 5.5', '4.3', '7.1'],
  reads: { kinds: [] },
  summary: 'A hazardous situation has no severity or probability, or uses a level the scales do not define.',
  hint: 'give `severity` and `p1` + `p2` (or `probability`) using the keys of the scales in dossier.yaml',
  *check({ safety }) {
    if (!safety.policy) return;
    for (const risk of safety.risks) {
      const record = risk.situation;
      if (risk.missing.length > 0) {
        yield {
          code: 'risk/incomplete-estimate',
          message: `${record.id} has no ${risk.missing.join(' and no ')}, so ${consequence(risk)}`,
          recordId: record.id,
          at: fieldAnchor(record, 'id'),
        };
      }
      for (const bad of risk.invalid) {
        const keys = (bad.scale === 'severity' ? safety.policy.severities : safety.policy.probabilities).map(
          (l) => l.key,
        );
        yield {
          code: 'risk/incomplete-estimate',
          message: `${record.id}.${bad.field} is "${bad.value}", which is not a ${bad.scale} level${didYouMean(bad.value, keys)}`,
          recordId: record.id,
          at: valueAnchor(record, ...bad.field.split('.')),
          hint: `${bad.scale} levels: ${keys.join(', ')}`,
        };
      }
    }
  },
};
