// On their own, without the schemas, so that the command line can list them without loading zod.

/**
 * The built-in record kinds. Their meaning is fixed because the regulatory rules depend on it;
 * projects extend them with custom fields in `dossier.yaml`, not with new kinds.
 */
export const KIND_NAMES = [
  'user-need',
  'system-requirement',
  'software-requirement',
  'software-item',
  'soup',
  'hazard',
  'hazardous-situation',
  'risk-control',
  'test',
  'problem-report',
  'change-request',
  'release',
  'vulnerability-evaluation',
  'test-run',
  'verification-report',
  'plan',
  'review',
  'attestation',
  'threat-model',
  'threat',
  'security-risk',
  'security-control',
  'security-test',
  'security-labeling',
  'intended-use',
  'feature',
  'assurance-activity',
  'validation-decision',
] as const;
export type KindName = (typeof KIND_NAMES)[number];
