/**
 * The ReqIF writer (src/interop/reqif/write.ts): structure, determinism, both dialects, and the
 * round trip through the reader.
 *
 * XSD validation: the OMG ReqIF 1.2 XSD (reqif.xsd) and the W3C XHTML 1.1 module schemas its
 * driver.xsd includes are not available from the npm registry or Debian, and no copy with a
 * licence that allows keeping it in this repository was found, so the export is checked by
 * test/reqif-structure.ts, written from the XSD's rules. Where a schema is at hand, set
 * REQIF_XSD to its reqif.xsd (with driver.xsd and the XHTML modules resolvable from it) and the
 * last test validates the exports with `xmllint --schema`; it is skipped, with a warning, otherwise.
 * The XHTML of the values is validated against the W3C XHTML 1.1 DTD from Debian's w3c-sgml-lib
 * package when it and xmllint are installed (`apt-get install libxml2-utils w3c-sgml-lib`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { ExportRecord, ImportBatch } from '../src/interop/model.js';
import { readReqif } from '../src/interop/reqif/read.js';
import { reqifIdentifier, type SkippedLink, writeReqif } from '../src/interop/reqif/write.js';
import { reqifStructureProblems } from './reqif-structure.js';

const AT = '2026-03-01T12:00:00Z';

const RECORDS: ExportRecord[] = [
  {
    id: 'SRS-002',
    kind: 'software-requirement',
    title: 'Occlusion alarm <high priority>',
    status: 'approved',
    text: [
      'The pump **shall** raise an alarm when:',
      '',
      '- the line is occluded',
      '  - upstream',
      '  - downstream',
      '- the battery is low',
      '',
      '| Alarm | Priority |',
      '| --- | ---: |',
      '| Occlusion | 1 |',
      '',
      'See ![flow](images/flow.png) & [the spec](https://example.org/spec?a=1&b=2).',
    ].join('\n'),
    fields: { safety_class: 'C', verification: ['test', 'review'], risk: { id: 'R-1' }, empty: null },
    links: { derives_from: ['SYS 001', 'NOT-EXPORTED'], mitigates: ['HAZ-1'] },
  },
  {
    id: 'SRS-001',
    kind: 'software-requirement',
    title: 'Flow accuracy',
    status: 'draft',
    text: 'Within 5 %, see `FLOW_TOL`.',
    fields: { safety_class: 'B' },
    links: { derives_from: ['SYS 001'] },
  },
  {
    id: 'SYS 001',
    kind: 'system requirement',
    title: 'Deliver fluid',
    status: 'approved',
    text: '',
    fields: { priority: 1, regulatory: true },
    links: {},
  },
  {
    id: 'HAZ-1',
    kind: 'hazard',
    title: 'Under-infusion',
    status: 'open',
    text: 'Too little drug.',
    fields: {},
    links: {},
  },
];

function scratchFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dossier-reqif-write-')), name);
  writeFileSync(file, text);
  return file;
}

const render = new MarkdownIt('commonmark', { html: false }).enable(['table', 'strikethrough']);

describe('writeReqif', () => {
  for (const dialect of ['standard', 'doors'] as const) {
    it(`writes a structurally valid ReqIF 1.2 document (${dialect})`, () => {
      const xml = writeReqif(RECORDS, { creationTime: AT, dialect, title: 'Pump & co' });
      expect(reqifStructureProblems(xml)).toEqual([]);
      expect(xml).toContain('<REQ-IF-VERSION>1.0</REQ-IF-VERSION>');
      expect(xml).toContain('<TITLE>Pump &amp; co</TITLE>');
    });
  }

  it('has a structural check that catches what the XSD would refuse', () => {
    const xml = writeReqif(RECORDS, { creationTime: AT });
    const broken = (from: string | RegExp, to: string) =>
      reqifStructureProblems(xml.replace(from, to)).join('\n');
    expect(broken('<REQ-IF-VERSION>1.0<', '<REQ-IF-VERSION>1.2<')).toContain('REQ-IF-VERSION');
    expect(broken('IDENTIFIER="SO-HAZ-1"', 'IDENTIFIER="SO-SRS-001"')).toContain('not unique');
    expect(broken('IDENTIFIER="SO-HAZ-1"', 'IDENTIFIER="SO HAZ 1"')).toContain('not an NCName');
    expect(broken('<SPEC-OBJECT-REF>SO-HAZ-1<', '<SPEC-OBJECT-REF>SO-nothing<')).toContain(
      'resolves to nothing',
    );
    expect(broken('<xhtml:strong>shall</xhtml:strong>', '<xhtml:blink>shall</xhtml:blink>')).toContain(
      'not an element',
    );
    expect(broken('<THE-VALUE><xhtml:div>', '<THE-VALUE>text<xhtml:div>')).toContain('exactly one div or p');
    expect(broken(/ LAST-CHANGE="[^"]+"/, '')).toContain('LAST-CHANGE');
    expect(broken(' MAX-LENGTH="32000"', '')).toContain('MAX-LENGTH');
  });

  it('is deterministic: same output for the same records in any order, time only from the option', () => {
    const a = writeReqif(RECORDS, { creationTime: AT });
    const b = writeReqif([...RECORDS].reverse(), { creationTime: AT });
    expect(b).toBe(a);
    const stamps = new Set([...a.matchAll(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g)].map((m) => m[0]));
    expect([...stamps]).toEqual([AT]);
    expect(() => writeReqif(RECORDS, { creationTime: 'yesterday' })).toThrow(/date-time/);
  });

  it('derives NCName identifiers from record ids, hashing only those it had to change', () => {
    expect(reqifIdentifier('SO', 'SRS-001')).toBe('SO-SRS-001');
    expect(reqifIdentifier('SO', 'SYS 001')).toMatch(/^SO-SYS_001_[0-9a-f]{8}$/);
    expect(reqifIdentifier('SO', 'SYS 001')).not.toBe(reqifIdentifier('SO', 'SYS_001'));
  });

  it('lays out one type and specification per kind, one relation type per link field, and reports links it cannot write', () => {
    const skipped: SkippedLink[] = [];
    const xml = writeReqif(RECORDS, { creationTime: AT, onSkippedLink: (link) => skipped.push(link) });
    expect([...xml.matchAll(/<SPEC-OBJECT-TYPE [^>]*LONG-NAME="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'hazard',
      'software-requirement',
      'system requirement',
    ]);
    expect([...xml.matchAll(/<SPECIFICATION [^>]*LONG-NAME="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'hazard',
      'software-requirement',
      'system requirement',
    ]);
    expect([...xml.matchAll(/<SPEC-RELATION-TYPE [^>]*LONG-NAME="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'derives_from',
      'mitigates',
    ]);
    expect(skipped).toEqual([{ from: 'SRS-002', field: 'derives_from', to: 'NOT-EXPORTED' }]);
    // Field values: lists joined, objects as JSON, null left out.
    expect(xml).toContain('THE-VALUE="test, review"');
    expect(xml).toContain('THE-VALUE="{&quot;id&quot;:&quot;R-1&quot;}"');
    expect(xml).not.toContain('LONG-NAME="empty"');
  });

  it('writes the DOORS dialect with XHTML names and ReqIF.ChapterName headings', () => {
    const xml = writeReqif(RECORDS, { creationTime: AT, dialect: 'doors' });
    expect(xml).toMatch(/<ATTRIBUTE-DEFINITION-XHTML [^>]*LONG-NAME="ReqIF.Name">/);
    expect(xml).toMatch(/<ATTRIBUTE-DEFINITION-XHTML [^>]*LONG-NAME="ReqIF.ChapterName">/);
    expect(xml).toMatch(/<ATTRIBUTE-DEFINITION-STRING [^>]*LONG-NAME="ReqIF.ForeignID">/);
  });

  for (const dialect of ['standard', 'doors'] as const) {
    it(`round-trips ids, titles, text, status and relations through the reader (${dialect})`, async () => {
      const file = scratchFile('export.reqif', writeReqif(RECORDS, { creationTime: AT, dialect }));
      const batch: ImportBatch = await readReqif([file]);
      const records = batch.objects.filter((o) => !o.isHeading);
      expect(records.map((o) => o.foreignId).sort()).toEqual(RECORDS.map((r) => r.id).sort());
      const bySource = new Map(batch.objects.map((o) => [o.sourceId, o]));
      for (const record of RECORDS) {
        const object = records.find((o) => o.foreignId === record.id);
        expect(object?.type).toBe(record.kind);
        expect(object?.title).toBe(record.title);
        expect(render.render(object?.text ?? '')).toBe(render.render(record.text));
        expect(object?.attributes.Status).toBe(record.status);
        if (dialect === 'doors') expect(object?.section).toEqual([record.kind]);
      }
      const relations = batch.relations
        .map((r) => `${bySource.get(r.sourceId)?.foreignId} ${r.type} ${bySource.get(r.targetId)?.foreignId}`)
        .sort();
      expect(relations).toEqual([
        'SRS-001 derives_from SYS 001',
        'SRS-002 derives_from SYS 001',
        'SRS-002 mitigates HAZ-1',
      ]);
      expect(batch.documents.map((d) => d.title)).toEqual([
        'hazard',
        'software-requirement',
        'system requirement',
      ]);
      expect(batch.objects.find((o) => o.foreignId === 'SYS 001')?.attributes).toMatchObject({
        priority: '1',
        regulatory: 'true',
      });
      // The only issue: the image the text embeds is not beside the export.
      expect(batch.issues.map((i) => i.code)).toEqual(['broken-link']);
    });
  }

  const xsd = process.env.REQIF_XSD;
  const xmllint = (() => {
    try {
      execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const canValidate = xmllint && xsd !== undefined && existsSync(xsd);
  if (!canValidate)
    console.warn(
      `SKIPPED: XSD validation of the ReqIF export (${xmllint ? 'REQIF_XSD does not name a reqif.xsd' : 'xmllint is not installed'}); the structural check above ran instead`,
    );
  // The XHTML of every value, against the W3C XHTML 1.1 DTD that Debian's w3c-sgml-lib ships:
  // content models (li only in lists, table structure, block vs inline), which the structural check
  // does not know. ReqIF allows a subset of XHTML 1.1, which the structural check enforces.
  const dtd = '/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml11-20101123/xhtml11.dtd';
  const canValidateXhtml = xmllint && existsSync(dtd);
  if (!canValidateXhtml)
    console.warn(
      `SKIPPED: XHTML 1.1 DTD validation of the exported values (${xmllint ? `${dtd} is absent: apt-get install w3c-sgml-lib` : 'xmllint is not installed: apt-get install libxml2-utils'})`,
    );
  it.skipIf(!canValidateXhtml)('writes XHTML values that are valid XHTML 1.1 (W3C DTD, xmllint)', () => {
    for (const dialect of ['standard', 'doors'] as const) {
      const xml = writeReqif(RECORDS, { creationTime: AT, dialect });
      const values = [...xml.matchAll(/<THE-VALUE>([\s\S]*?)<\/THE-VALUE>/g)].map((m) =>
        m[1]?.replace(/xhtml:/g, ''),
      );
      expect(values.length).toBeGreaterThan(0);
      const page = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "${dtd}">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>values</title></head><body>${values.join('\n')}</body></html>`;
      const file = scratchFile(`${dialect}.xhtml`, page);
      execFileSync('xmllint', ['--noout', '--valid', '--nonet', file], { stdio: 'pipe' });
    }
  });

  it.skipIf(!canValidate)('validates against the ReqIF XSD with xmllint', () => {
    for (const dialect of ['standard', 'doors'] as const) {
      const file = scratchFile(`${dialect}.reqif`, writeReqif(RECORDS, { creationTime: AT, dialect }));
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd as string, file], { stdio: 'pipe' });
    }
  });
});
