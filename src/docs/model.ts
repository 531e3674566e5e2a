/**
 * The document model (version 1): what every document of the package is made of before it is
 * rendered. A document builder (src/docs/<document>.ts) turns an analysis into a DocumentModel; a
 * renderer per format turns the model into bytes (Markdown now; HTML, DOCX and PDF read the same
 * model). Plain data, so a template or a test can read it as JSON.
 *
 * Two kinds of text, kept apart: what Dossier writes (generated: always escaped by a renderer) and
 * what people wrote in the records (record text: Markdown, rendered faithfully but never as raw
 * HTML). What the records do not say is a block of its own, never left out silently.
 */

export const DOCUMENT_MODEL_VERSION = 1;

/** Text inside a paragraph, a list item or a table cell. */
export type Inline =
  | { readonly text: string }
  /** A record id, linked to where the record is defined in the package. */
  | { readonly ref: string }
  | { readonly code: string }
  | { readonly strong: string };

export interface Column {
  readonly title: string;
  /** A hint for paged formats: how much of the width the column takes (shares of the total). */
  readonly width?: number;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly anchor?: string }
  | { readonly kind: 'paragraph'; readonly inlines: readonly Inline[] }
  /** Text a person wrote in a record: Markdown, rendered as written (raw HTML in it is shown as text). */
  | { readonly kind: 'record-text'; readonly recordId: string; readonly markdown: string }
  | { readonly kind: 'fields'; readonly rows: readonly (readonly [string, readonly Inline[]])[] }
  /** A table whose header row repeats on every page in paged formats. */
  | {
      readonly kind: 'table';
      readonly columns: readonly Column[];
      readonly rows: readonly (readonly (readonly Inline[])[])[];
    }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  /**
   * A figure Dossier drew from the records (an architecture diagram, a risk matrix): an SVG whose
   * text is escaped by whoever drew it, shown inline (HTML), as a picture (DOCX, PDF) or as a file
   * beside the Markdown. `name` is the file name stem, unique in the document.
   */
  | {
      readonly kind: 'diagram';
      readonly name: string;
      readonly svg: string;
      readonly caption: string;
    }
  /** Something the document should hold that the records do not say (fail closed: said, not skipped). */
  | { readonly kind: 'not-recorded'; readonly what: string; readonly clause?: string };

/** Document control (docs/documents.md#document-control). */
export interface DocumentControl {
  /** The document number in the quality system (`documents.<KEY>.number` in dossier.yaml), if given. */
  readonly number?: string;
  /** Who is responsible for the document (`documents.<KEY>.author`), if given. */
  readonly author?: string;
  /** The baseline the document was built from: the release version, or the configured version. */
  readonly baseline: string;
  /** `<baseline>+<8 hex digits>`: changes exactly when the content of an included record changes. */
  readonly revision: string;
  /** The sha256 of the included records' ids and fingerprints, one `id fp1:…` line each, sorted. */
  readonly contentHash: string;
  /** The date the document carries (SOURCE_DATE_EPOCH, else the commit date, else the clock). */
  readonly date: string;
  /**
   * Controlled only with a valid approval of this revision (docs/documents.md#approvals); until
   * then every page says "uncontrolled draft".
   */
  readonly status: 'controlled' | 'uncontrolled draft';
  /** Why the document is or is not controlled (shown on the document). */
  readonly statusReason: string;
  /**
   * What the "Approved by" row says while no one has approved this revision; default: how to approve
   * it with `dossier approve DOC-<KEY>`. A document approved outside Dossier says where instead.
   */
  readonly approvalHint?: string;
  /** What a document approval signs for this revision (`dossier approve DOC-<KEY>`). */
  readonly fingerprint: string;
  /** The signatures that hold for this revision, by meaning, in time order. */
  readonly signatories: readonly {
    readonly name: string;
    readonly role: string;
    readonly meaning: 'authored' | 'reviewed' | 'approved';
    readonly time: string;
  }[];
}

export interface DocumentModel {
  readonly modelVersion: typeof DOCUMENT_MODEL_VERSION;
  /** Short name, also the file name: `SRS`. */
  readonly key: string;
  readonly title: string;
  readonly device: string;
  readonly manufacturer: string;
  readonly control: DocumentControl;
  /** The records the document includes, by id (sorted): what the revision is computed from. */
  readonly records: readonly string[];
  readonly blocks: readonly Block[];
}

/** A record id usable as an anchor as written: letters, digits and . _ - (anything else is not made one). */
export const ANCHOR = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The record ids a document defines (its headings' anchors): what a reference may link to within it. */
export function definedAnchors(doc: Pick<DocumentModel, 'blocks'>): Set<string> {
  return new Set(
    doc.blocks.flatMap((b) => (b.kind === 'heading' && b.anchor && ANCHOR.test(b.anchor) ? [b.anchor] : [])),
  );
}
