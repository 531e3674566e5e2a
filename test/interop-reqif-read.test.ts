/**
 * The ReqIF reader (src/interop/reqif): hand-written fixtures for the awkward cases of the spec,
 * archives built here (attachments, a zip bomb), and every file of ../shared/data/reqif (real tool
 * exports and the invalid set), whose object and relation counts are counted here independently
 * with a regular expression and whose texts are compared with the expected JSON shipped beside them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImportBatch, ImportError } from '../src/interop/model.js';
import { readReqif } from '../src/interop/reqif/read.js';
import { readZipTextEntries } from '../src/soup/osv/read-zip.js';
import { writeZip } from './zip-writer.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(REPO, 'test/fixtures/reqif');
const DATA = path.resolve(REPO, '../shared/data/reqif');
const HAVE_DATA = existsSync(DATA);
if (!HAVE_DATA)
  console.warn(`SKIPPED: ${DATA} is absent (a fresh clone has no ../shared): ReqIF real-data tests skipped`);

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'dossier-reqif-'));
}

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('hand-written fixtures', () => {
  it('reads XHTML with nested lists, a table, emphasis, a link and an object as Markdown', async () => {
    const batch = await readReqif([path.join(FIXTURES, 'awkward.reqif')]);
    expect(batch.format).toBe('reqif');
    expect(batch.tool).toBe('ReqIF Studio');
    const one = batch.objects.find((o) => o.sourceId === 'req one');
    expect(one?.foreignId).toBe('REQ-1');
    expect(one?.title).toBe('Alarm handling');
    expect(one?.type).toBe('Requirement');
    expect(one?.text).toBe(
      [
        'The pump **shall** raise an *audible* alarm when:',
        '',
        '- the line is occluded',
        '  1. upstream',
        '  2. downstream',
        '- the battery is low, see [battery spec](https://example.org/battery)',
        '',
        '| Alarm | Priority |',
        '| --- | --- |',
        '| Occlusion | High |',
        '| Battery \\| low | Medium |',
        '',
        'Diagram: ![alarm flow](images/alarm flow.png)'.replace(
          '(images/alarm flow.png)',
          '(<images/alarm flow.png>)',
        ),
      ].join('\n'),
    );
    // ReqIF.ForeignID, ReqIF.Name and ReqIF.Text are not repeated among the attributes.
    expect(Object.keys(one?.attributes ?? {}).sort()).toEqual(['Platforms', 'Priority']);
    expect(one?.attributes.Priority).toBe(7);
    expect(one?.location).toEqual({ file: path.join(FIXTURES, 'awkward.reqif'), line: 57 });
  });

  it('gives multi-valued enumerations as string[] (also with one value) and keeps identifiers with spaces', async () => {
    const batch = await readReqif([path.join(FIXTURES, 'awkward.reqif')]);
    expect(batch.objects.map((o) => o.sourceId)).toEqual(['req one', 'req two']);
    expect(batch.objects[0]?.attributes.Platforms).toEqual(['Android', 'Web']);
    expect(batch.objects[1]?.attributes.Platforms).toEqual(['iOS']);
    // "req two" gives no Priority: the definition's DEFAULT-VALUE applies; "req one" keeps its own.
    expect(batch.objects[1]?.attributes.Priority).toBe(3);
    expect(batch.objects[0]?.attributes.Priority).toBe(7);
    expect(batch.relations).toEqual([
      {
        sourceId: 'req two',
        targetId: 'req one',
        type: 'satisfies',
        location: { file: path.join(FIXTURES, 'awkward.reqif'), line: 118 },
      },
    ]);
    expect(batch.documents).toEqual([
      { sourceId: 'spec one', title: 'Pump requirements', objectIds: ['req one', 'req two'] },
    ]);
  });

  it('reports a relation to an object outside the file and a hierarchy entry for a missing object, with lines', async () => {
    const batch = await readReqif([path.join(FIXTURES, 'awkward.reqif')]);
    const external = batch.issues.filter((i) => i.code === 'external-link');
    expect(external).toHaveLength(1);
    expect(external[0]?.message).toContain('"object in another file"');
    expect(external[0]?.location?.line).toBe(123);
    const broken = batch.issues.filter((i) => i.code === 'broken-link' && i.severity === 'error');
    expect(broken).toHaveLength(1);
    expect(broken[0]?.message).toContain('"deleted object"');
    expect(broken[0]?.location?.line).toBe(136);
    // The object beside a plain .reqif is not there: reported, link kept.
    expect(
      batch.issues.some((i) => i.code === 'broken-link' && i.message.includes('images/alarm flow.png')),
    ).toBe(true);
  });

  it('reads a DOORS-style module: ForeignID, headings from ReqIF.ChapterName, section paths, typed values', async () => {
    const batch = await readReqif([path.join(FIXTURES, 'doors-style.reqif')]);
    expect(batch.tool).toBe('IBM Rational DOORS');
    const [delivery, flowRate, accuracy, calibration] = batch.objects;
    expect(delivery).toMatchObject({ foreignId: '1', title: 'Delivery', isHeading: true });
    expect(delivery?.section).toBeUndefined();
    expect(flowRate).toMatchObject({
      foreignId: '2',
      title: 'Flow rate',
      isHeading: true,
      section: ['Delivery'],
    });
    expect(accuracy).toMatchObject({
      foreignId: '3',
      title: 'Flow accuracy',
      text: 'The delivered flow **shall** be within 5 %.',
      section: ['Delivery', 'Flow rate'],
      attributes: {
        'ReqIF.ForeignModifiedBy': 'susan',
        Accepted: true,
        'Max flow': 12.5,
        'Reviewed on': '2025-12-24T10:00:00',
      },
      provenance: { lastChangedBy: 'susan', lastChangedAt: '2026-01-01T00:00:00' },
    });
    expect(accuracy?.isHeading).toBeUndefined();
    // A requirement under a requirement: the section is still the headings above.
    expect(calibration).toMatchObject({ foreignId: '4', text: 'The flow sensor *shall* be calibrated.' });
    expect(calibration?.section).toEqual(['Delivery', 'Flow rate']);
    expect(batch.relations).toEqual([
      { sourceId: '_4', targetId: '_3', type: 'Satisfies', location: expect.any(Object) },
    ]);
    expect(batch.issues).toEqual([]);
  });

  it('reads an object embedded by a plain .reqif from beside it, and takes foreignId from a chosen attribute', async () => {
    const dir = scratch();
    const text = readFileSync(path.join(FIXTURES, 'awkward.reqif'), 'utf8');
    writeFileSync(path.join(dir, 'module.reqif'), text);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'images'));
    writeFileSync(path.join(dir, 'images', 'alarm flow.png'), Buffer.from([1, 2, 3]));
    const batch = await readReqif([path.join(dir, 'module.reqif')], { foreignIdAttribute: 'ReqIF.Name' });
    expect(batch.attachments).toEqual([{ path: 'images/alarm flow.png', bytes: new Uint8Array([1, 2, 3]) }]);
    expect(batch.issues.some((i) => i.code === 'broken-link' && i.message.includes('alarm flow'))).toBe(
      false,
    );
    expect(batch.objects[0]?.foreignId).toBe('Alarm handling');
    // ReqIF.ForeignID is then an attribute like any other.
    expect(batch.objects[0]?.attributes['ReqIF.ForeignID']).toBe('REQ-1');

    // A symbolic link beside the file is not followed.
    const { rmSync, symlinkSync } = await import('node:fs');
    rmSync(path.join(dir, 'images'), { recursive: true });
    const elsewhere = scratch();
    writeFileSync(path.join(elsewhere, 'alarm flow.png'), 'secret');
    symlinkSync(elsewhere, path.join(dir, 'images'));
    const linked = await readReqif([path.join(dir, 'module.reqif')]);
    expect(linked.attachments).toEqual([]);
    expect(linked.issues.find((i) => i.message.includes('alarm flow'))?.message).toContain(
      'leaves the folder',
    );
  });

  it('refuses a DOCTYPE that declares an entity (XXE), naming file and line', async () => {
    const file = path.join(FIXTURES, 'entity.reqif');
    const error = await refusal(readReqif([file]));
    expect(error.message).toContain('entit');
    expect(error.message).toContain(file);
    expect(error.location).toEqual({ file, line: 3 });
    expect(error.stack === undefined || !error.message.includes('    at ')).toBe(true);
  });

  it('refuses files that are not ReqIF with a clear message', async () => {
    const dir = scratch();
    const cases: [string, string, RegExp][] = [
      ['empty.reqif', '', /empty/],
      ['broken.reqif', '<REQ-IF><THE-HEADER></REQ-IF>', /not well-formed/],
      ['other.reqif', '<?xml version="1.0"?><html/>', /not <REQ-IF>/],
      ['latin.reqif', '<?xml version="1.0" encoding="x-unknown-8"?><REQ-IF/>', /encoding/],
    ];
    for (const [name, text, pattern] of cases) {
      writeFileSync(path.join(dir, name), text);
      const error = await refusal(readReqif([path.join(dir, name)]));
      expect(error.message).toMatch(pattern);
    }
    const missing = await refusal(readReqif([path.join(dir, 'nope.reqif')]));
    expect(missing.message).toContain('no such file');
  });
});

describe('.reqifz archives', () => {
  const reqif = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES><DATATYPE-DEFINITION-XHTML IDENTIFIER="x" LAST-CHANGE="2026-01-01T00:00:00Z"/></DATATYPES>
    <SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="t" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Req"><SPEC-ATTRIBUTES>
      <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="text" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
    </SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>
    <SPEC-OBJECTS>${body}</SPEC-OBJECTS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>`;
  const object = (id: string, xhtml: string) =>
    `<SPEC-OBJECT IDENTIFIER="${id}" LAST-CHANGE="2026-01-01T00:00:00Z"><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div>${xhtml}</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT>`;

  it('turns embedded objects into attachments with Markdown links, resolved against the nested folder', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const file = path.join(scratch(), 'export.reqifz');
    writeFileSync(
      file,
      writeZip([
        {
          name: 'module/export.reqif',
          data: reqif(
            object(
              'o1',
              'See <xhtml:object data="files/pic.png" type="image/png"><xhtml:object data="files/pic.ole" type="application/oleobject"/></xhtml:object> and <xhtml:object data="../outside.txt" type="text/plain">x</xhtml:object>.',
            ),
          ),
          method: 'deflate',
        },
        { name: 'module/files/pic.png', data: png },
        { name: '__MACOSX/module/._pic.png', data: 'junk' },
      ]),
    );
    const batch = await readReqif([file]);
    expect(batch.objects[0]?.text).toBe(
      'See ![pic.png](module/files/pic.png) [pic.ole](module/files/pic.ole) and [x](outside.txt).',
    );
    expect(batch.attachments).toEqual([{ path: 'module/files/pic.png', bytes: new Uint8Array(png) }]);
    expect(batch.objects[0]?.location?.file).toBe(`${file}!module/export.reqif`);
    // The OLE object and ../outside.txt are not in the archive: reported, never silently lost.
    const broken = batch.issues.filter((i) => i.code === 'broken-link').map((i) => i.message);
    expect(broken).toHaveLength(2);
  });

  it('never lets an archive entry point outside the archive (zip slip): the archive is refused', async () => {
    for (const name of ['../../evil.sh', '/etc/evil', 'dir\\..\\..\\evil.bat']) {
      const file = path.join(scratch(), 'slip.reqifz');
      writeFileSync(
        file,
        writeZip([
          { name: 'a.reqif', data: reqif(object('o1', 'x')) },
          { name, data: 'x' },
        ]),
      );
      const error = await refusal(readReqif([file]));
      expect(error.message).toMatch(/not a readable .reqifz.*(relative|absolute) path/);
    }
  });

  it('refuses a zip bomb before inflating it', async () => {
    const file = path.join(scratch(), 'bomb.reqifz');
    // 20 MB of one character deflates to about 20 KB: a ratio near 1000, over the limit of 200.
    writeFileSync(
      file,
      writeZip([{ name: 'bomb.reqif', data: Buffer.alloc(20 * 1024 * 1024, 0x41), method: 'deflate' }]),
    );
    expect(statSync(file).size).toBeLessThan(100 * 1024);
    const error = await refusal(readReqif([file]));
    expect(error.message).toMatch(/zip bomb.*ratio/);
    // A lower entry limit is honoured too.
    const small = await refusal(
      readReqif([file], { zipLimits: { maxEntryBytes: 1024, maxRatio: 1e9, maxTotalBytes: 1e9 } }),
    );
    expect(small.message).toMatch(/uncompressed size/);
  });

  it('refuses an archive with no .reqif, and one that is not a zip', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'empty.reqifz'), writeZip([{ name: 'readme.txt', data: 'hello' }]));
    expect((await refusal(readReqif([path.join(dir, 'empty.reqifz')]))).message).toContain('no .reqif');
    writeFileSync(path.join(dir, 'text.reqifz'), 'not a zip');
    expect((await refusal(readReqif([path.join(dir, 'text.reqifz')]))).message).toContain('not a readable');
  });
});

// ---------------------------------------------------------------------------------------------
// ../shared/data/reqif

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.reqifz?$/.test(entry.name) ? [full] : [];
  });
}

/** The ReqIF texts of a file (the .reqif entries of an archive), read without the ReqIF reader. */
async function texts(file: string): Promise<string[]> {
  if (!file.endsWith('.reqifz')) return [readFileSync(file, 'utf8')];
  const out: string[] = [];
  for await (const entry of readZipTextEntries(file, {
    accept: (name) => name.endsWith('.reqif') && !name.startsWith('__MACOSX'),
  }))
    out.push(entry.text);
  return out;
}

const count = (text: string, element: string) =>
  (text.match(new RegExp(`<${element}[\\s>/]`, 'g')) ?? []).length;

/** Files that must be refused with an ImportError (the rest of invalid/ reads with issues). */
const REFUSED = ['invalid/04_empty_file', 'invalid/05_random_file_from_chatgpt'];

describe.skipIf(!HAVE_DATA)('../shared/data/reqif', () => {
  const all = HAVE_DATA ? filesUnder(DATA).sort() : [];

  it('has the 35 ReqIF files this test was written against', () => {
    expect(all.length).toBe(35);
  });

  it.each(all.map((file) => [path.relative(DATA, file), file]))(
    '%s reads or is refused clearly',
    async (name, file) => {
      if (REFUSED.some((prefix) => name.startsWith(prefix))) {
        const error = await refusal(readReqif([file]));
        expect(error.message.startsWith(file)).toBe(true);
        expect(error.message).not.toMatch(/\n\s+at /);
        return;
      }
      const batch: ImportBatch = await readReqif([file]);
      const documents = await texts(file);
      const objects = documents.reduce((n, text) => n + count(text, 'SPEC-OBJECT'), 0);
      const relations = documents.reduce((n, text) => n + count(text, 'SPEC-RELATION'), 0);
      const droppedObjects = batch.issues.filter(
        (i) => i.code === 'duplicate-id' || /SPEC-OBJECT has no/.test(i.message),
      );
      expect(batch.objects.length + droppedObjects.length).toBe(objects);
      // Every relation is read or reported: none is dropped silently.
      const reportedRelations = batch.issues.filter((i) => /^SPEC-RELATION /.test(i.message));
      expect(batch.relations.length + reportedRelations.length).toBe(relations);
      const hierarchyEntries = documents.reduce((n, text) => n + count(text, 'SPEC-HIERARCHY'), 0);
      const placed = batch.documents.reduce((n, d) => n + d.objectIds.length, 0);
      const broken = batch.issues.filter(
        (i) => i.code === 'broken-link' && i.message.includes('places'),
      ).length;
      expect(placed + broken).toBe(hierarchyEntries);
      for (const object of batch.objects) expect(object.location?.line).toBeGreaterThan(0);
    },
  );

  it('reads the invalid/ set as the issue names say', async () => {
    const read = (name: string) => readReqif([path.join(DATA, 'invalid', name, 'sample.reqif')]);
    expect((await read('01_valid_file')).issues).toEqual([]);
    expect((await read('02_missing_xml_doctype_declaration')).objects).toHaveLength(1);
    const latin = await read('03_doctype_incorrect_encoding');
    expect(latin.issues.map((i) => i.message).join()).toContain('ISO-8859-1');
    expect(
      (await read('_xsd_schema_validation/10_relative_paths_are_accepted_with_no_errors')).objects,
    ).toHaveLength(2);
    const hierarchy = await read('SPEC-HIERARCHY/01_SPEC-OBJECT-REF_does_not_exist');
    expect(hierarchy.issues.map((i) => i.code)).toEqual(['broken-link']);
    for (const [name, end] of [
      ['SPEC-RELATION/01_SOURCE_missing', 'SOURCE'],
      ['SPEC-RELATION/02_TARGET_missing', 'TARGET'],
    ] as const) {
      const batch = await read(name);
      expect(batch.relations).toEqual([]);
      expect(batch.issues.find((i) => i.code === 'skipped')?.message).toContain(`no ${end}`);
    }
    for (const name of [
      'SPEC-RELATION/03_SOURCE_links_to_a_missing_SPEC-OBJECT',
      'SPEC-RELATION/04_TARGET_links_to_a_missing_SPEC-OBJECT',
    ]) {
      const batch = await read(name);
      expect(batch.relations).toEqual([]);
      expect(batch.issues.find((i) => i.code === 'external-link')?.message).toContain('NON_EXISTING_UID');
    }
  });

  it('matches the expected JSON of examples/04_convert_reqif_to_json', async () => {
    const dir = path.join(DATA, 'examples/04_convert_reqif_to_json');
    interface Node {
      node_type: string;
      level: number;
      fields: Record<string, string>;
      nodes: Node[];
    }
    const strip = (value: string) =>
      value
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    for (const name of ['sample1_polarion', 'sample2_sdoc', 'sample3_eclipse_rmf']) {
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected', `${name}.json`), 'utf8')) as {
        documents: { name: string | null; nodes: Node[] }[];
      };
      const batch = await readReqif([path.join(dir, `${name}.reqif`)]);
      expect(batch.documents.length).toBe(expected.documents.length);
      expected.documents.forEach((document, index) => {
        if (document.name !== null) expect(batch.documents[index]?.title).toBe(document.name);
      });
      expected.documents.forEach((document, index) => {
        const flat: Node[] = [];
        const walk = (nodes: Node[]) => {
          for (const node of nodes) {
            flat.push(node);
            walk(node.nodes);
          }
        };
        walk(document.nodes);
        const ids = batch.documents[index]?.objectIds ?? [];
        expect(ids.length).toBe(flat.length);
        flat.forEach((node, i) => {
          const object = batch.objects.find((o) => o.sourceId === ids[i]);
          expect(object?.type).toBe(node.node_type);
          expect((object?.section?.length ?? 0) + 1).toBe(node.level);
          const title = node.fields['ReqIF.Name'] ?? node.fields['ReqIF.ChapterName'];
          if (title !== undefined) expect(object?.title).toBe(strip(title));
          if (node.fields['ReqIF.Text'] !== undefined)
            expect(object?.text).toBe(strip(node.fields['ReqIF.Text']));
          if (node.fields['ReqIF.ForeignID'] !== undefined)
            expect(object?.foreignId).toBe(node.fields['ReqIF.ForeignID']);
          for (const [field, value] of Object.entries(node.fields))
            if (!field.startsWith('ReqIF.') || field === 'ReqIF.ForeignCreatedBy')
              expect(String(object?.attributes[field])).toBe(value);
        });
      });
    }
  });

  it('spot-checks content: a list becomes a Markdown list, an enumeration its value name, a heading', async () => {
    const tc1200 = await readReqif([
      path.join(DATA, 'tools/ci.eclipse.org/TC1200_E0000_S10_Reference_20210122_1256_jenkins/sample.reqif'),
    ]);
    const div = tc1200.objects.find((o) => o.sourceId === 'ID_TC1200_SpecObject_xhtml.div.type');
    expect(div?.text).toContain('\n\n- XhtmlLiType\n\n');
    expect(div?.text).toContain('\n\n1. XhtmlLiType\n\n');
    expect(div?.text).toContain('\n\n# XhtmlH1Type\n\n');
    expect(div?.text).toContain('*XhtmlEmType*');
    const tc1000 = await readReqif([
      path.join(DATA, 'tools/ci.eclipse.org/TC1000_E0000_S10_Reference_20210122_1256_jenkins/sample.reqif'),
    ]);
    expect(tc1000.objects[0]?.attributes).toMatchObject({
      'TC1000 Enum': 'TC1000 Yellow',
      'TC1000 Enum MultiValue': ['TC1000 Yellow', 'TC1000 Red', 'TC1000 Green'],
      'TC1000 Integer': 5000,
      'TC1000 Real': 1234.5,
      TC1000T: true,
      TC1000F: false,
    });
    const doors = await readReqif([path.join(DATA, 'examples/02_read_reqif/input.reqif')]);
    expect(doors.objects[0]).toMatchObject({
      foreignId: '1',
      title: 'Carbon Trust Standard',
      isHeading: true,
    });
    const polarion = await readReqif([
      path.join(DATA, 'examples/04_convert_reqif_to_json/sample_polarion_reqifz.reqifz'),
    ]);
    expect(polarion.objects[1]).toMatchObject({
      foreignId: 'LOREM-818',
      section: ['Section 1'],
      provenance: { status: 'Draft' },
    });
  });

  it('resolves a relation kept in another file of the same archive (TC1700)', async () => {
    const batch = await readReqif([
      path.join(DATA, 'tools/ci.eclipse.org/TC1700_E0000_S10_Reference_20210122_1256_jenkins/sample.reqifz'),
    ]);
    expect(batch.relations).toEqual([
      expect.objectContaining({
        sourceId: 'ID_TC1700_SpecObject1',
        targetId: 'ID_TC1700_SpecObject2',
        type: 'TC 1700 SpecRelationType',
      }),
    ]);
  });

  it('keeps the files of a nested-folder archive as attachments', async () => {
    const batch = await readReqif([
      path.join(DATA, 'reqifz/02_reqifz_with_one_reqif_and_one_attachments_nested_folder/sample.reqifz'),
    ]);
    expect(batch.attachments.map((a) => a.path)).toEqual(['sample/nested1/nested2/Yin_yang.svg']);
    expect(Buffer.from(batch.attachments[0]?.bytes ?? []).toString('utf8')).toContain('<svg');
  });
});
