/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 *
 * Most documents exist for every project (DOCUMENTS). Some exist only as the records say: one plan
 * document per plan record (DOCUMENT_FAMILIES). `documentsFor(context)` gives the whole package of
 * one context, each document built once on first use, so that the documents that arrange the
 * package (the submission index, the eSTAR attachment map) read the same models the stage writes.
 */
import { isProductionSoftware } from '../model/config.js';
import { PLAN_TYPE_SPECS } from '../plans/plan-data.js';

import { unresolvedSoftwareAnomalies } from './anomalies.js';
import type { DocumentContext } from './context.js';
import { declarationOfConformity } from './declaration-of-conformity.js';
import { documentationLevelEvaluation } from './documentation-level.js';
import { estarAttachmentMap } from './estar.js';
import { gapReport } from './gap-report.js';
import { levelOfConcernStatement } from './level-of-concern.js';
import type { DocumentModel } from './model.js';
import type { PackageDocument } from './package-data.js';
import { planDocument, planDocuments } from './plans.js';
import { riskManagementFile } from './rmf.js';
import { SAD_KEY, SAD_TITLE, softwareArchitectureDescription } from './sad.js';
import { sbomSummary } from './sbom.js';
import { SDS_KEY, SDS_TITLE, softwareDesignSpecification } from './sds.js';
import { hasSecurityRecords, SRMR_KEY, SRMR_TITLE, securityRiskManagementReport } from './security-rmr.js';
import { softwareDescription } from './software-description.js';
import { SVR_KEY, SVR_TITLE, softwareValidationReport } from './software-validation-report.js';
import { soupList } from './soup-list.js';
import { softwareRequirementsSpecification } from './srs.js';
import { submissionIndex } from './submission-index.js';
import { traceabilityMatrices } from './traceability.js';

export type { PackageDocument } from './package-data.js';

import { DOCUMENT_FORMATS } from '../report-formats.js';
import { softwareVerificationPlan } from './verification-plan.js';
import { softwareVerificationReport } from './verification-report.js';
import { softwareVersionHistory } from './versions.js';

export { DOCUMENT_FORMATS };

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

/** Documents whose number and keys the records decide. */
export interface DocumentFamily {
  readonly name: string;
  /** The keys it gives, for help texts: `SDP, SMP, … (one per plan record)`. */
  readonly keys: string;
  readonly documents: (context: DocumentContext) => readonly DocumentSpec[];
}

/** The documents of every project, in package order. */
export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
  { key: SAD_KEY, title: SAD_TITLE, build: softwareArchitectureDescription },
  { key: SDS_KEY, title: SDS_TITLE, build: softwareDesignSpecification },
  { key: 'RMF', title: 'Risk Management File (software)', build: riskManagementFile },
  { key: 'TRACE', title: 'Traceability Matrices', build: traceabilityMatrices },
  { key: 'VVP', title: 'Software Verification Plan', build: softwareVerificationPlan },
  { key: 'VVR', title: 'Software Verification Report', build: softwareVerificationReport },
  { key: 'ANOMALIES', title: 'Unresolved Software Anomalies', build: unresolvedSoftwareAnomalies },
  { key: 'VERSIONS', title: 'Software Version History', build: softwareVersionHistory },
  { key: 'SOUP', title: 'SOUP List', build: soupList },
  { key: 'SBOM', title: 'SBOM and Vulnerability Assessment Summary', build: sbomSummary },
  { key: 'DLE', title: 'Documentation Level Evaluation', build: documentationLevelEvaluation },
  { key: 'DESCRIPTION', title: 'Software Description', build: softwareDescription },
  { key: 'DOC', title: 'Declaration of Conformity to IEC 62304 (draft)', build: declarationOfConformity },
  { key: 'GAP', title: 'Gap Report', build: gapReport },
  {
    key: 'INDEX',
    title: 'Submission Index',
    build: (context) => submissionIndex(context, documentsFor(context)),
  },
  {
    key: 'ESTAR',
    title: 'eSTAR Attachment Map',
    build: (context) => estarAttachmentMap(context, documentsFor(context)),
  },
];

/**
 * The package of a `profile: production-software` project (docs/csa.md): the Software Validation
 * Report and the gap report against the CSA criteria. The device documents (SRS, RMF, eSTAR …)
 * are not written: such software is validated for its intended use, not developed as a device.
 */
export const PRODUCTION_SOFTWARE_DOCUMENTS: readonly DocumentSpec[] = [
  { key: SVR_KEY, title: SVR_TITLE, build: softwareValidationReport },
  { key: 'GAP', title: 'Gap Report', build: gapReport },
];

/** The documents the records decide, after DOCUMENTS in the package. */
export const DOCUMENT_FAMILIES: readonly DocumentFamily[] = [
  {
    // Legacy 2005 guidance: written only for a programme that answers its questions in dossier.yaml.
    name: 'level of concern',
    keys: 'LOC (when levelOfConcern is set in dossier.yaml)',
    documents: (context) =>
      context.analysis.project.config.levelOfConcern
        ? [{ key: 'LOC', title: 'Level of Concern Statement', build: levelOfConcernStatement }]
        : [],
  },
  {
    // Cybersecurity: written only for a project with security records (threat model, risks, controls, tests).
    name: 'security risk management',
    keys: `${SRMR_KEY} (when the project has security records)`,
    documents: (context) =>
      hasSecurityRecords(context)
        ? [{ key: SRMR_KEY, title: SRMR_TITLE, build: securityRiskManagementReport }]
        : [],
  },
  {
    name: 'plans',
    keys: `${PLAN_TYPE_SPECS.map((s) => s.documentKey).join(', ')} (one per plan record)`,
    documents: (context) =>
      planDocuments(context).map((d) => ({
        key: d.key,
        title: d.title,
        build: (c: DocumentContext) => planDocument(c, d),
      })),
  },
];

const packages = new WeakMap<DocumentContext, readonly PackageDocument[]>();

/**
 * The package of one context: DOCUMENTS, then the families' documents, each built once on first
 * use (the same model for the stage, the CLI and the documents that list others). Keys are unique:
 * a family key that a document of every project already uses is an error, not a silent overwrite.
 */
export function documentsFor(context: DocumentContext): readonly PackageDocument[] {
  let pkg = packages.get(context);
  if (!pkg) {
    const specs = isProductionSoftware(context.analysis.project.config)
      ? PRODUCTION_SOFTWARE_DOCUMENTS
      : [...DOCUMENTS, ...DOCUMENT_FAMILIES.flatMap((f) => f.documents(context))];
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.key)) throw new Error(`two documents of the package have the key ${s.key}`);
      seen.add(s.key);
    }
    pkg = specs.map((spec) => packageDocument(spec, context));
    packages.set(context, pkg);
  }
  return pkg;
}

function packageDocument(spec: DocumentSpec, context: DocumentContext): PackageDocument {
  let state: 'new' | 'building' | DocumentModel = 'new';
  return {
    key: spec.key,
    title: spec.title,
    model: () => {
      if (state === 'building') throw new Error(`document ${spec.key} needs itself to be built`);
      if (state === 'new') {
        state = 'building';
        try {
          state = spec.build(context);
        } catch (error) {
          state = 'new';
          throw error;
        }
      }
      return state;
    },
  };
}

/** The document keys for help texts: every project's, and the families'. */
export function documentKeysHelp(): string {
  return [...DOCUMENTS.map((d) => d.key), ...DOCUMENT_FAMILIES.map((f) => f.keys)].join(', ');
}

export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
