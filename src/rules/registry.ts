import { attestationExpired } from './attestation-expired.js';
import { classDeclaredTooLow } from './class-declared-too-low.js';
import { classAnalysisConflict, classItemNotAnalysed } from './class-hazard-analysis.js';
import { classHigherThanNeeded } from './class-higher-than-needed.js';
import { classItemOutsideTree } from './class-item-outside-tree.js';
import { classSegregationIncomplete } from './class-segregation-incomplete.js';
import { classSegregationMissing } from './class-segregation-missing.js';
import { classSystemRecord } from './class-system-record.js';
import { tagUnknownId, tagUntraced } from './code-tags.js';
import { configCyberDeviceUndeclared } from './config-cyber-device.js';
import { configUnknownRule } from './config-unknown-rule.js';
import { CSA_RULES } from './csa.js';
import {
  evidenceRunIncomplete,
  evidenceTestNeverRun,
  evidenceUnknownReference,
} from './evidence-references.js';
import { idDuplicate } from './id-duplicate.js';
import { idMalformed } from './id-malformed.js';
import { itemInterfacesMissing } from './item-interfaces.js';
import { linkCycle } from './link-cycle.js';
import { linkDangling } from './link-dangling.js';
import { linkReviewOrphaned, linkSuspect } from './link-suspect.js';
import { linkWrongKind } from './link-wrong-kind.js';
import { loadProblemRules } from './load-problems.js';
import { planMissing, planSectionEmpty, planSectionMissing, planSectionUnknown } from './plan-sections.js';
import { changeIncomplete, problemIncomplete, stateTransitions } from './problem-change.js';
import { problemHazardUnlinked } from './problem-hazard-link.js';
import { recordEmptyText } from './record-empty-text.js';
import { requirementNoSource } from './requirement-no-source.js';
import { requirementUnallocated } from './requirement-unallocated.js';
import { requirementUntested } from './requirement-untested.js';
import {
  reviewCriteriaMissing,
  reviewCriterionUnmet,
  reviewFindingNotProblemReport,
  reviewFindingOpen,
  reviewIncomplete,
} from './review-content.js';
import {
  itemArchitectureUnreviewed,
  requirementUnreviewed,
  unitDesignUnreviewed,
} from './review-coverage.js';
import { reviewFingerprintMissing, reviewStale } from './review-fingerprints.js';
import { reviewIndependenceMissing } from './review-independence.js';
import { riskCauseMissing, riskCauseReference } from './risk-cause.js';
import { riskControlEffectiveness } from './risk-control-effectiveness.js';
import { riskControlFlag } from './risk-control-flag.js';
import { riskControlUnimplemented } from './risk-control-unimplemented.js';
import { riskControlUnverified } from './risk-control-unverified.js';
import {
  riskCreditInformationForSafety,
  riskExternalCredit,
  riskExternalCreditUnverified,
} from './risk-external-credit.js';
import { riskIncompleteEstimate } from './risk-incomplete-estimate.js';
import { riskNoPolicy } from './risk-no-policy.js';
import { riskResidualUnacceptable, riskResidualUnevaluated } from './risk-residual.js';
import { riskUncontrolled } from './risk-uncontrolled.js';
import type { Rule } from './rule.js';
import { rulesetRulesNotRun, rulesetUnpinned } from './ruleset-rules.js';
import { schemaInvalidValue } from './schema-invalid-value.js';
import { schemaMissingField } from './schema-missing-field.js';
import { schemaUnknownField } from './schema-unknown-field.js';
import { schemaWrongType } from './schema-wrong-type.js';
import { securityControlUntraced, securityControlUnverified } from './security-controls.js';
import {
  securityAnomalyUnassessed,
  securityLabelingMissing,
  securityPlanMissing,
} from './security-postmarket.js';
import { securityRiskIncomplete, securityRiskUncontrolled, securitySafetyHandover } from './security-risk.js';
import { securityFindingOpen, securityTesterIndependence } from './security-testing.js';
import {
  securityInterfaceUnassessed,
  securityThreatModelMissing,
  securityThreatUnassessed,
  securityUnknownKey,
} from './security-threats.js';
import { SIGNATURE_RULES } from './signatures.js';
import { soupAnomalyReviewNotCurrent, soupVulnerabilitiesUnreviewed } from './soup-anomaly-review.js';
import { soupCpeVersion, soupRemovedStillUsed, soupVersionChangeUnevaluated } from './soup-changes.js';
import { soupMissingContent, soupUnused } from './soup-content.js';
import {
  soupAdvisoryDataStale,
  soupEvaluationIncomplete,
  soupEvaluationUnmatched,
  soupKevUnevaluated,
  soupNoAdvisoryData,
  soupSupportSuggestion,
  soupUnevaluatedVulnerability,
} from './soup-vulnerabilities.js';
import { submissionDecision } from './submission-decision.js';
import { testIncomplete } from './test-incomplete.js';
import { unitDesignMissing, unitInterfaceDesignMissing } from './unit-design.js';
import { userNeedUnvalidated } from './user-need-unvalidated.js';

/** Every rule, in the order its findings are computed. Later issues add their rules here. */
export const RULES: readonly Rule[] = [
  ...loadProblemRules,
  schemaUnknownField,
  schemaWrongType,
  schemaMissingField,
  schemaInvalidValue,
  idMalformed,
  idDuplicate,
  linkDangling,
  linkWrongKind,
  linkCycle,
  requirementNoSource,
  requirementUntested,
  requirementUnallocated,
  userNeedUnvalidated,
  riskControlFlag,
  riskControlUnimplemented,
  riskControlUnverified,
  recordEmptyText,
  riskNoPolicy,
  riskIncompleteEstimate,
  riskUncontrolled,
  riskResidualUnevaluated,
  riskResidualUnacceptable,
  riskExternalCredit,
  riskCreditInformationForSafety,
  riskExternalCreditUnverified,
  riskCauseMissing,
  riskCauseReference,
  riskControlEffectiveness,
  classSystemRecord,
  classItemNotAnalysed,
  classAnalysisConflict,
  classItemOutsideTree,
  classDeclaredTooLow,
  classSegregationMissing,
  classSegregationIncomplete,
  classHigherThanNeeded,
  itemInterfacesMissing,
  unitDesignMissing,
  unitInterfaceDesignMissing,
  testIncomplete,
  soupUnused,
  soupMissingContent,
  soupRemovedStillUsed,
  soupVersionChangeUnevaluated,
  soupCpeVersion,
  soupEvaluationIncomplete,
  soupUnevaluatedVulnerability,
  soupKevUnevaluated,
  soupEvaluationUnmatched,
  soupSupportSuggestion,
  soupNoAdvisoryData,
  soupAdvisoryDataStale,
  soupAnomalyReviewNotCurrent,
  soupVulnerabilitiesUnreviewed,
  problemIncomplete,
  problemHazardUnlinked,
  changeIncomplete,
  submissionDecision,
  stateTransitions,
  attestationExpired,
  planMissing,
  planSectionMissing,
  planSectionEmpty,
  planSectionUnknown,
  reviewIncomplete,
  reviewCriteriaMissing,
  reviewCriterionUnmet,
  reviewFindingOpen,
  reviewFindingNotProblemReport,
  reviewIndependenceMissing,
  configCyberDeviceUndeclared,
  securityThreatModelMissing,
  securityUnknownKey,
  securityInterfaceUnassessed,
  securityThreatUnassessed,
  securityRiskIncomplete,
  securityRiskUncontrolled,
  securitySafetyHandover,
  securityControlUntraced,
  securityControlUnverified,
  securityFindingOpen,
  securityTesterIndependence,
  securityPlanMissing,
  securityAnomalyUnassessed,
  securityLabelingMissing,
  reviewFingerprintMissing,
  reviewStale,
  linkSuspect,
  linkReviewOrphaned,
  requirementUnreviewed,
  itemArchitectureUnreviewed,
  unitDesignUnreviewed,
  tagUnknownId,
  tagUntraced,
  evidenceUnknownReference,
  evidenceTestNeverRun,
  evidenceRunIncomplete,
  ...SIGNATURE_RULES,
  ...CSA_RULES,
  configUnknownRule(() => RULES.map((r) => r.code)),
  rulesetUnpinned,
  rulesetRulesNotRun,
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleFor(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
