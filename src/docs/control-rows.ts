/**
 * The document control block as label/value rows, the same in every format (Markdown, HTML, DOCX,
 * PDF): what is not set says where to set it instead of being left blank.
 */
import type { DocumentModel } from './model.js';

export function controlRows(doc: DocumentModel): [string, string][] {
  const c = doc.control;
  return [
    ['Document', `${doc.key}: ${doc.title}`],
    ['Document number', c.number ?? `not assigned (documents.${doc.key}.number in dossier.yaml)`],
    ['Author', c.author ?? `not named (documents.${doc.key}.author in dossier.yaml)`],
    ['Revision', c.revision],
    ['Baseline', c.baseline],
    ['Date', c.date],
    ['Status', c.status],
    ['Records included', String(doc.records.length)],
    ['Content hash (sha256)', c.contentHash],
  ];
}
