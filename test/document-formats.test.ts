/**
 * The package's formats (docs/documents.md#formats): HTML, DOCX and PDF rendered from the same
 * document model as the Markdown, with record text rendered faithfully and nothing a person wrote
 * read as markup in any format, and the same bytes for the same model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import {
  Bookmark,
  BorderStyle,
  Document,
  HeadingLevel,
  InternalHyperlink,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it, vi } from 'vitest';
import yauzl from 'yauzl';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { xmlText } from '../src/docs/docx-xml.js';
import { packageFiles } from '../src/docs/files.js';
import type { DocumentModel } from '../src/docs/model.js';
import { pdfPartData, pdfRenderData, withTargets } from '../src/docs/pdf-data.js';
import { splitIntoParts } from '../src/docs/pdf-parts.js';
import { DOCUMENT_FORMATS, documentsFor } from '../src/docs/registry.js';
import { renderDocx } from '../src/docs/render-docx.js';
import { packageLinks, renderHtml } from '../src/docs/render-html.js';
import { renderPdf } from '../src/docs/render-pdf.js';
import { setZipDates } from '../src/docs/zip-dates.js';
import { loadProject } from '../src/load/project.js';
import { buildDocument, hasPdftotext, pdfText } from './document-helpers.js';
import { EXAMPLE, REPO, runCli, starterProject } from './helpers.js';

const SRS1 = 'records/software/SRS-001.md';
/** The example's SRS, built once for the tests that only read it. */
let exampleSrs: ReturnType<typeof buildDocument>['doc'] | undefined;
const exampleDoc = () => {
  exampleSrs ??= buildDocument(EXAMPLE, 'SRS').doc;
  return exampleSrs;
};
const HOSTILE_TITLE = '<script>alert(1)</script> #set page(width: 1cm) $x$ @ref *b* _i_ ]]> | `t` \\ end';
const RECORD_TEXT = [
  '# A heading in the text',
  '',
  'Plain **bold** and *emphasis* and `a <b> code` with a [safe link](https://example.org/spec) and a [bad one](javascript:alert(1)).',
  '',
  '- first item',
  '- second item',
  '',
  '1. step one',
  '2. step two',
  '',
  '| Limit | Value |',
  '| --- | --- |',
  '| rate | 1200 mL/h |',
  '',
  '```',
  'if (rate > max) alarm();',
  '```',
  '',
  'Raw <img src=x onerror=alert(1)> stays text.',
  '',
].join('\n');

function hostileProject(): string {
  const text = fs
    .readFileSync(path.join(starterProject(), SRS1), 'utf8')
    .replace(/^title: .*$/m, `title: ${JSON.stringify(HOSTILE_TITLE)}`)
    .replace(/\n---\n[\s\S]*$/, `\n---\n${RECORD_TEXT}`);
  return starterProject({ [SRS1]: text });
}

/** The text of a zip entry (yauzl: the zip reader Dossier already depends on). */
function zipEntry(bytes: Uint8Array, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const parts: Buffer[] = [];
          stream.on('data', (d: Buffer) => parts.push(d));
          stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in the archive`)));
      zip.readEntry();
    });
  });
}

/** The words of a DOCX body, as Word shows them (the text of its w:t elements). */
function docxText(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1]!)
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('HTML', () => {
  it('shows every title and record text as text, with no script able to run', () => {
    const { doc } = buildDocument(hostileProject(), 'SRS');
    const html = renderHtml(doc);
    // The only tags are the page's own: no script, no img, no event handler from the record.
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; #set page(width: 1cm) $x$ @ref *b* _i_ ]]&gt;',
    );
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    // The record's Markdown is rendered: emphasis, list, ordered list, table, code, the safe link.
    expect(html).toContain('<strong>bold</strong> and <em>emphasis</em> and <code>a &lt;b&gt; code</code>');
    expect(html).toMatch(/<ul>\s*<li>first item<\/li>/);
    expect(html).toMatch(/<ol>\s*<li>step one<\/li>/);
    expect(html).toMatch(/<th>Limit<\/th>/);
    expect(html).toContain('<pre><code>if (rate &gt; max) alarm();');
    expect(html).toContain('<a href="https://example.org/spec" rel="noopener noreferrer">safe link</a>');
    expect(html).toContain('and a [bad one](javascript:alert(1)).'); // not a link: shown as written
    expect(html).toContain('Raw &lt;img src=x onerror=alert(1)&gt; stays text.');
    // Headings in the record text sit below the record's own heading.
    expect(html).toContain('<h5>A heading in the text</h5>');
  });

  it('links a record id to the document that defines it, across the package', () => {
    const srs = exampleDoc();
    const other = {
      ...srs,
      key: 'OTHER',
      blocks: [{ kind: 'paragraph' as const, inlines: [{ ref: 'SRS-001' }, { ref: 'NOPE-1' }] }],
    };
    const links = packageLinks([srs, other]);
    const html = renderHtml(other, links);
    expect(html).toContain('<a class="ref" href="SRS.html#SRS-001">SRS-001</a>');
    expect(html).toContain('NOPE-1'); // no document defines it: text, not a dead link
    expect(html).not.toContain('#NOPE-1');
    // Within the SRS a requirement links to its own section.
    expect(renderHtml(srs, links)).toContain('<a class="ref" href="#SRS-001">SRS-001</a>');
  });
});

describe('DOCX', () => {
  it('holds the control table, the text as written and the record Markdown as Word structures', async () => {
    const { doc } = buildDocument(hostileProject(), 'SRS');
    const bytes = await renderDocx(doc);
    const xml = await zipEntry(bytes, 'word/document.xml');
    const text = docxText(xml);
    expect(text).toContain(`SRS-001 ${HOSTILE_TITLE}`);
    expect(text).toContain(doc.control.revision);
    expect(text).toContain('Uncontrolled draft.');
    // Markdown: bold and italic runs, list numbering, a table, code in a fixed-width font.
    expect(xml).toMatch(/<w:b\/>[\s\S]{0,200}?<w:t[^>]*>bold<\/w:t>/);
    expect(xml).toMatch(/<w:i\/>[\s\S]{0,200}?<w:t[^>]*>emphasis<\/w:t>/);
    expect(xml).toMatch(/<w:numPr>[\s\S]{0,200}?<\/w:numPr>[\s\S]{0,400}?first item/);
    expect(xml).toMatch(/Consolas[\s\S]{0,300}?if \(rate &gt; max\) alarm\(\);/);
    expect(text).toContain('Raw <img src=x onerror=alert(1)> stays text.');
    // The safe link is a hyperlink relationship; the javascript: one is not.
    const rels = await zipEntry(bytes, 'word/_rels/document.xml.rels');
    expect(rels).toContain('Target="https://example.org/spec"');
    expect(rels).not.toContain('javascript:');
    // Header rows of tables repeat on every page.
    expect(xml).toContain('<w:tblHeader/>');
    // The footer has the page x of y fields.
    const footers = await Promise.all(
      [1, 2, 3, 4].map((n) => zipEntry(bytes, `word/footer${n}.xml`).catch(() => '')),
    );
    expect(footers.join('')).toMatch(/PAGE[\s\S]*NUMPAGES/);
  });

  it('is the same bytes whenever it is rendered: dated by the document, not the clock', async () => {
    const doc = exampleDoc();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
      const a = await renderDocx(doc);
      vi.setSystemTime(new Date('2031-06-15T17:33:51Z'));
      const b = await renderDocx(doc);
      expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
      const core = await zipEntry(a, 'docProps/core.xml');
      expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${doc.control.date}T00:00:00Z`);
      expect(core).not.toMatch(/2030|2031/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes the body as docx itself would write it', async () => {
    // render-docx writes the body block by block (docx-xml.ts) instead of through Packer: the
    // elements it uses must come out as Packer writes them.
    const file = new Document({
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Heading & <title>')] }),
            new Paragraph({
              children: [
                new Bookmark({ id: 'r_SRS_001', children: [new TextRun({ text: 'target', bold: true })] }),
                new InternalHyperlink({
                  anchor: 'r_SRS_001',
                  children: [new TextRun({ text: 'link', style: 'Hyperlink' })],
                }),
                new TextRun({
                  text: 'x',
                  italics: true,
                  strike: true,
                  font: 'Consolas',
                  size: 17,
                  color: '9A6700',
                }),
                new TextRun({ text: '', break: 1 }),
                new PageBreak(),
              ],
              shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEF1F4' },
              indent: { left: 360 },
              spacing: { before: 160, after: 0 },
              keepNext: true,
            }),
            new Table({
              rows: [true, false].map(
                (tableHeader) =>
                  new TableRow({
                    tableHeader,
                    cantSplit: true,
                    children: [
                      new TableCell({
                        children: [
                          new Paragraph({ children: [new TextRun({ text: "'quoted'", size: 18 })] }),
                        ],
                        borders: { top: { style: BorderStyle.SINGLE, size: 4, color: 'C8CED6' } },
                        margins: { top: 40, bottom: 40, left: 80, right: 80 },
                        width: { size: 3000, type: WidthType.DXA },
                      }),
                    ],
                  }),
              ),
              width: { size: 3000, type: WidthType.DXA },
              columnWidths: [3000],
            }),
          ],
        },
      ],
    });
    const packed = await zipEntry(await Packer.toBuffer(file), 'word/document.xml');
    const ours = xmlText(file.Document.View.prepForXml({ file, viewWrapper: file.Document, stack: [] }));
    expect(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${ours}`).toBe(packed);
  });

  it('links, numbers lists and places images as docx does, the same each time, whatever the text', async () => {
    const base = buildDocument(hostileProject(), 'SRS').doc;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#c00"/></svg>';
    const doc: DocumentModel = {
      ...base,
      blocks: [
        ...base.blocks,
        { kind: 'heading', level: 2, text: 'Escape \u001b and nothing \u0000 here' },
        {
          kind: 'record-text',
          recordId: 'X',
          markdown: '1. again\n2. twice\n\n[spec](https://example.org/spec) \ufffe\n',
        },
        { kind: 'diagram', name: 'box', svg, caption: 'A box' },
      ],
    };
    const bytes = await renderDocx(doc);
    // The external link was named with a random id by docx: each rendering was another file.
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(await renderDocx(doc)))).toBe(0);
    const xml = await zipEntry(bytes, 'word/document.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(docxText(xml)).toContain('Escape \\x1b and nothing \\x00 here');
    const rels = await zipEntry(bytes, 'word/_rels/document.xml.rels');
    // One relationship for the address, used by both links to it.
    expect(rels.match(/Target="https:\/\/example.org\/spec"/g)).toHaveLength(1);
    expect(rels).toContain(
      'Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/spec" TargetMode="External"',
    );
    expect(xml.match(/<w:hyperlink w:history="1" r:id="rIdLink1">/g)).toHaveLength(2);
    // Each list's numbering instance is in numbering.xml; the two ordered lists start at 1 each.
    const numbering = await zipEntry(bytes, 'word/numbering.xml');
    const numIds = [...xml.matchAll(/<w:numId w:val="([^"]*)"\/>/g)].map((m) => m[1]!);
    expect(numIds.length).toBeGreaterThanOrEqual(6);
    for (const id of new Set(numIds)) expect(numbering).toContain(`<w:num w:numId="${id}">`);
    expect(new Set(numIds).size).toBe(3); // bullets, the record's ordered list and the added one
    // The image: its relationship names a media file the package holds.
    const embed = /r:embed="(rId\d+)"/.exec(xml)?.[1];
    const media = new RegExp(`Id="${embed}" Type="[^"]*/image" Target="(media/[0-9a-f]{40}\\.png)"`).exec(
      rels,
    )?.[1];
    expect(media).toBeDefined();
    expect((await zipEntry(bytes, `word/${media}`)).length).toBeGreaterThan(0);
    expect(xml).not.toMatch(/\{[^}]*\}"/); // no placeholder left in an attribute
  });

  it('bookmarks each heading, links the contents and references to it, and repeats table header rows', async () => {
    const xml = await zipEntry(await renderDocx(exampleDoc()), 'word/document.xml');
    expect(xml).toMatch(/<w:bookmarkStart w:name="toc_1" w:id="\d+"\/>/);
    expect(xml).toContain('<w:hyperlink w:history="1" w:anchor="toc_1">');
    expect(xml).toMatch(/<w:bookmarkStart w:name="r_SRS_001" w:id="\d+"\/>/);
    expect(xml).toContain('<w:hyperlink w:history="1" w:anchor="r_SRS_001">');
    expect(xml).toContain('<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>');
    expect(xml).toMatch(/<\/w:tbl>[\s\S]*<w:sectPr>[\s\S]*<\/w:sectPr><\/w:body><\/w:document>$/);

    // Each bookmark has its own id (ECMA-376 17.13.6.2), and each ends where it started.
    const starts = [...xml.matchAll(/<w:bookmarkStart w:name="[^"]*" w:id="(\d+)"\/>/g)].map((m) => m[1]);
    const ends = [...xml.matchAll(/<w:bookmarkEnd w:id="(\d+)"\/>/g)].map((m) => m[1]);
    expect(starts.length).toBeGreaterThan(10);
    expect(new Set(starts).size).toBe(starts.length);
    expect(ends).toEqual(starts);
  });
});

describe('zip entry dates', () => {
  it('sets every entry of an archive to the date, and refuses what is not a zip', async () => {
    const doc = exampleDoc();
    const bytes = await renderDocx(doc);
    const dated = setZipDates(Uint8Array.from(bytes), new Date('2024-02-29T13:14:16Z'));
    const times = await new Promise<Date[]>((resolve, reject) => {
      const seen: Date[] = [];
      yauzl.fromBuffer(Buffer.from(dated), { lazyEntries: true }, (error, zip) => {
        if (error || !zip) return reject(error);
        zip.on('entry', (e: yauzl.Entry) => {
          seen.push(e.getLastModDate({ timezone: 'UTC' } as never));
          zip.readEntry();
        });
        zip.on('end', () => resolve(seen));
        zip.readEntry();
      });
    });
    expect(times.length).toBeGreaterThan(5);
    for (const t of times) expect(t.toISOString()).toBe('2024-02-29T13:14:16.000Z');
    expect(() => setZipDates(new TextEncoder().encode('not a zip at all, just text'), new Date())).toThrow(
      /not a zip/,
    );
  });
});

describe.skipIf(!hasPdftotext)('PDF', () => {
  it('typesets titles and record text as text: Typst and Markdown control characters are shown as typed', async () => {
    const { doc } = buildDocument(hostileProject(), 'SRS');
    const pdf = await renderPdf(doc);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(`SRS-001 ${HOSTILE_TITLE}`.replace(/\s+/g, ' '));
    expect(text).toContain(
      'Plain bold and emphasis and a <b> code with a safe link and a [bad one](javascript:alert(1)).',
    );
    expect(text).toContain('first item');
    expect(text).toContain('1. step one');
    expect(text).toContain('if (rate > max) alarm();');
    expect(text).toContain('Raw <img src=x onerror=alert(1)> stays text.');
    expect(text).toContain('UNCONTROLLED DRAFT');
    expect(text).toMatch(/Page 3 of \d+/);
  });

  it('is the same bytes for the same document', async () => {
    const doc = exampleDoc();
    expect(Buffer.compare(Buffer.from(await renderPdf(doc)), Buffer.from(await renderPdf(doc)))).toBe(0);
  });
});

describe('the package files', () => {
  it('names each document once per format, with an index page for HTML', () => {
    const doc = exampleDoc();
    expect(packageFiles([doc], DOCUMENT_FORMATS).map((f) => f.path)).toEqual([
      'SRS.md',
      'SRS.html',
      'SRS.docx',
      'SRS.pdf',
      'index.html',
    ]);
    expect(packageFiles([doc], ['pdf']).map((f) => f.path)).toEqual(['SRS.pdf']);
  });

  it('dossier docs build writes the formats asked for and refuses unknown ones', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-formats-'));
    const r = runCli(['docs', 'build', EXAMPLE, '--only', 'SRS', '--format', 'docx,pdf', '--out', out], REPO);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['SRS.docx', 'SRS.pdf']);
    const bad = runCli(['docs', 'build', EXAMPLE, '--format', 'odt', '--out', out], REPO);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format odt: unknown; choose from md, html, docx, pdf');
  });
});

describe('project templates', () => {
  it('replace the HTML style sheet and the PDF layout, and a template that fails or a missing folder is a clear error', () => {
    const config = fs.readFileSync(path.join(starterProject(), 'dossier.yaml'), 'utf8');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-templates-'));
    const own = starterProject({
      'dossier.yaml': `${config}documentTemplates: templates\n`,
      'templates/style.css': 'body { color: rebeccapurple; } </style><script>x</script>',
      'templates/document.typ': '#let data = json(bytes(sys.inputs.data))\n= Our layout: #data.doc.title\n',
    });
    const r = runCli(['docs', 'build', own, '--only', 'SRS', '--format', 'html,pdf', '--out', out], REPO);
    expect(r.code, r.stderr).toBe(0);
    const html = fs.readFileSync(path.join(out, 'SRS.html'), 'utf8');
    expect(html).toContain('body { color: rebeccapurple; }');
    expect(html).not.toContain('</style><script>'); // a style sheet cannot close the style element
    if (hasPdftotext)
      expect(pdfText(fs.readFileSync(path.join(out, 'SRS.pdf')))).toContain(
        'Our layout: Software Requirements Specification',
      );

    const broken = starterProject({
      'dossier.yaml': `${config}documentTemplates: templates\n`,
      'templates/document.typ': '#let x = (\n',
    });
    const failed = runCli(['docs', 'build', broken, '--only', 'SRS', '--format', 'pdf', '--out', out], REPO);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('SRS.pdf could not be typeset');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const missing = starterProject({ 'dossier.yaml': `${config}documentTemplates: nowhere\n` });
    const refused = runCli(['docs', 'build', missing, '--out', out], REPO);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('documentTemplates names nowhere, which is not a folder of the project');
  });

  it('give the DOCX files the styles of a reference Word document, and refuse one that lacks the styles they use', async () => {
    const config = fs.readFileSync(path.join(starterProject(), 'dossier.yaml'), 'utf8');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-reference-'));
    const withReference = async (bytes: Uint8Array | string) => {
      const dir = starterProject({
        'dossier.yaml': `${config}documentTemplates: templates\n`,
        'templates/style.css': '',
      });
      fs.writeFileSync(path.join(dir, 'templates', 'reference.docx'), bytes);
      return runCli(['docs', 'build', dir, '--only', 'SRS', '--format', 'docx', '--out', out], REPO);
    };
    const sample = (styles?: string) =>
      Packer.toBuffer(
        new Document({
          styles: {
            paragraphStyles: [
              { id: 'Heading1', name: 'Heading 1', run: { color: 'C0FFEE', font: 'Courier New' } },
            ],
          },
          sections: [{ children: [new Paragraph('A corporate template')] }],
        }),
        false,
        styles ? [{ path: 'word/styles.xml', data: styles }] : [],
      );

    const used = await withReference(await sample());
    expect(used.code, used.stderr).toBe(0);
    const docx = fs.readFileSync(path.join(out, 'SRS.docx'));
    const styles = await zipEntry(docx, 'word/styles.xml');
    expect(styles).toMatch(/w:styleId="Heading1"[\s\S]*?C0FFEE/); // the reference's heading, not ours
    expect(styles).not.toContain('1B1F24');
    expect(await zipEntry(docx, 'word/document.xml')).toContain('<w:pStyle w:val="Heading1"/>');

    const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const partial = await withReference(
      await sample(
        `<?xml version="1.0"?><w:styles ${W}>${['Title', 'Heading1', 'Heading2'].map((id) => `<w:style w:type="paragraph" w:styleId="${id}"/>`).join('')}</w:styles>`,
      ),
    );
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('templates/reference.docx defines no Heading3 style');
    const notXml = await withReference(await sample(`<w:styles ${W}><w:style></w:styles>`));
    expect(notXml.code).toBe(2);
    expect(notXml.stderr).toContain('templates/reference.docx: its word/styles.xml does not read as XML');
    const notWord = await withReference('a text file, not a document');
    expect(notWord.code).toBe(2);
    expect(notWord.stderr).toContain('templates/reference.docx: not a Word document');
    for (const r of [partial, notXml, notWord]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);
});

describe('the data a PDF template receives', () => {
  it('follows its published JSON Schema for every document of the example and for hostile text', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(REPO, 'data/templates/document-data.schema.json'), 'utf8'),
    );
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('the example did not load');
    const context = documentContext(analyze(loaded.project, { today: '2026-12-01' }), { date: '2026-12-01' });
    const docs = [...documentsFor(context).map((d) => d.model()), buildDocument(hostileProject(), 'SRS').doc];
    expect(docs.length).toBeGreaterThan(15);
    for (const doc of docs) {
      const ok = validate(pdfRenderData(doc));
      expect(ok, `${doc.key}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
    // A long document typeset in parts: the title part with its contents, and a body part.
    const data = pdfRenderData(docs[0]!);
    const { parts, headings } = withTargets(splitIntoParts(data.doc.blocks, 40));
    expect(parts.length).toBeGreaterThan(2);
    const contents = headings.filter((h) => h.level <= 2).map((h, i) => ({ ...h, page: i + 3 }));
    const front = pdfPartData(data, [], { index: 0, count: 3, pageOffset: 0, totalPages: 9, contents });
    const body = pdfPartData(data, parts[1]!, {
      index: 2,
      count: 3,
      pageOffset: 4,
      totalPages: 9,
      contents: [],
    });
    for (const part of [front, body])
      expect(validate(part), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // A field the schema does not know is refused: the schema is a contract, not a description.
    expect(validate({ ...(pdfRenderData(docs[0]!) as object), extra: 1 })).toBe(false);
  }, 300_000);
});
