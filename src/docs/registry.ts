/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 */
import type { DocumentContext } from './context.js';
import type { DocumentModel } from './model.js';
import { SAD_KEY, SAD_TITLE, softwareArchitectureDescription } from './sad.js';
import { SDS_KEY, SDS_TITLE, softwareDesignSpecification } from './sds.js';
import { softwareRequirementsSpecification } from './srs.js';

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
  { key: SAD_KEY, title: SAD_TITLE, build: softwareArchitectureDescription },
  { key: SDS_KEY, title: SDS_TITLE, build: softwareDesignSpecification },
];

/** Formats written today; html, docx and pdf are planned (docs/documents.md). */
export const DOCUMENT_FORMATS = ['md'] as const;
export const PLANNED_DOCUMENT_FORMATS = ['html', 'docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
