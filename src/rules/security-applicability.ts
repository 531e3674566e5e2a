/**
 * When the cybersecurity rules apply. Two mechanisms meet here:
 *
 * - Class applicability: every security rule is a `table` rule whose clauses are FDA premarket
 *   cybersecurity guidance sections, FD&C 524B, ANSI/AAMI SW96 or IEC 81001-5-1. The `otherStandards`
 *   entries of data/iec62304-ed1.1-applicability.json map each of them to every class: the
 *   software safety class does not scale cybersecurity obligations (a class A cyber device still
 *   needs its threat model and its plan). They stay `table` rather than `fixed` because they are
 *   obligations: lowering one in dossier.yaml needs a written reason.
 * - Cyber devices: the FD&C 524B obligations to *have* something (a threat model, a plan with a
 *   disclosure contact, labeling, a security assessment of each open anomaly) apply only when
 *   dossier.yaml says `device.cyberDevice: true`. Rules about the security records themselves (an
 *   unknown key, an uncontrolled security risk, an unverified control) apply wherever the records
 *   exist: a project that keeps a threat model keeps it consistent, cyber device or not. Unlike the
 *   gap scan, which treats an undeclared device as a cyber device to show what would be missing,
 *   `check` does not fail a project that has not declared itself one; it warns that the declaration
 *   is missing (config/cyber-device-undeclared), so that the skipped rules are never silent.
 */
import type { RuleContext } from './rule.js';

export function isCyberDevice(context: Pick<RuleContext, 'project'>): boolean {
  return context.project.config.device.cyberDevice === true;
}

/** How findings of the cyber-device-only rules say why they apply. */
export const CYBER_DEVICE = 'dossier.yaml declares a cyber device (device.cyberDevice: true)';
