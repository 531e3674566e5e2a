/**
 * The document control block as label/value rows, the same in every format (Markdown, HTML, DOCX,
 * PDF): what is not set says where to set it instead of being left blank.
 */
import type { DocumentModel } from './model.js';

const MEANING_LABEL = { authored: 'Authored by', reviewed: 'Reviewed by', approved: 'Approved by' } as const;

/** Who signed this revision, one row per meaning; "Approved by" always shows, even when no one has. */
function signatoryRows(doc: DocumentModel): [string, string][] {
  const c = doc.control;
  const rows: [string, string][] = [];
  for (const meaning of ['authored', 'reviewed', 'approved'] as const) {
    const who = c.signatories.filter((s) => s.meaning === meaning);
    if (who.length > 0)
      rows.push([
        MEANING_LABEL[meaning],
        who
          .map(
            (s) =>
              `${s.name}${s.role ? ` (${s.role})` : ''}, ${s.time.replace('T', ' ').replace('Z', ' UTC')}`,
          )
          .join('; '),
      ]);
    else if (meaning === 'approved')
      rows.push([
        MEANING_LABEL[meaning],
        c.approvalHint ?? `no approval of this revision (dossier approve DOC-${doc.key})`,
      ]);
  }
  return rows;
}

/** A controlled document is in effect from its latest approval; a draft is not in effect. */
function effectiveDate(doc: DocumentModel): string {
  const approvals = doc.control.signatories.filter((s) => s.meaning === 'approved').map((s) => s.time);
  return doc.control.status === 'controlled' && approvals.length > 0
    ? approvals.sort().at(-1)!.slice(0, 10)
    : 'not in effect (uncontrolled draft)';
}

/** The status line every page carries: the draft warning, or whose approval makes it controlled. */
export function statusBanner(doc: DocumentModel): string {
  const c = doc.control;
  return c.status === 'controlled'
    ? `Controlled document. ${c.statusReason}.`
    : `Uncontrolled draft. ${c.statusReason}.`;
}

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
    ...signatoryRows(doc),
    ['Effective date', effectiveDate(doc)],
    ['Records included', String(doc.records.length)],
    ['Content hash (sha256)', c.contentHash],
  ];
}
