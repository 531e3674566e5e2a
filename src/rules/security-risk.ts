/**
 * Security risk rules (ANSI/AAMI SW96; FDA premarket cybersecurity guidance V.A.2): every security
 * risk is estimated by exploitability and impact on the configured scales; an unacceptable one has
 * security controls, and what stays unacceptable after them is accepted in writing; a risk to
 * patients hands over to the safety risk file. The evaluation is src/security/security-risk.ts,
 * shared with `dossier security`.
 */
import { CONFIG_FILE_NAME } from '../model/config.js';
import { fieldAnchor, valueAnchor } from '../model/record.js';
import {
  evaluateSecurityRisks,
  type SecurityEstimate,
  type SecurityRiskPolicy,
  securityRiskPolicy,
} from '../security/security-risk.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule, RuleContext } from './rule.js';

// Rules run once per check; the evaluation is cheap, but one per context keeps the three rules in step.
const EVALUATIONS = new WeakMap<RuleContext, ReturnType<typeof evaluate>>();

function evaluate(context: RuleContext) {
  const policy = securityRiskPolicy(context.project.config);
  return { policy, risks: evaluateSecurityRisks(context.graph, policy) };
}

function evaluated(context: RuleContext) {
  let found = EVALUATIONS.get(context);
  if (!found) {
    found = evaluate(context);
    EVALUATIONS.set(context, found);
  }
  return found;
}

const label = (e: SecurityEstimate) => `${e.impact.label} impact × ${e.exploitability.label} exploitability`;

function levels(policy: SecurityRiskPolicy, scale: 'impact' | 'exploitability'): string[] {
  return policy[scale].map((l) => l.key);
}

export const securityRiskIncomplete: Rule = {
  code: 'security/risk-incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.2', 'AAMI SW96'],
  // evaluateSecurityRisks reads the security risks' estimates.
  reads: { kinds: ['security-risk'] },
  summary:
    'A security risk has no exploitability or impact, uses a level the scales do not define, or dossier.yaml has no security risk policy to evaluate it.',
  hint: 'give `exploitability` and `impact` (and, once controlled, `residualExploitability` and `residualImpact`) using the keys of `securityRisk` in dossier.yaml',
  *check(context) {
    const { policy, risks } = evaluated(context);
    if (risks.length === 0) return;
    if (!policy) {
      yield {
        code: 'security/risk-incomplete',
        message: `${risks.length} security risk${risks.length === 1 ? '' : 's'} cannot be evaluated: dossier.yaml has no \`securityRisk\` section (exploitability and impact scales and their acceptability)`,
        at: { file: CONFIG_FILE_NAME, path: [] },
        hint: 'add `securityRisk:` with `impact` and `exploitability` scales and the `acceptability` matrix (docs/config.md); exploitability, not probability (SW96)',
      };
      return;
    }
    for (const risk of risks) {
      const record = risk.risk;
      if (risk.missing.length > 0) {
        yield {
          code: 'security/risk-incomplete',
          message: `${record.id} has no ${risk.missing.join(' and no ')}, so its security risk cannot be evaluated`,
          recordId: record.id,
          at: fieldAnchor(record, 'id'),
        };
      }
      for (const bad of risk.invalid) {
        const keys = levels(policy, bad.scale);
        yield {
          code: 'security/risk-incomplete',
          message: `${record.id}.${bad.field} is "${bad.value}", which is not an ${bad.scale} level${didYouMean(bad.value, keys)}`,
          recordId: record.id,
          at: valueAnchor(record, bad.field),
          hint: `${bad.scale} levels: ${keys.join(', ')}`,
        };
      }
    }
  },
};

export const securityRiskUncontrolled: Rule = {
  code: 'security/risk-uncontrolled',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.2', 'FD&C 524B(b)(2)', 'AAMI SW96'],
  // evaluateSecurityRisks reads the security risks' estimates and acceptance.
  reads: { kinds: ['security-risk'] },
  summary:
    'A security risk is unacceptable before control and has no security control, or is still unacceptable after its controls without a written acceptance.',
  hint: 'add a security control with `mitigates: [<id>]` and estimate the residual risk (`residualExploitability`, `residualImpact`); if it stays unacceptable, say in `acceptance` why it is acceptable (SW96 overall residual risk)',
  *check(context) {
    for (const risk of evaluated(context).risks) {
      const record = risk.risk;
      if (risk.initial && !risk.initial.acceptable && risk.controls.length === 0) {
        yield {
          code: 'security/risk-uncontrolled',
          message: `${record.id} has an unacceptable security risk (${label(risk.initial)}) and no security control mitigates it`,
          recordId: record.id,
          at: fieldAnchor(record, 'exploitability'),
        };
        continue;
      }
      if (!risk.unacceptableWithoutRationale || !risk.current) continue;
      yield {
        code: 'security/risk-uncontrolled',
        message: risk.residual
          ? `${record.id} is still unacceptable after its controls (${label(risk.residual)}) and no \`acceptance\` says why the residual risk is acceptable`
          : `${record.id} is unacceptable (${label(risk.current)}) and has no residual estimate after its controls (${risk.controls.map((c) => c.id).join(', ')})`,
        recordId: record.id,
        at: risk.residual ? fieldAnchor(record, 'residualExploitability') : fieldAnchor(record, 'id'),
      };
    }
  },
};

export const securitySafetyHandover: Rule = {
  code: 'security/safety-handover',
  severity: 'error',
  applicability: 'table',
  clauses: ['AAMI SW96', 'ISO 14971 5.4', 'FDA cybersecurity V.A.2'],
  reads: { kinds: ['security-risk'] },
  summary:
    'A security risk that can harm patients leads to no hazardous situation: the safety risk file does not see it.',
  hint: 'link the hazardous situations it can lead to (`leadsTo: [HS-…]`), adding one to the risk file if none fits, so that its safety risk is evaluated there (SW96 hand-over to ISO 14971)',
  *check(context) {
    for (const risk of evaluated(context).risks) {
      const record = risk.risk;
      const harm = record.fields.patientHarm === true || record.fields.multiPatientHarm === true;
      if (!harm || risk.hazardousSituations.length > 0) continue;
      yield {
        code: 'security/safety-handover',
        message: `${record.id} can lead to ${record.fields.multiPatientHarm === true ? 'harm to several patients' : 'patient harm'} but leads to no hazardous situation (\`leadsTo\`)`,
        recordId: record.id,
        at: fieldAnchor(record, record.fields.patientHarm === true ? 'patientHarm' : 'multiPatientHarm'),
      };
    }
  },
};
