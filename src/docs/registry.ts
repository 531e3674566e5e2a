/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 */

import { unresolvedSoftwareAnomalies } from './anomalies.js';
import type { DocumentContext } from './context.js';
import type { DocumentModel } from './model.js';
import { softwareRequirementsSpecification } from './srs.js';
import { softwareVerificationPlan } from './verification-plan.js';
import { softwareVerificationReport } from './verification-report.js';
import { softwareVersionHistory } from './versions.js';

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
  { key: 'VVP', title: 'Software Verification Plan', build: softwareVerificationPlan },
  { key: 'VVR', title: 'Software Verification Report', build: softwareVerificationReport },
  { key: 'ANOMALIES', title: 'Unresolved Software Anomalies', build: unresolvedSoftwareAnomalies },
  { key: 'VERSIONS', title: 'Software Version History', build: softwareVersionHistory },
];

/** Formats written today; html, docx and pdf are planned (docs/documents.md). */
export const DOCUMENT_FORMATS = ['md'] as const;
export const PLANNED_DOCUMENT_FORMATS = ['html', 'docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
