/**
 * Security control rules (FDA premarket cybersecurity guidance V.B and Appendix 1; IEC 62304 5.2.2 e):
 * each security control is implemented by software requirements and verified, so the traceability
 * threat → risk → control → requirement → test the guidance asks for (V.B.4) has no gap.
 */
import { compareById, type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

const activeControls = (graph: Parameters<Rule['check']>[0]['graph']): DossierRecord[] =>
  graph.ofKind('security-control').filter(isActive).sort(compareById);

export const securityControlUntraced: Rule = {
  code: 'security/control-untraced',
  severity: 'error',
  applicability: 'table',
  clauses: ['5.2.2', 'FDA cybersecurity V.B', 'IEC 81001-5-1 5.2'],
  reads: { kinds: ['security-control'] },
  summary: 'A security control is implemented by no software requirement (5.2.2 e security requirements).',
  hint: 'name the software requirements that implement it: `requirements: [SRS-…]` on the control (write the requirement first if there is none)',
  *check({ graph }) {
    for (const control of activeControls(graph)) {
      if (graph.targets(control, 'softwareRequirements').some(isActive)) continue;
      yield {
        code: 'security/control-untraced',
        message: `${control.id} (${control.title}) is implemented by no active software requirement (\`requirements\`)`,
        recordId: control.id,
        at: fieldAnchor(control, control.links.softwareRequirements ? 'softwareRequirements' : 'id'),
      };
    }
  },
};

/** A security test campaign that counts as verifying what it tested: active and not failed. */
function verifyingCampaign(test: DossierRecord): boolean {
  return isActive(test) && test.fields.outcome !== 'failed';
}

export const securityControlUnverified: Rule = {
  code: 'security/control-unverified',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.C', 'IEC 81001-5-1 5.7'],
  reads: { kinds: ['security-control', 'security-test'] },
  summary: 'A security control is verified by no test and was tested by no security test campaign.',
  hint: 'add `verifies: [<id>]` to a test that shows the control works (security requirements or threat mitigation testing), or `tested: [<id>]` to the security-test campaign that exercised it',
  *check({ graph }) {
    for (const control of activeControls(graph)) {
      if (graph.testsVerifying(control).some(isActive)) continue;
      if (graph.sources(control, 'tested', 'security-test').some(verifyingCampaign)) continue;
      yield {
        code: 'security/control-unverified',
        message: `${control.id} (${control.title}) is verified by no active test and tested by no security test that did not fail`,
        recordId: control.id,
        at: fieldAnchor(control, 'id'),
      };
    }
  },
};
