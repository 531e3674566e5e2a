/**
 * What FD&C 524B asks a cyber device's manufacturer to have beyond the analysis: a plan to monitor,
 * identify and address postmarket vulnerabilities with a coordinated vulnerability disclosure
 * contact (524B(b)(1)), a security assessment of each unresolved anomaly (guidance V.A.5), and the
 * cybersecurity information for users (guidance VI). These apply only to cyber devices
 * (src/rules/security-applicability.ts).
 */
import { CONFIG_FILE_NAME } from '../model/config.js';
import { compareById, type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import { REQUIRED_SECURITY_LABELING_TOPICS } from '../model/vocabulary.js';
import { coveredTypes, planTypeOf } from '../plans/sections.js';
import type { Rule } from './rule.js';
import { CYBER_DEVICE, isCyberDevice } from './security-applicability.js';

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** Active plans that are, or hold, the cybersecurity management plan. */
function cybersecurityPlans(graph: Parameters<Rule['check']>[0]['graph']): DossierRecord[] {
  return graph
    .ofKind('plan')
    .filter(
      (p) => isActive(p) && (planTypeOf(p) === 'cybersecurity' || coveredTypes(p).includes('cybersecurity')),
    )
    .sort(compareById);
}

export const securityPlanMissing: Rule = {
  code: 'security/plan-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['FD&C 524B(b)(1)'],
  reads: { kinds: ['plan'] },
  summary:
    'A cyber device has no cybersecurity management plan, or the plan names no coordinated vulnerability disclosure contact.',
  hint: 'add a plan with `planType: cybersecurity` (monitoring, disclosure, updates and timelines sections; docs/plans.md) and say where vulnerability reports are received in `disclosureContact`',
  *check(context) {
    if (!isCyberDevice(context)) return;
    const plans = cybersecurityPlans(context.graph);
    if (plans.length === 0) {
      yield {
        code: 'security/plan-missing',
        message: `${CYBER_DEVICE}, but no active plan has \`planType: cybersecurity\` (or holds it in \`covers\`): FD&C 524B(b)(1) asks for a plan to monitor, identify and address postmarket vulnerabilities`,
        at: { file: CONFIG_FILE_NAME, path: ['device', 'cyberDevice'] },
      };
      return;
    }
    if (plans.some((p) => !blank(p.fields.disclosureContact))) return;
    for (const plan of plans) {
      yield {
        code: 'security/plan-missing',
        message: `${plan.id} (${plan.title}) names no coordinated vulnerability disclosure contact (\`disclosureContact\`): where researchers and users send vulnerability reports`,
        recordId: plan.id,
        at: fieldAnchor(plan, 'id'),
        hint: 'add `disclosureContact:` with the monitored address or web form published for vulnerability reports',
      };
    }
  },
};

const UNRESOLVED = (p: DossierRecord) => !['resolved', 'closed'].includes(String(p.fields.state ?? 'open'));

export const securityAnomalyUnassessed: Rule = {
  code: 'security/anomaly-unassessed',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.5'],
  reads: { kinds: ['problem-report'] },
  summary:
    'A cyber device has an unresolved problem report (a software anomaly) without a security assessment.',
  hint: 'say in `securityAssessment` whether the anomaly could be exploited or affects a security control, and why (with the CWE where one fits); "no cybersecurity impact" with the reason is an assessment',
  *check(context) {
    if (!isCyberDevice(context)) return;
    // Unresolved as the Unresolved Software Anomalies document (src/docs/anomalies.ts) counts it:
    // every active problem report not resolved or closed.
    for (const problem of context.graph.ofKind('problem-report').filter(isActive).sort(compareById)) {
      if (!UNRESOLVED(problem) || !blank(problem.fields.securityAssessment)) continue;
      yield {
        code: 'security/anomaly-unassessed',
        message: `${problem.id} (${problem.title}) is ${String(problem.fields.state ?? 'open')} and has no security assessment (\`securityAssessment\`): an unresolved anomaly can be an attack vector`,
        recordId: problem.id,
        at: fieldAnchor(problem, 'id'),
      };
    }
  },
};

export const securityLabelingMissing: Rule = {
  code: 'security/labeling-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity VI', 'FD&C 524B(b)(3)'],
  reads: { kinds: ['security-labeling'] },
  summary: `A cyber device's security labeling does not cover ${REQUIRED_SECURITY_LABELING_TOPICS.join(', ')}.`,
  hint: `add security-labeling records whose \`topics\` cover ${REQUIRED_SECURITY_LABELING_TOPICS.join(', ')}, naming the document users find it in`,
  *check(context) {
    if (!isCyberDevice(context)) return;
    const labeling = context.graph.ofKind('security-labeling').filter(isActive);
    const covered = new Set(labeling.flatMap((l) => (l.fields.topics as string[] | undefined) ?? []));
    const missing = REQUIRED_SECURITY_LABELING_TOPICS.filter((t) => !covered.has(t));
    if (missing.length === 0) return;
    yield {
      code: 'security/labeling-missing',
      message:
        labeling.length === 0
          ? `${CYBER_DEVICE}, but no security-labeling record says what users are told about cybersecurity (missing: ${missing.join(', ')})`
          : `no security-labeling record covers ${missing.join(', ')} (${labeling
              .sort(compareById)
              .map((l) => l.id)
              .join(', ')} cover ${[...covered].sort().join(', ')})`,
      at: { file: CONFIG_FILE_NAME, path: ['device', 'cyberDevice'] },
    };
  },
};
