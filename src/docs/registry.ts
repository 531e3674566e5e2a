/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 */
import type { DocumentContext } from './context.js';
import type { DocumentModel } from './model.js';
import { riskManagementFile } from './rmf.js';
import { softwareRequirementsSpecification } from './srs.js';
import { traceabilityMatrices } from './traceability.js';

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
  { key: 'RMF', title: 'Risk Management File (software)', build: riskManagementFile },
  { key: 'TRACE', title: 'Traceability Matrices', build: traceabilityMatrices },
];

/** Formats written today; html, docx and pdf are planned (docs/documents.md). */
export const DOCUMENT_FORMATS = ['md'] as const;
export const PLANNED_DOCUMENT_FORMATS = ['html', 'docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
