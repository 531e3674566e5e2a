import type { Finding } from '../diagnostics/diagnostic.js';
import { type DossierRecord, fieldAnchor, valueAnchor } from '../model/record.js';
import { creditedExternalControls } from '../safety/external-credit.js';
import type { SituationRisk } from '../safety/risk-evaluation.js';
import type { Rule } from './rule.js';

/** Why a `withExternalControls` that names no controls cannot be credited. */
function withoutCredits(risk: SituationRisk): string {
  const id = risk.situation.id;
  if (risk.controls.length === 0) return `no risk control mitigates ${id}, so there is nothing to credit`;
  if (risk.controls.every((c) => c.control.fields.implementedIn === 'software'))
    return `every control mitigating ${id} is implemented in the software, which cannot lower its own class`;
  return 'it does not name the controls it relies on (`credits`), so no credit is taken';
}

function notAControl(id: string, record: DossierRecord | undefined): string {
  if (!record) return `${id} is not a risk control (no record has that id)`;
  if (record.kind !== 'risk-control') return `${id} is a ${record.kind}, not a risk control`;
  return `${id} is not a risk control in use (it is obsolete)`;
}

export const riskExternalCredit: Rule = {
  code: 'risk/external-credit',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a'],
  reads: { kinds: ['risk-control'] },
  summary:
    'A classification estimate credits risk control external to the software without naming valid controls and a rationale.',
  hint: 'under `withExternalControls` list in `credits` the hardware, independent-software or process controls that mitigate the situation, and say in `rationale` why they reduce the risk this far',
  *check({ graph, safety }) {
    for (const risk of safety.risks) {
      const credit = risk.credit;
      if (!credit) continue;
      const id = risk.situation.id;
      const at = fieldAnchor(risk.situation, 'withExternalControls');
      const finding = (message: string, anchor = at): Finding => ({
        code: 'risk/external-credit',
        message,
        recordId: id,
        at: anchor,
      });
      if (credit.problems.includes('no-credits')) {
        yield finding(
          `${id} gives a risk with external controls (withExternalControls), but ${withoutCredits(risk)} (4.3 a)`,
        );
      }
      for (const [index, credited] of credit.credits.entries()) {
        const problem = credited.problem;
        if (problem === undefined || problem === 'information-for-safety') continue;
        const why =
          problem === 'not-a-control'
            ? notAControl(credited.id, graph.get(credited.id))
            : problem === 'not-mitigating'
              ? `${credited.id} does not mitigate ${id}`
              : `${credited.id} is implemented in the software, which cannot lower its own class`;
        yield finding(
          `${id} credits ${credited.id} for classification, but ${why}; no credit is taken (4.3 a)`,
          valueAnchor(risk.situation, 'withExternalControls', 'credits', index),
        );
      }
      if (credit.problems.includes('no-rationale') && credit.credits.length > 0) {
        yield finding(
          `${id} credits ${credit.credits.map((c) => c.id).join(', ')} for classification with no rationale; no credit is taken (4.3 a)`,
        );
      }
      if (credit.applied && risk.creditExceedsUncontrolled) {
        yield finding(
          `${id}'s risk with external controls is higher than without any control; the uncontrolled risk is used`,
        );
      }
    }
  },
};

export const riskCreditInformationForSafety: Rule = {
  code: 'risk/credit-information-for-safety',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['4.3 a'],
  reads: { kinds: [] },
  summary:
    'A classification estimate credits information for safety, which dossier.yaml does not allow to lower the class.',
  hint: 'remove it from `credits`, or, if the risk management plan accepts it, set `classification.creditInformationForSafety.rationale` in dossier.yaml',
  *check({ safety }) {
    for (const risk of safety.risks) {
      const credit = risk.credit;
      if (!credit) continue;
      for (const [index, credited] of credit.credits.entries()) {
        if (credited.problem !== 'information-for-safety') continue;
        yield {
          code: 'risk/credit-information-for-safety',
          message: `${risk.situation.id} credits ${credited.id} (information for safety) for classification; without classification.creditInformationForSafety in dossier.yaml that does not lower the class, so no credit is taken`,
          recordId: risk.situation.id,
          at: valueAnchor(risk.situation, 'withExternalControls', 'credits', index),
        };
      }
    }
  },
};

export const riskExternalCreditUnverified: Rule = {
  code: 'risk/external-credit-unverified',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a', '7.3.1', 'ISO 14971 7.2'],
  // creditedExternalControls reads the controls' implementedIn and option.
  reads: { kinds: ['risk-control'] },
  summary:
    'A risk control external to the software that a classification credits has no test of its implementation or of its effectiveness.',
  hint: 'link a test with `verifies` (it is implemented) and one with `verifiesEffectiveness` (it reduces the risk as credited)',
  *check({ safety }) {
    for (const credited of creditedExternalControls(safety)) {
      if (credited.status !== 'unverified' || !credited.control) continue;
      const missing = [
        ...(credited.implementationTests.length === 0 ? ['its implementation (verifies)'] : []),
        ...(credited.effectivenessTests.length === 0 ? ['its effectiveness (verifiesEffectiveness)'] : []),
      ];
      yield {
        code: 'risk/external-credit-unverified',
        message: `${credited.controlId} is credited as risk control external to the software for the classification of ${credited.situations.join(', ')}, but no test verifies ${missing.join(' or ')}`,
        recordId: credited.controlId,
        at: fieldAnchor(credited.control, 'id'),
      };
    }
  },
};
