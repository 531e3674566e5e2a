/**
 * The spreadsheet reader and writers (src/interop/sheet): awkward workbooks generated here with the
 * XLSX library (title block above the header, merged cells, `_x000D_`, multi-line and rich-text
 * cells, hyperlinks, dates, formulas, rows without an id), CSV as European spreadsheets write it,
 * the real DOORS export in ../shared, and the writers: string cells only, byte-identical output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workbook } from '@cj-tech-master/excelts';
import { describe, expect, it } from 'vitest';
import { readZipEntry, zipEntries } from '../src/docs/zip-directory.js';
import { type ExportRecord, ImportError } from '../src/interop/model.js';
import { decodeExcelEscapes, markdownLines, numberText } from '../src/interop/sheet/cell-text.js';
import { type SheetColumns, sheetColumnsSchema } from '../src/interop/sheet/columns.js';
import { detectDelimiter, parseCsv } from '../src/interop/sheet/csv-parse.js';
import { guessSheetColumns } from '../src/interop/sheet/guess.js';
import { readSheet, readSheetFile } from '../src/interop/sheet/read.js';
import { writeCsv } from '../src/interop/sheet/write-csv.js';
import { writeXlsx } from '../src/interop/sheet/write-xlsx.js';
import { convertXlsxValue } from '../src/interop/sheet/xlsx-cell.js';
import { REPO } from './helpers.js';
import { writeZip } from './zip-writer.js';

const REAL = path.resolve(REPO, '../shared/data/reqif/examples/10_excel_convert_excel_to_reqif/input.xlsx');
const realPresent = fs.existsSync(REAL);
if (!realPresent) console.warn(`SKIPPED: ${REAL} is absent; the real-spreadsheet test needs ../shared`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-sheet-'));
const write = (name: string, bytes: Uint8Array | string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};

/** The awkward workbook: a title block, the header on row 8, and every cell kind that trips readers. */
async function awkwardWorkbook(): Promise<string> {
  const wb = new Workbook();
  const req = wb.addWorksheet('Software requirements');
  req.getCell('A1').value = 'Infusion pump: software requirements';
  req.mergeCells('A1:F1');
  req.getCell('A2').value = 'Document SRS-001, version 3';
  req.getCell('A4').value = 'Exported from the requirements tool';
  req.getRow(8).values = [
    'ID',
    'Title',
    'Description',
    'Section',
    'Parent',
    'Status',
    'Approved on',
    'Dose',
    'Safety',
    'Reference',
    'Total',
  ];
  req.getRow(9).values = [
    'SR-1',
    { richText: [{ text: 'Bolus ', font: { bold: true } }, { text: 'limit' }] },
    'The pump shall refuse a bolus above the limit._x000D_\nThe limit is configured.',
    'Delivery',
    'SYS-1, SYS-2',
    'Approved',
    new Date(Date.UTC(2025, 2, 4)),
    0.1 + 0.2,
    true,
    { text: 'IEC 62304', hyperlink: 'https://example.org/62304' },
    { formula: 'H9*10', result: 3 },
  ];
  req.getRow(10).values = [
    'SR-2',
    'Occlusion alarm',
    'Alarms:\n- occlusion\n- air in line',
    null,
    'SYS-1;SR-1\nSYS-9',
    'Draft',
    null,
    12,
    false,
    null,
    { formula: 'H10*10' },
  ];
  req.getRow(11).values = ['SR-3', 'Keep "=1+1" as text', '=1+1', null, null, null, null, '-5 mL'];
  req.mergeCells('D9:D12');
  req.getRow(12).values = [null, 'A row without an id'];
  req.getRow(14).values = ['SR-1', 'Duplicate of SR-1'];
  const sys = wb.addWorksheet('System');
  sys.getRow(1).values = ['ID', 'Title'];
  sys.getRow(2).values = ['SYS-1', 'Deliver insulin'];
  sys.getRow(3).values = ['SYS-2', 'Alarm on faults'];
  const notes = wb.addWorksheet('Notes');
  notes.getCell('A1').value = 'Free text, no table here';
  wb.addWorksheet('Empty');
  return write('awkward.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
}

const columns: SheetColumns = {
  id: 'ID',
  title: 'Title',
  text: 'Description',
  section: ['Section'],
  links: { Parent: 'parent' },
  provenance: { status: 'Status', approvedAt: 'Approved on' },
};

describe('cell text', () => {
  it('decodes _xHHHH_ escapes in one pass and drops the CR of a CRLF', () => {
    expect(decodeExcelEscapes('a_x000D_\nb')).toBe('a\nb');
    expect(decodeExcelEscapes('a_x000D_b')).toBe('a\nb');
    expect(decodeExcelEscapes('tab_x0009_x')).toBe('tab\tx');
    expect(decodeExcelEscapes('_x005F_x000D_')).toBe('_x000D_');
    expect(decodeExcelEscapes('not_x00G0_')).toBe('not_x00G0_');
  });
  it('shows numbers as Excel does', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(20240101001)).toBe('20240101001');
    expect(numberText(1 / 3)).toBe('0.333333333333333');
  });
  it('keeps line breaks as Markdown hard breaks, except before a block', () => {
    expect(markdownLines('a\nb')).toBe('a\\\nb');
    expect(markdownLines('a\n\nb')).toBe('a\n\nb');
    expect(markdownLines('Alarms:\n- x\n- y')).toBe('Alarms:\n- x\n- y');
  });
});

describe('XLSX cell values', () => {
  it('keeps bold and italic runs as Markdown, per line, with spaces outside the markers', () => {
    const { cell } = convertXlsxValue({
      richText: [
        { text: 'Warning: ', font: { bold: true } },
        { text: 'two\nlines', font: { italic: true } },
        { text: ' plain' },
      ],
    });
    expect(cell).toEqual({
      plain: 'Warning: two\nlines plain',
      markdown: '**Warning:** _two_\\\n_lines_ plain',
      value: 'Warning: two\nlines plain',
    });
  });
  it('reads hyperlinks, formulas, errors and date-times as a person sees them', () => {
    expect(
      convertXlsxValue({ text: { richText: [{ text: 'spec' }] }, hyperlink: 'https://x.org/a b' } as never)
        .cell,
    ).toEqual({
      plain: 'spec',
      markdown: '[spec](https://x.org/a%20b)',
      value: '[spec](https://x.org/a%20b)',
    });
    expect(convertXlsxValue({ text: 'Sheet2', hyperlink: '#Sheet2!A1' }).cell?.markdown).toBe('Sheet2');
    expect(convertXlsxValue({ formula: 'A1&B1', result: 'ab' })).toEqual({
      cell: { plain: 'ab', markdown: 'ab', value: 'ab' },
      formula: { text: 'A1&B1', cached: true },
    });
    expect(convertXlsxValue({ sharedFormula: 'A1', result: 0.1 + 0.7 }).cell?.value).toBe(0.8);
    expect(convertXlsxValue({ error: '#N/A' }).cell?.plain).toBe('#N/A');
    expect(convertXlsxValue(new Date(Date.UTC(2025, 0, 31, 14, 30))).cell?.plain).toBe('2025-01-31 14:30');
    expect(convertXlsxValue('   ').cell).toBeUndefined();
  });
});

describe('readSheet (XLSX)', () => {
  it('reads the awkward workbook: header on row 8, merged sections, rich text, links, dates, numbers', async () => {
    const file = await awkwardWorkbook();
    const batch = await readSheet([file], columns);
    expect(batch.format).toBe('xlsx');
    expect(batch.objects.map((o) => o.sourceId)).toEqual(['SR-1', 'SR-2', 'SR-3', 'SYS-1', 'SYS-2']);
    const [sr1, sr2, sr3] = batch.objects;
    expect(sr1).toMatchObject({
      type: 'Software requirements',
      title: 'Bolus limit',
      text: 'The pump shall refuse a bolus above the limit.\\\nThe limit is configured.',
      section: ['Delivery'],
      provenance: { status: 'Approved', approvedAt: '2025-03-04' },
      attributes: { Dose: 0.3, Safety: true, Reference: '[IEC 62304](https://example.org/62304)', Total: 3 },
      location: { file, line: 9 },
    });
    // The merged "Section" applies to every row of its range; the title merge of row 1 is no row.
    expect(sr2?.section).toEqual(['Delivery']);
    expect(sr2?.text).toBe('Alarms:\n- occlusion\n- air in line');
    expect(sr2?.attributes).toEqual({ Dose: 12, Safety: false });
    expect(sr3).toMatchObject({ title: 'Keep "=1+1" as text', text: '=1+1', attributes: { Dose: '-5 mL' } });
    expect(batch.objects[3]).toMatchObject({ type: 'System', title: 'Deliver insulin' });
    expect(batch.relations).toEqual([
      { sourceId: 'SR-1', targetId: 'SYS-1', type: 'parent', location: { file, line: 9 } },
      { sourceId: 'SR-1', targetId: 'SYS-2', type: 'parent', location: { file, line: 9 } },
      { sourceId: 'SR-2', targetId: 'SYS-1', type: 'parent', location: { file, line: 10 } },
      { sourceId: 'SR-2', targetId: 'SR-1', type: 'parent', location: { file, line: 10 } },
      { sourceId: 'SR-2', targetId: 'SYS-9', type: 'parent', location: { file, line: 10 } },
    ]);
    expect(batch.documents.map((d) => [d.title, d.objectIds])).toEqual([
      ['Software requirements', ['SR-1', 'SR-2', 'SR-3']],
      ['System', ['SYS-1', 'SYS-2']],
    ]);
    const issues = batch.issues.map((i) => `${i.severity} ${i.code}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^warning skipped: .*sheet "Software requirements" row 12 has no id in column "ID"; the row was skipped \(it reads Title "A row without an id"\)/,
        ),
        expect.stringMatching(
          /^error duplicate-id: .*row 14: id "SR-1" was already read at sheet "Software requirements" row 9/,
        ),
        expect.stringMatching(
          /^info approximated: .*1 formula cell\(s\) read as their last calculated value, not recalculated: K9$/,
        ),
        expect.stringMatching(
          /^warning approximated: .*1 formula cell\(s\) have no calculated value .*: K10;/,
        ),
        expect.stringMatching(
          /^info skipped: .*sheet "Notes" \(row 1 reads "Free text, no table here"\) has no column "ID" and "Title"/,
        ),
        expect.stringMatching(/^info skipped: .*sheet "Empty" is empty/),
        expect.stringMatching(/^warning broken-link: .*"SR-2" links \(parent\) to "SYS-9"/),
      ]),
    );
    expect(batch.issues.filter((i) => i.code === 'skipped' && i.severity === 'warning')).toHaveLength(1);
    expect(batch.issues.find((i) => i.code === 'skipped')?.location).toEqual({ file, line: 12 });
  });

  it('reads the sheets named, with a fixed type and an explicit header row', async () => {
    const file = await awkwardWorkbook();
    const batch = await readSheet([file], {
      ...columns,
      sheets: ['System'],
      sheetTypes: { System: 'system-requirement' },
    });
    expect(batch.objects.map((o) => [o.sourceId, o.type])).toEqual([
      ['SYS-1', 'system-requirement'],
      ['SYS-2', 'system-requirement'],
    ]);
    // Columns the mapping names that this sheet lacks are reported, not fatal.
    expect(batch.issues.some((i) => /no column "Description" \(the text column/.test(i.message))).toBe(true);
    const byIndex = await readSheet([file], { id: 'ID', headerRow: 8, sheets: [1] });
    expect(byIndex.objects).toHaveLength(3);
    expect(byIndex.objects[0]?.attributes).toMatchObject({ Title: 'Bolus limit', Parent: 'SYS-1, SYS-2' });
  });

  it('refuses bad input with the file and what to do, never a stack trace', async () => {
    const file = await awkwardWorkbook();
    const fail = async (files: string[], cols: SheetColumns) => {
      const error = await readSheet(files, cols).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      return (error as ImportError).message;
    };
    expect(await fail([file], { id: 'Req ID', title: 'Title' })).toMatch(
      /awkward\.xlsx: no column "Req ID" and "Title" in a header row of sheet "Software requirements" \(row 1 reads .*name the columns in the mapping as the header cells read/,
    );
    expect(await fail([file], { id: 'ID', sheets: ['Risks'] })).toMatch(
      /awkward\.xlsx has no sheet "Risks"; its sheets are "Software requirements", "System", "Notes", "Empty": correct "sheets"/,
    );
    expect(await fail([file], { id: 'ID', sheets: [7] })).toMatch(/has no sheet number 7/);
    expect(await fail([file], { id: 'ID', headerRow: 3, sheets: [1] })).toMatch(
      /in row 3 of .*or correct headerRow/,
    );
    const text = write('notes.xlsx', 'ID,Title\nA,B\n');
    expect(await fail([text], columns)).toMatch(/notes\.xlsx is not an XLSX workbook .*import it as csv/);
    const xls = write('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    expect(await fail([xls], columns)).toMatch(/old\.xls is an Excel 97-2003 workbook: save it as \.xlsx/);
    const broken = write('broken.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(await fail([broken], columns)).toMatch(
      /broken\.xlsx could not be read as an XLSX workbook .*save it again as \.xlsx/,
    );
    expect(await fail([path.join(dir, 'absent.xlsx')], columns)).toMatch(
      /absent\.xlsx: no such file: check the path/,
    );
  });

  it.skipIf(!realPresent)(
    'reads the real DOORS export in ../shared (inline strings with _x000D_)',
    async () => {
      const batch = await readSheet([REAL], {
        id: 'ID',
        text: 'Object Text',
        provenance: { status: 'Status' },
      });
      expect(batch.objects.map((o) => o.sourceId)).toEqual([
        '1',
        '24',
        '57',
        expect.any(String),
        expect.any(String),
        expect.any(String),
      ]);
      const first = batch.objects[0]!;
      expect(first.text).toMatch(/^1\.1\. The ADS shall be cap/);
      expect(first.provenance?.status).toBe('New');
      expect(first.type).toBe('Objects');
      const inlinks = String(first.attributes.Inlinks);
      expect(inlinks).toContain('Module Name:Modul_Ebene3\nObject Identifier:1\n');
      expect(inlinks).not.toContain('_x000D_');
      expect(batch.issues).toEqual([
        expect.objectContaining({
          code: 'skipped',
          message: expect.stringMatching(/sheet "Tabelle1" is empty/),
        }),
      ]);
    },
  );
});

describe('readSheet (CSV)', () => {
  it('reads ; -separated CSV with a BOM, a title line and quoted multi-line cells', async () => {
    const file = write(
      'requirements.csv',
      '\uFEFFSoftware requirements;;;\r\n;;;\r\nReq ID;Title;Description;Traces to\r\n' +
        'SR-1;"Bolus; limit";"First line\r\nsecond ""quoted"" line";SYS-1\r\n' +
        ';"orphan";;\r\n' +
        "SR-2;'=1+1;plain;SYS-1, SR-1\r\n;;;\r\n",
    );
    const batch = await readSheet([file], {
      id: 'Req ID',
      title: 'Title',
      text: 'Description',
      links: { 'Traces to': 'traces' },
    });
    expect(batch.format).toBe('csv');
    expect(batch.objects).toEqual([
      expect.objectContaining({
        sourceId: 'SR-1',
        type: 'requirements',
        title: 'Bolus; limit',
        text: 'First line\\\nsecond "quoted" line',
        location: { file, line: 4 },
      }),
      expect.objectContaining({
        sourceId: 'SR-2',
        title: '=1+1',
        text: 'plain',
        location: { file, line: 7 },
      }),
    ]);
    expect(batch.relations.map((r) => `${r.sourceId}>${r.targetId}`)).toEqual([
      'SR-1>SYS-1',
      'SR-2>SYS-1',
      'SR-2>SR-1',
    ]);
    expect(batch.issues.filter((i) => i.code === 'skipped')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/requirements\.csv: sheet "requirements" line 6 has no id/),
        location: { file, line: 6 },
      }),
    ]);
  });

  it('refuses a workbook that is a zip bomb before the workbook library inflates it', async () => {
    // 20 MB of one letter deflates to about 20 KB: a ratio of 1,000, over the limit of 200.
    const bomb = write(
      'bomb.xlsx',
      writeZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x41), method: 'deflate' },
      ]),
    );
    const error = await readSheet([bomb], { id: 'ID' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(/bomb\.xlsx: refused as a possible zip bomb: .*ratio/);
  });

  it('refuses a workbook whose XML declares entities (XXE), naming the file', async () => {
    const clean = await writeXlsx(
      [
        {
          id: 'SR-1',
          kind: 'software-requirement',
          title: 'T',
          status: 'draft',
          text: '',
          fields: {},
          links: {},
        },
      ],
      { created: '2026-01-01T00:00:00Z' },
    );
    const entries = zipEntries(clean).map((e) => {
      let data = Buffer.from(readZipEntry(clean, e.name)!);
      if (e.name === 'xl/sharedStrings.xml') {
        data = Buffer.from(
          data
            .toString('utf8')
            .replace('?>', '?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
            .replace('<t>SR-1</t>', '<t>&xxe;SR-1</t>'),
        );
        expect(data.toString('utf8')).toContain('&xxe;');
      }
      return { name: e.name, data, method: 'deflate' as const };
    });
    const file = write('xxe.xlsx', writeZip(entries));
    const error = await readSheet([file], { id: 'id' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(/xxe\.xlsx.*undefined entity: xxe/);
  });

  it('parses quotes, embedded line breaks and delimiters by the book', () => {
    expect(parseCsv('a,"b,c","d\n""e"""\r\nx,,z').rows).toEqual([
      ['a', 'b,c', 'd\n"e"'],
      ['x', '', 'z'],
    ]);
    expect(parseCsv('a;b\n1;2\n').lines).toEqual([1, 2]);
    expect(detectDelimiter('Title\nA;B;C\n1;2,5;3')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(() => parseCsv('a,"open\nb')).toThrow(/opened on line 1 is never closed/);
  });

  it('refuses an XLSX workbook given as CSV', async () => {
    const file = write('really.csv', await writeXlsx(records, { created: '2026-01-01' }));
    await expect(readSheet([file], { id: 'id' })).rejects.toThrow(
      /really\.csv is a zip archive \(an XLSX workbook\?\), not CSV text: import it as xlsx/,
    );
  });

  it('names the line of an unclosed quote', async () => {
    const file = write('bad.csv', 'ID,Title\nA,"never closed\n');
    await expect(readSheet([file], { id: 'ID' })).rejects.toThrow(
      /bad\.csv:2: a quoted cell opened on line 2 is never closed: check the quotes/,
    );
  });
});

describe('guessSheetColumns', () => {
  it('proposes a mapping from header names and explains each choice', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('Reqs');
    ws.getCell('A1').value = 'Project X';
    ws.getRow(3).values = [
      'Req ID',
      'Summary',
      'Statement',
      'Derived from',
      'Verifies',
      'Status',
      'Type',
      'Owner',
    ];
    ws.getRow(4).values = ['R1', 'A', 'T', 'S1', '', 'Draft', 'Functional', 'Ann'];
    ws.getRow(5).values = ['R2', 'B', 'T', 'S1', '', 'Draft', 'Safety', 'Bob'];
    wb.addWorksheet('Other').getCell('A1').value = 'x';
    const file = write('guess.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const { columns: guessed, explanation } = await guessSheetColumns(file);
    expect(guessed).toEqual({
      id: 'Req ID',
      title: 'Summary',
      text: 'Statement',
      type: 'Type',
      links: { 'Derived from': 'derived-from', Verifies: 'verifies' },
      provenance: { status: 'Status' },
      sheets: ['Reqs'],
    });
    expect(sheetColumnsSchema.parse(guessed)).toEqual(guessed);
    expect(explanation).toContain('sheet "Reqs": header on row 3');
    expect(explanation).toContain('"Owner" → attribute "Owner"');
    const batch = await readSheet([file], guessed);
    expect(batch.objects.map((o) => [o.sourceId, o.type])).toEqual([
      ['R1', 'Functional'],
      ['R2', 'Safety'],
    ]);
  });

  it('proposes a mapping for a workbook Dossier exported, link columns found by their ids', async () => {
    const file = write('exported.xlsx', await writeXlsx(records, { created: '2026-01-01' }));
    const { columns: guessed, explanation } = await guessSheetColumns(file);
    expect(guessed).toMatchObject({
      id: 'id',
      title: 'title',
      text: 'text',
      links: { implements: 'implements', mitigates: 'mitigates' },
      provenance: { status: 'status' },
      sheets: ['software-requirement', 'system-requirement'],
    });
    expect(explanation).toContain('"mitigates" → links of type "mitigates" (every value is a list of ids)');
    expect(explanation).toContain('"unit" → attribute "unit"');
    expect(explanation).toContain('sheets left out (no such header): "Trace"');
    const batch = await readSheet([file], guessed);
    expect(batch.objects.map((o) => o.sourceId)).toEqual(['SR-1', 'SR-2', 'SYS-1']);
  });

  it('says what to do when no id column is recognisable', async () => {
    const file = write('noid.csv', 'Name,Value\na,1\n');
    await expect(guessSheetColumns(file)).rejects.toThrow(
      /noid\.csv: no header row with an id column .*write the mapping by hand/,
    );
  });
});

const records: ExportRecord[] = [
  {
    id: 'SR-2',
    kind: 'software-requirement',
    title: '=1+1',
    status: 'draft',
    text: 'Line one\nLine two _x000D_ literal',
    fields: {
      dose: -5,
      unit: '-5 mL',
      phone: '+41 44 000 00 00',
      formulaLike: '@SUM(A1:A2)',
      tags: ['a', 'b'],
      safety: true,
    },
    links: { implements: ['SYS-1'], mitigates: ['RC-1'] },
  },
  {
    id: 'SR-1',
    kind: 'software-requirement',
    title: 'Bolus limit',
    status: 'approved',
    text: 'The pump shall…',
    fields: { nested: { b: 1, a: 2 } },
    links: { implements: ['SYS-1', 'SYS-2'] },
  },
  {
    id: 'SYS-1',
    kind: 'system-requirement',
    title: 'Deliver insulin',
    status: 'approved',
    text: '',
    fields: {},
    links: {},
  },
];

describe('writeXlsx', () => {
  it('writes string cells only, never formulas, and reads back as written', async () => {
    const bytes = await writeXlsx(records, { created: '2026-01-02T03:04:06Z' });
    const names = zipEntries(bytes).map((e) => e.name);
    const sheets = names.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(sheets).toHaveLength(3);
    for (const sheet of sheets) {
      const xml = new TextDecoder().decode(readZipEntry(bytes, sheet));
      expect(xml).not.toMatch(/<f[ >]/);
      for (const [, type] of xml.matchAll(/<c r="[A-Z]+\d+"(?: s="\d+")?(?: t="(\w+)")?/g))
        expect([undefined, 's', 'inlineStr', 'b', 'n']).toContain(type);
      expect(xml).toContain('<pane');
      expect(xml).toContain('<autoFilter');
    }
    const first = new TextDecoder().decode(readZipEntry(bytes, 'xl/worksheets/sheet1.xml'));
    // The title "=1+1" in B3 (SR-2 sorts after SR-1) is a shared string.
    expect(first).toMatch(/<c r="B3"(?: s="\d+")? t="s">/);
    const file = write('export.xlsx', bytes);
    const batch = await readSheet([file], {
      id: 'id',
      title: 'title',
      text: 'text',
      links: { implements: 'implements', mitigates: 'mitigates' },
    });
    const sr2 = batch.objects.find((o) => o.sourceId === 'SR-2')!;
    expect(sr2).toMatchObject({ type: 'software-requirement', title: '=1+1' });
    expect(sr2.attributes).toMatchObject({
      dose: -5,
      unit: '-5 mL',
      phone: '+41 44 000 00 00',
      formulaLike: '@SUM(A1:A2)',
      tags: 'a, b',
      safety: true,
      status: 'draft',
    });
    expect(batch.objects.find((o) => o.sourceId === 'SR-1')?.attributes.nested).toBe('{"a":2,"b":1}');
    const trace = batch.documents.find((d) => d.title === 'Trace');
    expect(trace).toBeUndefined(); // the Trace sheet has no "id" column, so it is reported, not read
    expect(batch.relations.map((r) => `${r.sourceId}>${r.type}>${r.targetId}`)).toEqual([
      'SR-1>implements>SYS-1',
      'SR-1>implements>SYS-2',
      'SR-2>implements>SYS-1',
      'SR-2>mitigates>RC-1',
    ]);
    const [, , traceSheet] = await readSheetFile(file);
    expect(traceSheet?.name).toBe('Trace');
    expect(traceSheet?.rows.map((row) => row?.map((c) => c?.plain ?? ''))).toEqual([
      ['from', 'link', 'to', 'to title'],
      ['SR-1', 'implements', 'SYS-1', 'Deliver insulin'],
      ['SR-1', 'implements', 'SYS-2', ''],
      ['SR-2', 'implements', 'SYS-1', 'Deliver insulin'],
      ['SR-2', 'mitigates', 'RC-1', ''],
    ]);
    // A literal `_x000D_` in record text is escaped on writing, so a spreadsheet shows it as written.
    expect(new TextDecoder().decode(readZipEntry(bytes, 'xl/sharedStrings.xml'))).toContain(
      'two _x005F_x000D_ literal',
    );
  });

  it('gives byte-identical files for the same records and date, dated by that date', async () => {
    const a = await writeXlsx(records, { created: '2026-01-02T03:04:06Z' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const b = await writeXlsx([...records].reverse(), { created: '2026-01-02T03:04:06Z' });
    expect(Buffer.compare(a, b)).toBe(0);
    const core = new TextDecoder().decode(readZipEntry(a, 'docProps/core.xml'));
    expect(core).toContain('2026-01-02T03:04:06Z');
    const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    for (const entry of zipEntries(a))
      expect(view.getUint16(entry.local + 12, true)).toBe(((2026 - 1980) << 9) | (1 << 5) | 2);
  });
});

describe('writeCsv', () => {
  it('writes one kind with the formula guard', () => {
    const csv = writeCsv(records.filter((r) => r.kind === 'software-requirement'));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,title,status,text,implements,mitigates,dose,formulaLike,nested,phone,safety,tags,unit',
    );
    expect(lines[1]).toMatch(/^SR-1,Bolus limit,approved,/);
    expect(csv).toContain(",'=1+1,");
    expect(csv).toContain(",'@SUM(A1:A2),");
    expect(() => writeCsv(records)).toThrow(/one kind per file/);
  });
});
