/**
 * The neutral shape every importer reads into and every exporter writes from (issue 15).
 *
 * A reader (ReqIF, spreadsheet, sphinx-needs, Doorstop, StrictDoc, mlx.traceability,
 * OpenFastTrace, issue trackers) only turns its source files into an {@link ImportBatch}: objects
 * with their source identity, text as Markdown, every attribute it found, and relations as the
 * source wrote them. It never decides Dossier kinds, ids or link fields: the mapping
 * (src/interop/mapping.ts) does, the same way for every format, and the writer
 * (src/interop/write.ts) turns the mapped batch into records without ever overwriting what a
 * person changed since the last import.
 *
 * Nothing is dropped silently: what a reader cannot represent becomes an {@link ImportIssue}.
 */

/** Where something was read, for reports: a project-relative or user-given path, and a 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
}

/** An attribute value as the source gave it, normalised to JSON-like scalars. */
export type AttributeValue = string | number | boolean | readonly string[];

/** Approval and status information from the source tool: kept as provenance, never a Dossier approval. */
export interface SourceProvenance {
  /** The source tool's status or workflow state, as written there ("Approved", "In Review"). */
  readonly status?: string;
  readonly approvedBy?: string;
  /** YYYY-MM-DD or an ISO date-time, as the source gave it. */
  readonly approvedAt?: string;
  readonly lastChangedBy?: string;
  readonly lastChangedAt?: string;
}

export interface ImportedObject {
  /**
   * The object's identity in the source, unique within the batch: a ReqIF IDENTIFIER, a needs id,
   * a Doorstop UID, an OFT `type~name~revision`, a spreadsheet's id cell.
   */
  readonly sourceId: string;
  /**
   * The human-facing id the source shows, when different from `sourceId` (DOORS `ReqIF.ForeignID`
   * / absolute number, Polarion work item id). Mappings may take Dossier ids from it.
   */
  readonly foreignId?: string;
  /**
   * The object's type in the source (ReqIF SPEC-OBJECT-TYPE long name, needs `type`, sdoc element,
   * OFT artifact type, spreadsheet sheet name). The mapping chooses the Dossier kind from it.
   */
  readonly type: string;
  readonly title?: string;
  /** The object's main text, converted to Markdown. */
  readonly text?: string;
  /**
   * Every other attribute, under its source name (ReqIF attribute definition long name, needs
   * option, sdoc field). Values the reader used for `title`, `text` or `foreignId` are left out.
   */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** The section headings this object sits under in its document, outermost first. */
  readonly section?: readonly string[];
  /**
   * A heading / chapter object rather than a requirement (ReqIF.ChapterName, sdoc SECTION,
   * Doorstop `normative: false`). Mappings usually skip these; their titles survive in `section`.
   */
  readonly isHeading?: boolean;
  readonly provenance?: SourceProvenance;
  readonly location?: SourceLocation;
}

/**
 * A link as the source wrote it: from `sourceId` to `targetId`, typed. Direction is the source's
 * (a ReqIF SPEC-RELATION's SOURCE and TARGET, a Doorstop child's `links` to its parent, a needs
 * option on the need that carries it). The mapping says which Dossier link field a type becomes
 * and on which end it is written.
 */
export interface ImportedRelation {
  readonly sourceId: string;
  readonly targetId: string;
  /** ReqIF SPEC-RELATION-TYPE long name, needs link option, mlx relationship, OFT `Covers`/`Needs`. */
  readonly type: string;
  readonly location?: SourceLocation;
}

/** A file carried by the source (an embedded object in ReqIF XHTML, an image in a .reqifz). */
export interface ImportedAttachment {
  /** Relative, normalised, `/`-separated path; never absolute, never `..`. Text links use it. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export type ImportIssueCode =
  /** The source is not what the reader expects (malformed XML, a ReqIF without CORE-CONTENT). */
  | 'invalid-source'
  /** A relation or hierarchy entry names an object that is not in the batch. */
  | 'broken-link'
  /** A relation names something outside the files read (another ReqIF file, an external URL). */
  | 'external-link'
  /** A link option written with no target (`:fulfills:` with nothing after it). */
  | 'empty-link'
  /** A row, object or element the reader skipped, and why. */
  | 'skipped'
  /** Something the reader kept only approximately (an XHTML construct Markdown cannot hold). */
  | 'approximated'
  /** An attribute or option the mapping does not place (reported by the mapping, not by readers). */
  | 'unmapped-attribute'
  /** An id that occurs twice in one source. */
  | 'duplicate-id';

export interface ImportIssue {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: ImportIssueCode;
  readonly message: string;
  readonly location?: SourceLocation;
}

/** A document of the source (ReqIF SPECIFICATION, sdoc DOCUMENT, Doorstop document): its objects in order. */
export interface ImportedDocument {
  readonly sourceId: string;
  readonly title?: string;
  readonly objectIds: readonly string[];
}

export interface ImportBatch {
  /** The reader: `reqif`, `xlsx`, `csv`, `needs-json`, `sphinx-needs-rst`, `mlx-rst`, `sdoc`, `doorstop`, `oft`, `github`, `jira`. */
  readonly format: string;
  /** The tool that wrote the source, when it says (ReqIF SOURCE-TOOL-ID, needs.json creator). */
  readonly tool?: string;
  /** The files read, as given. */
  readonly sources: readonly string[];
  readonly objects: readonly ImportedObject[];
  readonly relations: readonly ImportedRelation[];
  readonly attachments: readonly ImportedAttachment[];
  readonly documents: readonly ImportedDocument[];
  readonly issues: readonly ImportIssue[];
}

/**
 * One Dossier record as exporters see it: links grouped by field, as written on the record
 * (downstream → upstream), text as Markdown.
 */
export interface ExportRecord {
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly status: string;
  readonly text: string;
  /** Every other field, JSON-like, links excluded. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Link field → target ids, as written on this record. */
  readonly links: Readonly<Record<string, readonly string[]>>;
}

/** An error that stops a reader: names the file (and line) and what to do. Never a stack trace. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
