/**
 * The documents Dossier writes, by key, and the formats it writes them in: what `dossier docs build`
 * and the build's documents stage both produce (one list, so they never differ).
 */
import type { DocumentContext } from './context.js';
import type { DocumentModel } from './model.js';
import { softwareRequirementsSpecification } from './srs.js';

export interface DocumentSpec {
  readonly key: string;
  readonly title: string;
  readonly build: (context: DocumentContext) => DocumentModel;
}

export const DOCUMENTS: readonly DocumentSpec[] = [
  { key: 'SRS', title: 'Software Requirements Specification', build: softwareRequirementsSpecification },
];

/** The formats of the package (docs/documents.md#formats). */
export const DOCUMENT_FORMATS = ['md', 'html', 'docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
