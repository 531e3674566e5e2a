/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 */
import type { DocumentContext } from './context.js';
import { declarationOfConformity } from './declaration-of-conformity.js';
import { documentationLevelEvaluation } from './documentation-level.js';
import { levelOfConcernStatement } from './level-of-concern.js';
import type { DocumentModel } from './model.js';
import { riskManagementFile } from './rmf.js';
import { sbomSummary } from './sbom.js';
import { softwareDescription } from './software-description.js';
import { soupList } from './soup-list.js';
import { softwareRequirementsSpecification } from './srs.js';
import { traceabilityMatrices } from './traceability.js';

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
  { key: 'SOUP', title: 'SOUP List', build: soupList },
  { key: 'SBOM', title: 'SBOM and Vulnerability Assessment Summary', build: sbomSummary },
  { key: 'DLE', title: 'Documentation Level Evaluation', build: documentationLevelEvaluation },
  { key: 'DESCRIPTION', title: 'Software Description', build: softwareDescription },
  { key: 'LOC', title: 'Level of Concern Statement', build: levelOfConcernStatement },
  { key: 'DOC', title: 'Declaration of Conformity to IEC 62304 (draft)', build: declarationOfConformity },
  { key: 'RMF', title: 'Risk Management File (software)', build: riskManagementFile },
  { key: 'TRACE', title: 'Traceability Matrices', build: traceabilityMatrices },
];

/** The formats of the package (docs/documents.md#formats). */
export const DOCUMENT_FORMATS = ['md', 'html', 'docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
