/**
 * Enumerations with regulatory meaning. Each list is data so that rules, schemas and documents
 * share one definition.
 */

export const RECORD_STATUSES = ['draft', 'in-review', 'approved', 'obsolete'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** IEC 62304 5.2.2 a)–l): the content categories of software requirements (AMD1 wording of f and j). */
export const REQUIREMENT_CATEGORIES = [
  { key: 'functional', clause: '5.2.2 a', label: 'Functional and capability' },
  { key: 'inputs-outputs', clause: '5.2.2 b', label: 'Software system inputs and outputs' },
  { key: 'interfaces', clause: '5.2.2 c', label: 'Interfaces between the software system and other systems' },
  { key: 'alarms', clause: '5.2.2 d', label: 'Software-driven alarms, warnings and operator messages' },
  { key: 'security', clause: '5.2.2 e', label: 'Security' },
  { key: 'user-interface', clause: '5.2.2 f', label: 'User interface implemented by software' },
  { key: 'data', clause: '5.2.2 g', label: 'Data definition and database' },
  { key: 'installation', clause: '5.2.2 h', label: 'Installation and acceptance' },
  { key: 'operation-maintenance', clause: '5.2.2 i', label: 'Methods of operation and maintenance' },
  { key: 'network', clause: '5.2.2 j', label: 'IT-network aspects' },
  { key: 'user-maintenance', clause: '5.2.2 k', label: 'User maintenance' },
  { key: 'regulatory', clause: '5.2.2 l', label: 'Regulatory requirements' },
] as const;
export type RequirementCategory = (typeof REQUIREMENT_CATEGORIES)[number]['key'];
export const REQUIREMENT_CATEGORY_KEYS = REQUIREMENT_CATEGORIES.map((c) => c.key) as [
  RequirementCategory,
  ...RequirementCategory[],
];

/** Safety classes of IEC 62304 Ed. 1.1, lowest first. Kept as data for the second edition's scheme. */
export const SAFETY_CLASSES = ['A', 'B', 'C'] as const;
export type SafetyClass = (typeof SAFETY_CLASSES)[number];

export const ITEM_TYPES = ['system', 'item', 'unit'] as const;

/** ISO 14971:2019 7.1 risk control options, in priority order. */
export const RISK_CONTROL_OPTIONS = [
  'inherent-safety',
  'protective-measure',
  'information-for-safety',
] as const;

/** Where a risk control is implemented; only `software` is inside the software system (62304 4.3 a). */
export const RISK_CONTROL_IMPLEMENTATIONS = [
  'software',
  'hardware',
  'external-software',
  'process',
  'labeling',
] as const;

export const TEST_LEVELS = ['unit', 'integration', 'system', 'validation'] as const;
export const TEST_METHODS = ['test', 'inspection', 'analysis', 'demonstration'] as const;
/** Outcome of one test in one run; `not-run` records a planned test that was not executed. */
export const TEST_OUTCOMES = ['passed', 'failed', 'error', 'skipped', 'not-run'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

export const PROBLEM_STATES = ['open', 'investigating', 'resolved', 'closed'] as const;
export const PROBLEM_ORIGINS = ['internal-test', 'field', 'complaint', 'vulnerability', 'review'] as const;
export const PROBLEM_CRITICALITIES = ['minor', 'major', 'critical'] as const;
/** A person's 510(k) decision for a change to a cleared device (change-request `submissionDecision`). */
export const SUBMISSION_OUTCOMES = ['document-only', 'new-510k', 'pre-submission'] as const;

export const CHANGE_STATES = [
  'proposed',
  'approved',
  'implemented',
  'verified',
  'closed',
  'rejected',
] as const;

/** FDA cybersecurity guidance: level of support of a third-party component. */
export const SUPPORT_LEVELS = [
  'actively-maintained',
  'no-longer-maintained',
  'abandoned',
  'unknown',
] as const;

/** How a SOUP component enters the build (NTIA "dependency relationship"). */
export const DEPENDENCY_SCOPES = ['direct', 'transitive', 'unknown'] as const;

/** VEX status (OpenVEX 0.2 `status`; CycloneDX analysis states are derived from it). */
export const VEX_STATES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexState = (typeof VEX_STATES)[number];

/** OpenVEX 0.2 justifications for `not_affected`. */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

export const ACCEPTABILITY = ['acceptable', 'unacceptable'] as const;
export type Acceptability = (typeof ACCEPTABILITY)[number];

/** IEC 62304 7.1.2 a)–e): categories of potential causes of a software item's contribution. */
export const SOFTWARE_CAUSE_CATEGORIES = [
  {
    key: 'specification',
    clause: '7.1.2 a',
    label: 'Incorrect or incomplete specification of functionality',
  },
  { key: 'defect', clause: '7.1.2 b', label: 'Software defect in the functionality of the item' },
  { key: 'soup', clause: '7.1.2 c', label: 'Failure or unexpected results from SOUP' },
  {
    key: 'hardware',
    clause: '7.1.2 d',
    label: 'Hardware failure or other software defect making the item unpredictable',
  },
  { key: 'misuse', clause: '7.1.2 e', label: 'Reasonably foreseeable misuse' },
] as const;
export type SoftwareCauseCategory = (typeof SOFTWARE_CAUSE_CATEGORIES)[number]['key'];
export const SOFTWARE_CAUSE_KEYS = SOFTWARE_CAUSE_CATEGORIES.map((c) => c.key) as [
  SoftwareCauseCategory,
  ...SoftwareCauseCategory[],
];

/**
 * IEC 62304 5.5.4: additional acceptance criteria for class C software units, "when present in the
 * design". Each needs evidence or a reasoned "not applicable" (domain notes §3.9).
 */
export const UNIT_ACCEPTANCE_CRITERIA = [
  { key: 'eventSequence', label: 'proper event sequence' },
  { key: 'dataControlFlow', label: 'data and control flow' },
  { key: 'resourceAllocation', label: 'planned resource allocation' },
  { key: 'faultHandling', label: 'fault handling (error definition, isolation and recovery)' },
  { key: 'initialisation', label: 'initialisation of variables' },
  { key: 'selfDiagnostics', label: 'self-diagnostics' },
  { key: 'memoryManagement', label: 'memory management and memory overflows' },
  { key: 'boundaryConditions', label: 'boundary conditions' },
] as const;
export type UnitAcceptanceKey = (typeof UNIT_ACCEPTANCE_CRITERIA)[number]['key'];
export const UNIT_ACCEPTANCE_KEYS = UNIT_ACCEPTANCE_CRITERIA.map((c) => c.key) as [
  UnitAcceptanceKey,
  ...UnitAcceptanceKey[],
];

/**
 * Plan types (IEC 62304 5.1, 6.1, 8, 9; ISO 14971 4.4; FDA premarket cybersecurity). Which sections
 * each must have, at which classes, is data: data/plan-sections.json.
 */
export const PLAN_TYPES = [
  'development',
  'maintenance',
  'configuration-management',
  'problem-resolution',
  'risk-management',
  'verification',
  'integration',
  'cybersecurity',
] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

/** What a review or verification of design outputs examined, and the clause that asks for it. */
export const REVIEW_TYPES = [
  { key: 'requirements', clause: '5.2.6', label: 'software requirements verification' },
  { key: 'architecture', clause: '5.3.6', label: 'software architecture verification' },
  { key: 'detailed-design', clause: '5.4.4', label: 'detailed design verification' },
  { key: 'code', clause: '5.5.2', label: 'code review (unit verification)' },
  { key: 'design-review', clause: 'ISO 13485 7.3.5', label: 'design review' },
  { key: 'plan', clause: '5.1.2', label: 'plan review' },
] as const;
export type ReviewType = (typeof REVIEW_TYPES)[number]['key'];
export const REVIEW_TYPE_KEYS = REVIEW_TYPES.map((r) => r.key) as [ReviewType, ...ReviewType[]];

export const REVIEW_OUTCOMES = ['passed', 'passed-with-actions', 'failed'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/**
 * The verification criteria a review of a given type records one by one (in our words):
 * 5.2.6 a–f for requirements, 5.3.6 a–c for architecture, 5.4.4 for detailed design.
 */
export const REVIEW_CRITERIA = {
  requirements: [
    {
      key: 'implementsSystemRequirements',
      clause: '5.2.6 a',
      label: 'implements the system requirements, including risk control',
    },
    { key: 'noContradiction', clause: '5.2.6 b', label: 'no requirement contradicts another' },
    { key: 'unambiguous', clause: '5.2.6 c', label: 'each requirement is unambiguous' },
    { key: 'testable', clause: '5.2.6 d', label: 'test criteria can be set and tests performed' },
    { key: 'uniquelyIdentified', clause: '5.2.6 e', label: 'each requirement is uniquely identified' },
    {
      key: 'traceable',
      clause: '5.2.6 f',
      label: 'each requirement traces to a system requirement or other source',
    },
  ],
  architecture: [
    {
      key: 'implementsRequirements',
      clause: '5.3.6 a',
      label: 'implements the system and software requirements, including risk control',
    },
    {
      key: 'supportsInterfaces',
      clause: '5.3.6 b',
      label: 'supports the interfaces between items and to external components',
    },
    { key: 'supportsSoup', clause: '5.3.6 c', label: 'supports the proper operation of the SOUP' },
  ],
  'detailed-design': [
    { key: 'implementsArchitecture', clause: '5.4.4', label: 'implements the architecture' },
    { key: 'noContradiction', clause: '5.4.4', label: 'does not contradict the architecture' },
  ],
} as const;
export const REVIEW_CRITERION_KEYS = [
  ...new Set(Object.values(REVIEW_CRITERIA).flatMap((list) => list.map((c) => c.key))),
] as [string, ...string[]];

/**
 * STRIDE threat categories (FDA premarket cybersecurity guidance V.A.1, threat modeling; IEC 81001-5-1
 * 7.2 and its threat-modelling annex name STRIDE as one method).
 */
export const STRIDE_CATEGORIES = [
  'spoofing',
  'tampering',
  'repudiation',
  'information-disclosure',
  'denial-of-service',
  'elevation-of-privilege',
] as const;

/**
 * The security control categories of the FDA premarket cybersecurity guidance, Appendix 1, in its
 * order; the label is the guidance's heading.
 */
export const SECURITY_CONTROL_CATEGORIES = [
  { key: 'authentication', label: 'Authentication' },
  { key: 'authorization', label: 'Authorization' },
  { key: 'cryptography', label: 'Cryptography' },
  { key: 'integrity', label: 'Code, data and execution integrity' },
  { key: 'confidentiality', label: 'Confidentiality' },
  { key: 'event-detection', label: 'Event detection and logging' },
  { key: 'resiliency', label: 'Resiliency and recovery' },
  { key: 'updatability', label: 'Firmware and software updates' },
] as const;
export const SECURITY_CONTROL_CATEGORY_KEYS = SECURITY_CONTROL_CATEGORIES.map((c) => c.key) as [
  (typeof SECURITY_CONTROL_CATEGORIES)[number]['key'],
  ...(typeof SECURITY_CONTROL_CATEGORIES)[number]['key'][],
];

/**
 * Kinds of cybersecurity testing (FDA premarket cybersecurity guidance V.C; IEC 81001-5-1 5.7:
 * security requirements testing, threat mitigation testing, vulnerability testing, penetration
 * testing).
 */
export const SECURITY_TEST_TYPES = [
  'security-requirements',
  'threat-mitigation',
  'penetration',
  'fuzzing',
  'static-analysis',
  'dynamic-analysis',
  'vulnerability-scan',
  'software-composition-analysis',
  'attack-surface-analysis',
  'binary-analysis',
] as const;

/** What happened to a finding of a security test: fixed, tracked as a problem report, or accepted with a reason. */
export const SECURITY_FINDING_DISPOSITIONS = ['open', 'resolved', 'problem-report', 'accepted'] as const;

/**
 * Topics of the cybersecurity information given to users (FDA premarket cybersecurity guidance VI,
 * labeling; IEC 81001-5-1 annex on accompanying security documentation).
 */
export const SECURITY_LABELING_TOPICS = [
  'sbom',
  'end-of-support',
  'recommended-controls',
  'update-instructions',
  'network-interfaces',
  'backup-restore',
  'incident-response',
  'decommissioning',
  'security-configuration',
] as const;

/**
 * Labeling topics a cyber device must cover (security/labeling-missing): how users get the SBOM
 * (FD&C 524B(b)(3); guidance VI), the end of support, and how updates and patches are delivered
 * and installed (guidance VI). The other topics are recommended and reported by `dossier security`.
 */
export const REQUIRED_SECURITY_LABELING_TOPICS: readonly (typeof SECURITY_LABELING_TOPICS)[number][] = [
  'sbom',
  'end-of-support',
  'update-instructions',
];

/**
 * What a project documents (`profile:` in dossier.yaml): a medical device's software under IEC 62304
 * (`device`, the default), or software used in production or in the quality system, validated for
 * its intended use under the FDA Computer Software Assurance guidance and ISO 13485 4.1.6 / 7.5.6
 * (`production-software`; docs/csa.md).
 */
export const PROFILES = ['device', 'production-software'] as const;
export type Profile = (typeof PROFILES)[number];

/** FDA CSA process risk of a feature: high when its failure may foreseeably compromise safety. */
export const PROCESS_RISKS = ['high', 'not-high'] as const;
export type ProcessRisk = (typeof PROCESS_RISKS)[number];

/**
 * Assurance activities of the FDA CSA guidance. Scripted testing is recorded as `test` records with
 * results in test runs; the others as `assurance-activity` records.
 */
export const ASSURANCE_METHODS = ['scripted', 'unscripted', 'ad-hoc', 'vendor-evidence'] as const;
export type AssuranceMethod = (typeof ASSURANCE_METHODS)[number];
/** The methods an `assurance-activity` record can record (scripted testing is a test and its run). */
export const RECORDED_ASSURANCE_METHODS = ['unscripted', 'ad-hoc', 'vendor-evidence'] as const;

export const ASSURANCE_OUTCOMES = ['passed', 'passed-with-issues', 'failed'] as const;
export const ISSUE_DISPOSITIONS = ['fixed', 'accepted', 'workaround', 'open'] as const;

/** The validation decision on a version of production or quality system software. */
export const VALIDATION_DECISIONS = ['acceptable', 'acceptable-with-restrictions', 'not-acceptable'] as const;
