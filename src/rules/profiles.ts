import { isGeneralRule } from '../csa/assurance.js';
import type { Profile } from '../model/vocabulary.js';
import type { Rule } from './rule.js';

/**
 * Whether a rule runs for a project of this profile. A rule that names its profiles runs for those;
 * any other rule is device work (IEC 62304, ISO 14971, SOUP, security) and runs for device projects,
 * and for production software only when its area is general (reading, schema, ids, links, tests,
 * signatures: data/csa-assurance.json). The rules that do not run are not silently passed: the CSA
 * rules judge the project instead, and the gap scan lists the device clauses as not applicable.
 */
export function ruleRunsFor(rule: Rule, profile: Profile): boolean {
  if (rule.profiles) return rule.profiles.includes(profile);
  return profile === 'device' || isGeneralRule(rule.code);
}
