/**
 * Which records of a release must be approved before it is released, and which are not.
 *
 * The kinds and the clauses that ask for their approval are data (APPROVAL_DEFAULTS); `dossier.yaml`
 * may turn a kind off (with a reason every release report shows) or on for any other kind. What
 * "approved" means is decided in one place only: {@link isApproved}.
 */
import type { Analysis } from '../analyze.js';
import { isApproved } from '../model/approval.js';
import type { DossierConfig } from '../model/config.js';
import { type KindName, kindSpec } from '../model/kinds.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type ClassScheme, classesOfClauses, higherClass, IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { appliesTo } from './verdicts.js';

export interface ApprovalDefault {
  readonly kind: KindName;
  /** Clauses that ask for the approval; the kind is on by default at a class where any applies. */
  readonly clauses: readonly string[];
  /** Records of the kind that must be approved even when `dossier.yaml` turns the kind off. */
  readonly always?: { readonly label: string; readonly applies: (record: DossierRecord) => boolean };
}

/** A manual run has no imported report behind it: its approval is what makes it evidence (5.7.5). */
const isManualRun = (record: DossierRecord) => record.fields.report === undefined;

/**
 * The kinds whose records must be approved before release, by default. IEC 62304 asks for verified
 * software requirements (5.2.6), a verified architecture (5.3.6), test procedures (5.7.1) and test
 * records (5.5.5, 5.7.5); ISO 13485 7.3 asks for design inputs (requirements and the outputs of risk
 * management) and outputs to be approved, and for verification records. The ISO 13485 clauses hold
 * at every class, so every kind below is on at A, B and C. The plans are current and approved before
 * a release (5.1.2 keeps the development plan up to date; ISO 13485 7.3.2 asks for design and
 * development plans to be documented, reviewed and approved).
 */
export const APPROVAL_DEFAULTS: readonly ApprovalDefault[] = [
  { kind: 'system-requirement', clauses: ['5.2.6', 'ISO 13485 7.3.3'] },
  { kind: 'software-requirement', clauses: ['5.2.6', 'ISO 13485 7.3.3'] },
  { kind: 'software-item', clauses: ['5.3.6', 'ISO 13485 7.3.4'] },
  { kind: 'risk-control', clauses: ['7.2.1', 'ISO 13485 7.3.3'] },
  { kind: 'test', clauses: ['5.7.1', 'ISO 13485 7.3.6'] },
  {
    kind: 'test-run',
    clauses: ['5.7.5', 'ISO 13485 7.3.6'],
    always: { label: 'manual test run', applies: isManualRun },
  },
  { kind: 'verification-report', clauses: ['5.5.5', 'ISO 13485 7.3.6'] },
  { kind: 'plan', clauses: ['5.1.2', 'ISO 13485 7.3.2'] },
];

export interface ApprovalRequirement extends ApprovalDefault {
  /** Must the kind's records be approved (the default for the class, or `dossier.yaml`)? */
  readonly required: boolean;
  /** Why `dossier.yaml` turned it off. */
  readonly reason?: string;
}

/**
 * Does any of the clauses apply at the class? The same reading as the severity of the rules
 * ({@link classesOfClauses}: Annex A Table A.1, uncertain rows as applying, other standards and
 * unknown references at every class), so the gate and `check` never disagree on where a clause holds.
 */
export function clausesApplyAt(clauses: readonly string[], cls: string, scheme = IEC_62304_ED1_1): boolean {
  return classesOfClauses(scheme, clauses).includes(cls);
}

/** The approval requirement of every kind the defaults or `dossier.yaml` name, for a class. */
export function approvalRequirements(
  config: Pick<DossierConfig, 'release'>,
  cls: string,
  scheme: ClassScheme = IEC_62304_ED1_1,
): ApprovalRequirement[] {
  const settings = config.release?.approvals ?? {};
  const defaults = new Map(APPROVAL_DEFAULTS.map((d) => [d.kind, d]));
  const kinds = [
    ...defaults.keys(),
    ...(Object.keys(settings) as KindName[]).filter((k) => !defaults.has(k)),
  ];
  return kinds.map((kind) => {
    const base = defaults.get(kind) ?? { kind, clauses: kindSpec(kind).clauses };
    const setting = settings[kind];
    return {
      ...base,
      required: setting?.required ?? (defaults.has(kind) && clausesApplyAt(base.clauses, cls, scheme)),
      ...(setting?.reason !== undefined && !setting.required ? { reason: setting.reason } : {}),
    };
  });
}

/** Kinds that belong to one version by their `version` field rather than by `introducedIn`. */
const VERSIONED_KINDS: ReadonlySet<KindName> = new Set(['test-run', 'verification-report', 'release']);

/**
 * Is a record part of what is released as `version`? Obsolete records never; test runs,
 * verification reports and release records of that version; SOUP still in the build; any other
 * record unless it is introduced in a later version.
 */
export function inReleaseScope(record: DossierRecord, version: string): boolean {
  if (!isActive(record)) return false;
  if (VERSIONED_KINDS.has(record.kind)) return String(record.fields.version) === version;
  if (record.kind === 'soup' && record.fields.removed !== undefined) return false;
  return appliesTo(record, version);
}

/** The class the release is held to: the higher of the declared and the computed system class. */
export function releaseClass(analysis: Analysis): string {
  const scheme = analysis.safety.scheme;
  const computed = analysis.safety.system?.computedClass ?? scheme.unclassified;
  // No declared class (a production-software project): the computed class alone, unclassified
  // when there is none, which the scheme treats as the most rigorous.
  const declared = analysis.project.config.software.safetyClass ?? computed;
  return higherClass(scheme, declared, computed);
}

export interface UnapprovedRecords {
  readonly requirement: ApprovalRequirement;
  /** Sorted by id. */
  readonly records: readonly DossierRecord[];
  /** Only the records `always` names are required (dossier.yaml turned the kind off). */
  readonly onlyAlways: boolean;
}

/** Per kind that needs approval, the records in the release's scope that are not approved. */
export function unapprovedInScope(analysis: Analysis, version: string): UnapprovedRecords[] {
  const requirements = approvalRequirements(
    analysis.project.config,
    releaseClass(analysis),
    analysis.safety.scheme,
  );
  return requirements.flatMap((requirement) => {
    const needed = requirement.required ? () => true : requirement.always?.applies;
    if (!needed) return [];
    const records = analysis.graph
      .ofKind(requirement.kind)
      .filter((r) => inReleaseScope(r, version) && needed(r) && !isApproved(r))
      .sort(compareById);
    return records.length > 0 ? [{ requirement, records, onlyAlways: !requirement.required }] : [];
  });
}
