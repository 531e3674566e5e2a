/**
 * `writeReqif`: Dossier records as one ReqIF 1.2 document (the XSD namespace of ReqIF 1.0.1–1.2,
 * `http://www.omg.org/spec/ReqIF/20110401/reqif.xsd`; REQ-IF-VERSION is fixed to "1.0" by that XSD
 * for every 1.x release).
 *
 * Layout, one of each per Dossier kind (a kind is what a ReqIF tool calls a module or document):
 * - a SPEC-OBJECT-TYPE named after the kind, with the attribute definitions `ReqIF.ForeignID`
 *   (the record id), `ReqIF.Name` (title), `ReqIF.Text` (text as XHTML), `Status`, and one STRING
 *   attribute per other field any record of the kind has (field name as LONG-NAME);
 * - a SPECIFICATION named after the kind holding its records in id order (flat: Dossier records
 *   have no document outline of their own);
 * - one SPEC-RELATION-TYPE per link field (its name as LONG-NAME) and a SPEC-RELATION from each
 *   record (SOURCE) to each target it links (TARGET), as the link is written on the record.
 *
 * Field values: strings as written, numbers and booleans as text, lists of scalars joined with
 * ", ", anything else as JSON. Links to records not in the export cannot be written (a ReqIF
 * reference must resolve inside the document); each is handed to `options.onSkippedLink`.
 *
 * Deterministic: identifiers come from kinds, field names and record ids (sanitised to XML NCNames
 * with a short SHA-256 suffix when sanitising changed them), records are sorted by id, and every
 * time stamp (CREATION-TIME and each LAST-CHANGE) is `options.creationTime`, never the clock.
 *
 * Dialect `doors` (for IBM DOORS / DOORS Next import). What DOORS exports itself, and so imports
 * most reliably, is followed: `ReqIF.Name` and `ReqIF.Text` are XHTML attributes (DOORS writes
 * Object Short Text and Object Text as XHTML), each kind's SPECIFICATION starts with a heading
 * object whose `ReqIF.ChapterName` is the kind (DOORS' Object Heading) with the kind's records
 * under it, and `ReqIF.ForeignID` stays a STRING. Uncertain: DOORS classic writes ForeignID as
 * the INTEGER absolute number and assigns its own on import, and DOORS Next maps ForeignID to its
 * read-only Identifier only through an import mapping; Dossier ids are not integers, so a STRING
 * is the only faithful choice, and an importer that ignores it still gets the id in the title
 * mapping the user chooses. This has been checked against DOORS' own exports and the ReqIF
 * Implementation Guide, not against a running DOORS.
 */
import { sha256Hex } from '../../util/hash.js';
import { escapeXml } from '../../util/xml.js';
import { fieldText } from '../field-text.js';
import type { ExportRecord } from '../model.js';
import { markdownToXhtml, XHTML_NAMESPACE } from './markdown-to-xhtml.js';
import { REQIF_CHAPTER_NAME, REQIF_FOREIGN_ID, REQIF_NAME, REQIF_TEXT } from './names.js';

export const REQIF_NAMESPACE = 'http://www.omg.org/spec/ReqIF/20110401/reqif.xsd';

export type ReqifDialect = 'standard' | 'doors';

export interface SkippedLink {
  readonly from: string;
  readonly field: string;
  readonly to: string;
}

export interface WriteReqifOptions {
  /** xsd:dateTime for CREATION-TIME and every LAST-CHANGE (e.g. the release date), never the clock. */
  readonly creationTime: string;
  readonly title?: string;
  readonly dialect?: ReqifDialect;
  /** Called for each link whose target is not among the records exported. */
  readonly onSkippedLink?: (link: SkippedLink) => void;
}

export const STATUS_ATTRIBUTE = 'Status';

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DEFAULT_MAX_LENGTH = 32000;

/** An XML NCName (what xsd:ID requires) derived from `value`, stable and collision-safe. */
export function reqifIdentifier(prefix: string, value: string): string {
  const sanitized = value.replace(/[^A-Za-z0-9_.-]/g, '_');
  return sanitized === value
    ? `${prefix}-${value}`
    : `${prefix}-${sanitized}_${sha256Hex(value).slice(0, 8)}`;
}

/**
 * Text for an XML attribute value: escaped, and with tab, line feed and carriage return as
 * character references, which attribute-value normalisation would otherwise turn into spaces.
 */
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface KindLayout {
  readonly kind: string;
  readonly records: ExportRecord[];
  readonly typeId: string;
  readonly fields: readonly string[];
}

export function writeReqif(records: readonly ExportRecord[], options: WriteReqifOptions): string {
  if (!DATE_TIME.test(options.creationTime))
    throw new Error(
      `creationTime "${options.creationTime}" is not an XML date-time (YYYY-MM-DDThh:mm:ss with an optional zone)`,
    );
  const doors = options.dialect === 'doors';
  const at = escapeXml(options.creationTime);
  const ids = new Set<string>();
  for (const record of records) {
    if (ids.has(record.id)) throw new Error(`record id "${record.id}" occurs twice in the export`);
    ids.add(record.id);
  }

  const kinds = new Map<string, ExportRecord[]>();
  for (const record of [...records].sort((a, b) => byCodeUnits(a.id, b.id))) {
    const list = kinds.get(record.kind) ?? [];
    list.push(record);
    kinds.set(record.kind, list);
  }
  const layouts: KindLayout[] = [...kinds.keys()].sort(byCodeUnits).map((kind) => {
    const list = kinds.get(kind) ?? [];
    const fields = new Set<string>();
    for (const record of list)
      for (const [name, value] of Object.entries(record.fields))
        if (fieldText(value) !== undefined) fields.add(name);
    return {
      kind,
      records: list,
      typeId: reqifIdentifier('SOT', kind),
      fields: [...fields].sort(byCodeUnits),
    };
  });
  const linkFields = [...new Set(records.flatMap((record) => Object.keys(record.links)))].sort(byCodeUnits);

  const longest = Math.max(
    DEFAULT_MAX_LENGTH,
    ...records.flatMap((record) => [
      record.id.length,
      record.title.length,
      record.status.length,
      ...Object.values(record.fields).map((value) => fieldText(value)?.length ?? 0),
    ]),
  );
  const out: string[] = [];
  const line = (depth: number, text: string) => out.push(`${'  '.repeat(depth)}${text}`);
  const objectId = (record: ExportRecord) => reqifIdentifier('SO', record.id);
  // Kind and field together, hashed, so no pair of names can meet on one identifier.
  const attributeId = (layout: KindLayout, name: string) =>
    `AD-${`${layout.kind}.${name}`.replace(/[^A-Za-z0-9_.-]/g, '_')}_${sha256Hex(JSON.stringify([layout.kind, name])).slice(0, 8)}`;
  const titleIsXhtml = doors;

  line(0, '<?xml version="1.0" encoding="UTF-8"?>');
  line(0, `<REQ-IF xmlns="${REQIF_NAMESPACE}" xmlns:xhtml="${XHTML_NAMESPACE}">`);
  line(1, '<THE-HEADER>');
  line(2, '<REQ-IF-HEADER IDENTIFIER="REQ-IF-HEADER">');
  line(3, `<COMMENT>ReqIF 1.2 export of Dossier records${doors ? ' (DOORS dialect)' : ''}</COMMENT>`);
  line(3, `<CREATION-TIME>${at}</CREATION-TIME>`);
  line(3, '<REQ-IF-TOOL-ID>Dossier</REQ-IF-TOOL-ID>');
  line(3, '<REQ-IF-VERSION>1.0</REQ-IF-VERSION>');
  line(3, '<SOURCE-TOOL-ID>Dossier</SOURCE-TOOL-ID>');
  line(3, `<TITLE>${escapeXml(options.title ?? 'Dossier export')}</TITLE>`);
  line(2, '</REQ-IF-HEADER>');
  line(1, '</THE-HEADER>');
  line(1, '<CORE-CONTENT>');
  line(2, '<REQ-IF-CONTENT>');

  line(3, '<DATATYPES>');
  line(
    4,
    `<DATATYPE-DEFINITION-STRING IDENTIFIER="DT-string" LAST-CHANGE="${at}" LONG-NAME="String" MAX-LENGTH="${longest}"/>`,
  );
  line(4, `<DATATYPE-DEFINITION-XHTML IDENTIFIER="DT-xhtml" LAST-CHANGE="${at}" LONG-NAME="XHTML"/>`);
  line(3, '</DATATYPES>');

  const definition = (depth: number, kind: 'STRING' | 'XHTML', id: string, name: string) => {
    line(
      depth,
      `<ATTRIBUTE-DEFINITION-${kind} IDENTIFIER="${id}" LAST-CHANGE="${at}" LONG-NAME="${escapeAttribute(name)}">`,
    );
    line(depth + 1, '<TYPE>');
    line(
      depth + 2,
      `<DATATYPE-DEFINITION-${kind}-REF>DT-${kind === 'STRING' ? 'string' : 'xhtml'}</DATATYPE-DEFINITION-${kind}-REF>`,
    );
    line(depth + 1, '</TYPE>');
    line(depth, `</ATTRIBUTE-DEFINITION-${kind}>`);
  };

  line(3, '<SPEC-TYPES>');
  for (const layout of layouts) {
    line(
      4,
      `<SPEC-OBJECT-TYPE IDENTIFIER="${layout.typeId}" LAST-CHANGE="${at}" LONG-NAME="${escapeAttribute(layout.kind)}">`,
    );
    line(5, '<SPEC-ATTRIBUTES>');
    definition(6, 'STRING', attributeId(layout, '#id'), REQIF_FOREIGN_ID);
    definition(6, titleIsXhtml ? 'XHTML' : 'STRING', attributeId(layout, '#title'), REQIF_NAME);
    definition(6, 'XHTML', attributeId(layout, '#text'), REQIF_TEXT);
    definition(6, 'STRING', attributeId(layout, '#status'), STATUS_ATTRIBUTE);
    for (const field of layout.fields) definition(6, 'STRING', attributeId(layout, field), field);
    line(5, '</SPEC-ATTRIBUTES>');
    line(4, '</SPEC-OBJECT-TYPE>');
  }
  if (doors) {
    line(4, `<SPEC-OBJECT-TYPE IDENTIFIER="SOT-heading" LAST-CHANGE="${at}" LONG-NAME="Heading">`);
    line(5, '<SPEC-ATTRIBUTES>');
    definition(6, 'XHTML', 'ADH-chapter', REQIF_CHAPTER_NAME);
    line(5, '</SPEC-ATTRIBUTES>');
    line(4, '</SPEC-OBJECT-TYPE>');
  }
  for (const field of linkFields)
    line(
      4,
      `<SPEC-RELATION-TYPE IDENTIFIER="${reqifIdentifier('SRT', field)}" LAST-CHANGE="${at}" LONG-NAME="${escapeAttribute(field)}"/>`,
    );
  line(4, `<SPECIFICATION-TYPE IDENTIFIER="SPT-document" LAST-CHANGE="${at}" LONG-NAME="Dossier document"/>`);
  line(3, '</SPEC-TYPES>');

  const stringValue = (depth: number, id: string, value: string) => {
    line(depth, `<ATTRIBUTE-VALUE-STRING THE-VALUE="${escapeAttribute(value)}">`);
    line(
      depth + 1,
      `<DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>${id}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>`,
    );
    line(depth, '</ATTRIBUTE-VALUE-STRING>');
  };
  const xhtmlValue = (depth: number, id: string, xhtml: string) => {
    line(depth, '<ATTRIBUTE-VALUE-XHTML>');
    line(
      depth + 1,
      `<DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>${id}</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>`,
    );
    line(depth + 1, `<THE-VALUE>${xhtml}</THE-VALUE>`);
    line(depth, '</ATTRIBUTE-VALUE-XHTML>');
  };
  /** Plain text as XHTML: one escaped paragraph-less div (titles, chapter names). */
  const plainXhtml = (text: string) => `<xhtml:div>${escapeXml(text)}</xhtml:div>`;

  line(3, '<SPEC-OBJECTS>');
  for (const layout of layouts) {
    if (doors) {
      line(4, `<SPEC-OBJECT IDENTIFIER="${reqifIdentifier('SOH', layout.kind)}" LAST-CHANGE="${at}">`);
      line(5, '<VALUES>');
      xhtmlValue(6, 'ADH-chapter', plainXhtml(layout.kind));
      line(5, '</VALUES>');
      line(5, '<TYPE><SPEC-OBJECT-TYPE-REF>SOT-heading</SPEC-OBJECT-TYPE-REF></TYPE>');
      line(4, '</SPEC-OBJECT>');
    }
    for (const record of layout.records) {
      line(4, `<SPEC-OBJECT IDENTIFIER="${objectId(record)}" LAST-CHANGE="${at}">`);
      line(5, '<VALUES>');
      stringValue(6, attributeId(layout, '#id'), record.id);
      if (record.title !== '') {
        if (titleIsXhtml) xhtmlValue(6, attributeId(layout, '#title'), plainXhtml(record.title));
        else stringValue(6, attributeId(layout, '#title'), record.title);
      }
      if (record.text.trim() !== '')
        xhtmlValue(6, attributeId(layout, '#text'), markdownToXhtml(record.text));
      if (record.status !== '') stringValue(6, attributeId(layout, '#status'), record.status);
      for (const field of layout.fields) {
        const text = fieldText(record.fields[field]);
        if (text !== undefined) stringValue(6, attributeId(layout, field), text);
      }
      line(5, '</VALUES>');
      line(5, `<TYPE><SPEC-OBJECT-TYPE-REF>${layout.typeId}</SPEC-OBJECT-TYPE-REF></TYPE>`);
      line(4, '</SPEC-OBJECT>');
    }
  }
  line(3, '</SPEC-OBJECTS>');

  line(3, '<SPEC-RELATIONS>');
  const written = new Set<string>();
  for (const layout of layouts)
    for (const record of layout.records)
      for (const field of Object.keys(record.links).sort(byCodeUnits))
        for (const target of record.links[field] ?? []) {
          if (!ids.has(target)) {
            options.onSkippedLink?.({ from: record.id, field, to: target });
            continue;
          }
          const key = `${record.id}\u0000${field}\u0000${target}`;
          if (written.has(key)) continue;
          written.add(key);
          line(4, `<SPEC-RELATION IDENTIFIER="SR-${sha256Hex(key).slice(0, 16)}" LAST-CHANGE="${at}">`);
          line(5, `<SOURCE><SPEC-OBJECT-REF>${objectId(record)}</SPEC-OBJECT-REF></SOURCE>`);
          line(5, `<TARGET><SPEC-OBJECT-REF>${reqifIdentifier('SO', target)}</SPEC-OBJECT-REF></TARGET>`);
          line(
            5,
            `<TYPE><SPEC-RELATION-TYPE-REF>${reqifIdentifier('SRT', field)}</SPEC-RELATION-TYPE-REF></TYPE>`,
          );
          line(4, '</SPEC-RELATION>');
        }
  line(3, '</SPEC-RELATIONS>');

  line(3, '<SPECIFICATIONS>');
  for (const layout of layouts) {
    line(
      4,
      `<SPECIFICATION IDENTIFIER="${reqifIdentifier('SP', layout.kind)}" LAST-CHANGE="${at}" LONG-NAME="${escapeAttribute(layout.kind)}">`,
    );
    line(5, '<TYPE><SPECIFICATION-TYPE-REF>SPT-document</SPECIFICATION-TYPE-REF></TYPE>');
    if (layout.records.length > 0 || doors) {
      line(5, '<CHILDREN>');
      let depth = 6;
      if (doors) {
        line(6, `<SPEC-HIERARCHY IDENTIFIER="${reqifIdentifier('SHH', layout.kind)}" LAST-CHANGE="${at}">`);
        line(7, `<OBJECT><SPEC-OBJECT-REF>${reqifIdentifier('SOH', layout.kind)}</SPEC-OBJECT-REF></OBJECT>`);
        if (layout.records.length > 0) line(7, '<CHILDREN>');
        depth = 8;
      }
      for (const record of layout.records) {
        line(depth, `<SPEC-HIERARCHY IDENTIFIER="${reqifIdentifier('SH', record.id)}" LAST-CHANGE="${at}">`);
        line(depth + 1, `<OBJECT><SPEC-OBJECT-REF>${objectId(record)}</SPEC-OBJECT-REF></OBJECT>`);
        line(depth, '</SPEC-HIERARCHY>');
      }
      if (doors) {
        if (layout.records.length > 0) line(7, '</CHILDREN>');
        line(6, '</SPEC-HIERARCHY>');
      }
      line(5, '</CHILDREN>');
    }
    line(4, '</SPECIFICATION>');
  }
  line(3, '</SPECIFICATIONS>');
  line(2, '</REQ-IF-CONTENT>');
  line(1, '</CORE-CONTENT>');
  line(0, '</REQ-IF>');
  return `${out.join('\n')}\n`;
}
