/**
 * A DocumentModel as a Word document, through the `docx` library: a title page with the document
 * control table, a table of contents (a field Word fills when the file is opened), headings in
 * Word's heading styles, tables whose header row repeats on every page, a header with the document
 * number and revision, a footer with the draft status and "Page x of y", diagrams as PNG (drawn
 * from Dossier's SVG by resvg), and record text rendered from its Markdown (record-markdown.ts).
 *
 * Memory: `docx` builds every paragraph and table first and `Packer` then turns them into one
 * object tree and one string; for the 10,000-record SRS that took 1.6 GB. Here each block's docx
 * objects are made, written as XML (docx-xml.ts) and let go before the next, and `Packer` writes
 * the rest of the package (styles, numbering, headers, relationships) around that body.
 *
 * Determinism: `docx` stamps the file's properties and the zip entries with the clock; the
 * properties are written from the document's date instead, and the zip entries' times are set to
 * that date after packing (zip-dates.ts), so the same model gives the same bytes. External links
 * are named in order of use, not with docx's random ids.
 */
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  ConcreteHyperlink,
  Document,
  Footer,
  Header,
  HeadingLevel,
  type IContext,
  ImageRun,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type XmlComponent,
} from 'docx';
import { escapeXml } from '../util/xml.js';
import { controlRows, statusBanner } from './control-rows.js';
import { type AttributeValue, xmlText } from './docx-xml.js';
import { type Block, type DocumentModel, definedAnchors, type Inline } from './model.js';
import { type MdBlock, type MdInline, recordBlocks } from './record-markdown.js';
import { svgToPng } from './svg-png.js';
import { setZipDates } from './zip-dates.js';

const FONT = 'Calibri';
const MONO = 'Consolas';
const BAND = 'EEF1F4';
const LINE = 'C8CED6';
const WARN = '9A6700';
/** Usable width of an A4 page with 20/18 mm margins, in twentieths of a point. */
const PAGE_WIDTH_TWIPS = Math.round(((210 - 38) / 25.4) * 1440);

type Child = Paragraph | RowByRowTable;

const cellBorders = {
  top: { style: BorderStyle.SINGLE, size: 4, color: LINE },
  bottom: { style: BorderStyle.SINGLE, size: 4, color: LINE },
  left: { style: BorderStyle.SINGLE, size: 4, color: LINE },
  right: { style: BorderStyle.SINGLE, size: 4, color: LINE },
};

/** Word bookmark names: a letter first, then letters, digits and _ (at most 40 characters). */
function bookmarkName(id: string): string {
  return `r_${id.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 40);
}

function runs(
  parts: readonly Inline[],
  anchors: ReadonlySet<string>,
  size?: number,
): (TextRun | InternalHyperlink)[] {
  return parts.map((p) => {
    if ('text' in p) return new TextRun({ text: p.text, ...(size ? { size } : {}) });
    if ('strong' in p) return new TextRun({ text: p.strong, bold: true, ...(size ? { size } : {}) });
    if ('code' in p) return new TextRun({ text: p.code, font: MONO, ...(size ? { size } : {}) });
    if (anchors.has(p.ref))
      return new InternalHyperlink({
        anchor: bookmarkName(p.ref),
        children: [new TextRun({ text: p.ref, style: 'Hyperlink', ...(size ? { size } : {}) })],
      });
    return new TextRun({ text: p.ref, ...(size ? { size } : {}) });
  });
}

/** The relationship id of an external link (externalLinks). */
type LinkId = (href: string) => string;

function mdRuns(
  parts: readonly MdInline[],
  link: LinkId,
  style: { bold?: boolean; italics?: boolean; strike?: boolean } = {},
): (TextRun | ConcreteHyperlink)[] {
  const out: (TextRun | ConcreteHyperlink)[] = [];
  for (const p of parts) {
    switch (p.t) {
      case 'text':
        out.push(new TextRun({ text: p.text, ...style }));
        break;
      case 'code':
        out.push(new TextRun({ text: p.text, font: MONO, ...style }));
        break;
      case 'break':
        out.push(new TextRun({ text: '', break: 1 }));
        break;
      case 'strong':
        out.push(...mdRuns(p.children, link, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...mdRuns(p.children, link, { ...style, italics: true }));
        break;
      case 'strike':
        out.push(...mdRuns(p.children, link, { ...style, strike: true }));
        break;
      case 'link':
        if (p.href.startsWith('#')) out.push(...mdRuns(p.children, link, style));
        else
          out.push(
            new ConcreteHyperlink(
              // A link inside a link is not Markdown; the inner runs are text.
              mdRuns(p.children, link, style).filter((r): r is TextRun => r instanceof TextRun),
              link(p.href),
            ),
          );
        break;
    }
  }
  return out;
}

function cell(children: Paragraph[], options: { header?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    children,
    borders: cellBorders,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(options.header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: BAND } } : {}),
    ...(options.width ? { width: { size: options.width, type: WidthType.DXA } } : {}),
  });
}

/**
 * A table as it is written (bodyXml): a docx Table with the table's properties and column grid but
 * no rows, and the rows, each made only when it is written. The 3,758 rows of the 10,000-record
 * SRS's index made at once took 400 MB, and the garbage collector most of the time.
 */
interface RowByRowTable {
  readonly frame: Table;
  readonly rows: Iterable<TableRow>;
}

function table<R>(
  header: readonly string[] | undefined,
  rows: readonly R[],
  cells: (row: R) => Paragraph[][],
  widths: readonly number[],
): RowByRowTable {
  const total = widths.reduce((a, b) => a + b, 0);
  const twips = widths.map((w) => Math.floor((w / total) * PAGE_WIDTH_TWIPS));
  function* tableRows(): Generator<TableRow> {
    if (header)
      yield new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((h, i) =>
          cell([new Paragraph({ children: [new TextRun({ text: h, bold: true, size: 18 })] })], {
            header: true,
            width: twips[i]!,
          }),
        ),
      });
    for (const row of rows) {
      const content = cells(row);
      yield new TableRow({
        cantSplit: content.length <= 6,
        children: content.map((c, i) => cell(c, { width: twips[i]! })),
      });
    }
  }
  return {
    frame: new Table({
      rows: [],
      width: { size: PAGE_WIDTH_TWIPS, type: WidthType.DXA },
      columnWidths: twips,
    }),
    rows: tableRows(),
  };
}

/** Each ordered list is its own numbering instance, so that it starts again at 1. */
interface ListCounter {
  next: number;
}

/** What the blocks of one document share while they are rendered. */
interface BodyContext {
  /** The record ids the document defines: a reference to one is a link to its heading. */
  readonly anchors: ReadonlySet<string>;
  readonly lists: ListCounter;
  readonly link: LinkId;
}

function mdBlocks(blocks: readonly MdBlock[], ctx: BodyContext, depth = 0): Child[] {
  const out: Child[] = [];
  for (const b of blocks) {
    switch (b.t) {
      case 'paragraph':
        out.push(new Paragraph({ children: mdRuns(b.inlines, ctx.link), indent: { left: depth * 360 } }));
        break;
      case 'heading':
        out.push(
          new Paragraph({
            children: mdRuns(b.inlines, ctx.link, { bold: true }),
            keepNext: true,
            spacing: { before: 160 },
            indent: { left: depth * 360 },
          }),
        );
        break;
      case 'list': {
        const instance = b.ordered ? ctx.lists.next++ : 0;
        for (const item of b.items)
          item.forEach((inner, k) => {
            if (inner.t === 'paragraph' && k === 0)
              out.push(
                new Paragraph({
                  children: mdRuns(inner.inlines, ctx.link),
                  numbering: {
                    reference: b.ordered ? 'ordered' : 'bullets',
                    level: Math.min(depth, 8),
                    ...(b.ordered ? { instance } : {}),
                  },
                }),
              );
            else out.push(...mdBlocks([inner], ctx, depth + 1));
          });
        break;
      }
      case 'code':
        for (const line of b.text.split('\n'))
          out.push(
            new Paragraph({
              children: [new TextRun({ text: line === '' ? ' ' : line, font: MONO, size: 17 })],
              shading: { type: ShadingType.CLEAR, color: 'auto', fill: BAND },
              spacing: { before: 0, after: 0 },
              indent: { left: depth * 360 },
            }),
          );
        out.push(new Paragraph({ children: [] }));
        break;
      case 'quote':
        out.push(...mdBlocks(b.blocks, ctx, depth + 1));
        break;
      case 'table':
        out.push(
          table(
            b.header.map((h) => h.map((p) => ('text' in p ? p.text : '')).join('')),
            b.rows,
            (r) => r.map((c) => [new Paragraph({ children: mdRuns(c, ctx.link) })]),
            b.header.map(() => 1),
          ),
        );
        out.push(new Paragraph({ children: [] }));
        break;
      case 'rule':
        out.push(
          new Paragraph({
            children: [],
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: LINE } },
          }),
        );
        break;
    }
  }
  return out;
}

/** The document's pages block by block, each made only when the one before has been written. */
function* pages(doc: DocumentModel, link: LinkId): Generator<Child> {
  yield* titlePage(doc);
  const ctx: BodyContext = { anchors: definedAnchors(doc), lists: { next: 1 }, link };
  let contents = 0;
  for (const block of doc.blocks) {
    const bookmark =
      block.kind !== 'heading'
        ? undefined
        : block.anchor
          ? bookmarkName(block.anchor)
          : block.level <= 2
            ? `toc_${++contents}`
            : undefined;
    yield* renderBlock(block, ctx, bookmark);
  }
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

function renderBlock(block: Block, ctx: BodyContext, bookmark?: string): Child[] {
  const { anchors } = ctx;
  switch (block.kind) {
    case 'heading':
      return [
        new Paragraph({
          heading: HEADINGS[block.level - 1]!,
          children: bookmark
            ? [new Bookmark({ id: bookmark, children: [new TextRun(block.text)] })]
            : [new TextRun(block.text)],
        }),
      ];
    case 'paragraph':
      return [new Paragraph({ children: runs(block.inlines, anchors) })];
    case 'record-text':
      return [...mdBlocks(recordBlocks(block.markdown), ctx), new Paragraph({ children: [] })];
    case 'fields':
      return [
        table(
          undefined,
          block.rows,
          ([label, value]) => [
            [new Paragraph({ children: [new TextRun({ text: label, bold: true, size: 18 })] })],
            [new Paragraph({ children: runs(value, anchors, 18) })],
          ],
          [32, 68],
        ),
        new Paragraph({ children: [] }),
      ];
    case 'table':
      return [
        table(
          block.columns.map((c) => c.title),
          block.rows,
          (row) => row.map((c) => [new Paragraph({ children: runs(c, anchors, 18) })]),
          block.columns.map((c) => c.width ?? 1),
        ),
        new Paragraph({ children: [] }),
      ];
    case 'list':
      return block.items.map(
        (item) =>
          new Paragraph({ children: runs(item, anchors), numbering: { reference: 'bullets', level: 0 } }),
      );
    case 'diagram': {
      const png = svgToPng(block.svg, 1600);
      // At most the page's width (about 640 px at 96 dpi) and height (about 900 px): a tall
      // architecture diagram is scaled to the page instead of running off it.
      const scale = Math.min(620 / png.width, 880 / png.height);
      const width = Math.round(png.width * scale);
      const height = Math.round(png.height * scale);
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new ImageRun({
              type: 'png',
              data: png.data,
              transformation: { width, height },
              altText: { name: block.name, title: block.caption, description: block.caption },
            }),
          ],
        }),
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ text: block.caption, italics: true, size: 18 })],
        }),
      ];
    }
    case 'not-recorded':
      return [
        new Paragraph({
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FFF5F5' },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'CF222E', space: 4 } },
          children: [
            new TextRun({ text: 'Not recorded: ', bold: true }),
            new TextRun(`${block.what}${block.clause ? ` (${block.clause})` : ''}`),
          ],
        }),
      ];
  }
}

/** Level 1 and 2 headings, each with the bookmark its heading carries. */
function contentsEntries(doc: DocumentModel): { text: string; level: number; bookmark: string }[] {
  let n = 0;
  return doc.blocks.flatMap((b) =>
    b.kind === 'heading' && b.level <= 2 && !b.anchor
      ? [{ text: b.text, level: b.level, bookmark: `toc_${++n}` }]
      : [],
  );
}

function titlePage(doc: DocumentModel): Child[] {
  return [
    new Paragraph({ children: [], spacing: { before: 2400 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(doc.title)] }),
    new Paragraph({ children: [new TextRun({ text: doc.device, size: 28 })] }),
    new Paragraph({
      children: [new TextRun({ text: doc.manufacturer, size: 22, color: '59636E' })],
      spacing: { after: 480 },
    }),
    table(
      undefined,
      controlRows(doc),
      ([label, value]) => [
        [new Paragraph({ children: [new TextRun({ text: label, bold: true, size: 18 })] })],
        [new Paragraph({ children: [new TextRun({ text: value, size: 18 })] })],
      ],
      [36, 64],
    ),
    new Paragraph({ children: [], spacing: { after: 240 } }),
    new Paragraph({
      border: {
        top: { style: BorderStyle.SINGLE, size: 12, color: WARN, space: 4 },
        bottom: { style: BorderStyle.SINGLE, size: 12, color: WARN, space: 4 },
        left: { style: BorderStyle.SINGLE, size: 12, color: WARN, space: 4 },
        right: { style: BorderStyle.SINGLE, size: 12, color: WARN, space: 4 },
      },
      children: [
        new TextRun({
          text: statusBanner(doc),
          bold: true,
          color: doc.control.status === 'controlled' ? '1A7F37' : WARN,
        }),
      ],
    }),
    new Paragraph({ children: [new PageBreak()] }),
    // A list of links to the headings, not Word's TOC field: a field shows its code in LibreOffice
    // and is empty until Word recomputes it; the headings are also in Word's navigation pane.
    new Paragraph({
      children: [new TextRun({ text: 'Contents', bold: true, size: 30 })],
      spacing: { after: 160 },
    }),
    ...contentsEntries(doc).map(
      (h) =>
        new Paragraph({
          indent: { left: (h.level - 1) * 360 },
          spacing: { after: 40 },
          children: [
            new InternalHyperlink({
              anchor: h.bookmark,
              children: [new TextRun({ text: h.text, style: 'Hyperlink' })],
            }),
          ],
        }),
    ),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

/** The file's core properties, dated by the document (docx would write the clock). */
function coreXml(doc: DocumentModel): string {
  const when = `${doc.control.date}T00:00:00Z`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(doc.title)}</dc:title><dc:subject>${escapeXml(doc.device)}</dc:subject><dc:creator>${escapeXml(doc.control.author ?? doc.manufacturer)}</dc:creator><cp:keywords>${escapeXml(`${doc.key} ${doc.control.revision}`)}</cp:keywords><cp:lastModifiedBy>Dossier</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`;
}

export interface DocxOptions {
  /** A project's styles (word/styles.xml of its reference.docx, templates.ts), instead of ours. */
  readonly styles?: string;
}

export async function renderDocx(doc: DocumentModel, options: DocxOptions = {}): Promise<Uint8Array> {
  const c = doc.control;
  const headerText = `${doc.title}\t${c.number ?? 'no document number'}\tRevision ${c.revision}`;
  const file = new Document({
    creator: c.author ?? doc.manufacturer,
    title: doc.title,
    description: `${doc.key} ${c.revision}`,
    // docx then takes every style from the project's document (and ignores `styles` below).
    ...(options.styles !== undefined ? { externalStyles: options.styles } : {}),
    styles: {
      default: { document: { run: { font: FONT, size: 20 } } },
      paragraphStyles: [
        {
          id: 'Heading1',
          name: 'Heading 1',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 30, bold: true, color: '1B1F24' },
          paragraph: { spacing: { before: 360, after: 120 }, keepNext: true },
        },
        {
          id: 'Heading2',
          name: 'Heading 2',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 25, bold: true, color: '1B1F24' },
          paragraph: { spacing: { before: 280, after: 100 }, keepNext: true },
        },
        {
          id: 'Heading3',
          name: 'Heading 3',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 21, bold: true, color: '1B1F24' },
          paragraph: { spacing: { before: 220, after: 80 }, keepNext: true },
        },
        {
          id: 'Title',
          name: 'Title',
          basedOn: 'Normal',
          next: 'Normal',
          run: { size: 48, bold: true },
          paragraph: { spacing: { after: 200 } },
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level % 2 === 0 ? '•' : '◦',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 260 } } },
          })),
        },
        {
          reference: 'ordered',
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 300 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1360, bottom: 1250, left: 1134, right: 1020, header: 600, footer: 600 },
          },
          titlePage: true,
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                tabStops: [
                  { type: TabStopType.CENTER, position: Math.round(PAGE_WIDTH_TWIPS / 2) },
                  { type: TabStopType.RIGHT, position: PAGE_WIDTH_TWIPS },
                ],
                border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: LINE, space: 2 } },
                children: [new TextRun({ text: headerText, size: 16, color: '59636E' })],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({ children: [] })] }),
        },
        footers: {
          default: footer(c.status),
          first: footer(c.status),
        },
        // The body is written block by block (bodyXml), not handed to docx as children.
        children: [],
      },
    ],
  });
  const documentXml = wrapBody(file, bodyXml(file, doc));
  const packed = await Packer.toBuffer(file, false, [
    { path: 'word/document.xml', data: documentXml },
    { path: 'docProps/core.xml', data: coreXml(doc) },
  ]);
  return setZipDates(new Uint8Array(packed), new Date(`${c.date}T00:00:00Z`));
}

/** How docx prepares a part of `file`'s main document for writing. */
function documentContext(file: Document): IContext {
  return { file, viewWrapper: file.Document, stack: [] };
}

/**
 * The body's XML, one string per paragraph or table row, each written as soon as it is made.
 * Preparing it against `file` registers what it uses there, as docx's packer would: the numbering
 * instances of its lists (numbering.xml), its images (word/media), its external links.
 */
function bodyXml(file: Document, doc: DocumentModel): string[] {
  const context = documentContext(file);
  const value = placeholderValues(file);
  const numberBookmarks = bookmarkNumbering();
  const write = (component: XmlComponent): string =>
    numberBookmarks(xmlText(component.prepForXml(context), value));
  const parts: string[] = [];
  for (const child of pages(doc, externalLinks(file))) {
    if (child instanceof Paragraph) {
      parts.push(write(child));
      continue;
    }
    // The frame has no rows: its end tag closes the table after the rows.
    const frame = write(child.frame);
    if (!frame.endsWith(TABLE_END)) throw new Error('docx wrote a table that does not end as a table');
    parts.push(frame.slice(0, -TABLE_END.length));
    for (const row of child.rows) parts.push(write(row));
    parts.push(TABLE_END);
  }
  return parts;
}

const TABLE_END = '</w:tbl>';

/**
 * docx gives every bookmark the id 1; ECMA-376 wants each its own (17.13.6.2), and Word can mix up
 * bookmarks that share one. Numbered per document in order; ours never nest (one per heading), so
 * each end closes the last start.
 */
function bookmarkNumbering(): (xml: string) => string {
  let count = 0;
  return (xml) =>
    xml.includes('<w:bookmark')
      ? xml.replace(
          /<w:bookmark(Start|End)((?: w:name="[^"]*")?) w:id="\d+"/g,
          (_, kind: string, name: string) =>
            `<w:bookmark${kind}${name} w:id="${kind === 'Start' ? ++count : count}"`,
        )
      : xml;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/**
 * word/document.xml: docx's document element (its namespaces, and the section properties that name
 * the header and footer parts) with the body inside. The document docx prepares has no children,
 * so its body holds only the section properties, and the body goes in before them.
 */
function wrapBody(file: Document, body: readonly string[]): string {
  const skeleton = xmlText(file.Document.View.prepForXml(documentContext(file)));
  const at = skeleton.indexOf('<w:body>');
  if (at < 0) throw new Error('docx wrote a document without a body');
  const start = at + '<w:body>'.length;
  return [XML_DECLARATION, skeleton.slice(0, start), ...body, skeleton.slice(start)].join('');
}

const HYPERLINK = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';
const IMAGE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';

/**
 * External links as relationships of the main document, one per address, named in order of first
 * use: docx's ExternalHyperlink names each with a random id, so each rendering was a different file.
 */
function externalLinks(file: Document): LinkId {
  const ids = new Map<string, string>();
  return (href) => {
    let id = ids.get(href);
    if (id === undefined) {
      id = `Link${ids.size + 1}`;
      ids.set(href, id);
      file.Document.Relationships.addRelationship(id, HYPERLINK, href, 'External');
    }
    return id;
  };
}

/**
 * docx leaves placeholders in attribute values that its packer fills in for the body it writes: a
 * list's numbering instance (`w:numId w:val="{ordered-3}"`, its numId in numbering.xml) and an
 * image (`r:embed="rId{<sha1>.png}"`, the image's relationship). The body written here fills them
 * in the same way, at the time it is written (the instance or image is registered by then).
 */
function placeholderValues(file: Document): AttributeValue {
  const numIds = new Map<string, string>();
  const images = new Map<string, string>();
  const numId = (key: string): string | undefined => {
    if (!numIds.has(key))
      for (const n of file.Numbering.ConcreteNumbering)
        numIds.set(`${n.reference}-${n.instance}`, String(n.numId));
    return numIds.get(key);
  };
  const image = (key: string): string | undefined => {
    if (!images.has(key) && file.Media.Array.some((m) => m.fileName === key)) {
      // Numbered after the relationships so far, as docx numbers them: the next one (the font
      // table's, added when packing) comes after it.
      const id = file.Document.Relationships.RelationshipCount + 1;
      images.set(key, String(id));
      file.Document.Relationships.addRelationship(id, IMAGE, `media/${key}`);
    }
    return images.get(key);
  };
  return (value) =>
    value.includes('{')
      ? value.replace(/\{([^{}]+)\}/g, (whole, key: string) => numId(key) ?? image(key) ?? whole)
      : value;
}

function footer(status: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: PAGE_WIDTH_TWIPS }],
        children: [
          new TextRun({ text: status.toUpperCase(), bold: true, color: WARN, size: 16 }),
          new TextRun({ text: '\tPage ', size: 16 }),
          new TextRun({ children: [PageNumber.CURRENT], size: 16 }),
          new TextRun({ text: ' of ', size: 16 }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 16 }),
        ],
      }),
    ],
  });
}
