/**
 * StrictDoc .sdoc: documents, nested sections (single and double bracket), requirements with
 * single- and multi-line fields, relations (RELATIONS and the older REFS), custom grammar
 * elements, nodes without UID, and the parse errors that stop a read.
 */
import { describe, expect, it } from 'vitest';
import { type ImportBatch, ImportError } from '../src/interop/model.js';
import { readSdoc } from '../src/interop/sdoc/read.js';

const dir = 'test/fixtures/interop/sdoc';
const srs = `${dir}/srs.sdoc`;
const system = `${dir}/system.sdoc`;
const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;
const read = () => readSdoc([srs, system]);

describe('readSdoc', () => {
  it('reads documents, sections as headings and every node in order', async () => {
    const batch = await read();
    expect(batch.format).toBe('sdoc');
    expect(batch.objects.map((o) => `${o.type} ${o.sourceId}${o.isHeading ? ' (heading)' : ''}`)).toEqual([
      'TEXT srs:1',
      'SECTION srs:2 (heading)',
      'REQUIREMENT SRS-001',
      'SECTION srs:2.2 (heading)',
      'REQUIREMENT SRS-002',
      'REQUIREMENT srs:2.2.2',
      'HAZARD_CONTROL HC-7',
      'SECTION SECT-ALARMS (heading)',
      'REQUIREMENT SRS-010',
      'REQUIREMENT SYS-010',
      'REQUIREMENT SYS-011',
      'REQUIREMENT SYS 020 (legacy)',
      'REQUIREMENT SYS-013',
    ]);
    expect(batch.documents).toEqual([
      {
        sourceId: srs,
        title: 'Infusion pump software requirements',
        objectIds: [
          'srs:1',
          'srs:2',
          'SRS-001',
          'srs:2.2',
          'SRS-002',
          'srs:2.2.2',
          'HC-7',
          'SECT-ALARMS',
          'SRS-010',
        ],
      },
      {
        sourceId: system,
        title: 'System requirements',
        objectIds: ['SYS-010', 'SYS-011', 'SYS 020 (legacy)', 'SYS-013'],
      },
    ]);
  });

  it('gives section paths, titles, multi-line statements as Markdown and fields as attributes', async () => {
    const batch = await read();
    expect(object(batch, 'SRS-001')).toEqual({
      sourceId: 'SRS-001',
      type: 'REQUIREMENT',
      title: 'Stop infusion on occlusion',
      text:
        'The pump shall stop the motor within `100 ms` when the downstream pressure\nexceeds the occlusion limit:\n\n' +
        '- raise the high priority alarm\n- log the event',
      attributes: {
        TAGS: ['safety', 'occlusion'],
        SAFETY_CLASS: 'C',
        RATIONALE: 'An occlusion can cause under-infusion of a critical drug.',
        COMMENT: ['Limit agreed with the clinical team.', 'See [the risk file](https://example.org/risk).'],
      },
      section: ['Pump control'],
      provenance: { status: 'Approved' },
      location: { file: srs, line: 67 },
    });
    expect(object(batch, 'srs:2')).toMatchObject({ title: 'Pump control', isHeading: true });
    expect(object(batch, 'srs:2').section).toBeUndefined();
    expect(object(batch, 'SRS-002')).toMatchObject({
      title: 'Dose rate in µg/kg/min',
      text: 'The display shows the dose rate in µg/kg/min.',
      section: ['Pump control', 'Dosing'],
    });
    expect(object(batch, 'HC-7')).toMatchObject({
      title: 'Free-flow clamp',
      text: 'Closing the door closes the anti free-flow clamp.',
      section: ['Pump control', 'Dosing'],
    });
    expect(object(batch, 'SRS-010').section).toEqual(['Alarms']);
    expect(object(batch, 'srs:1').text).toBe(
      'This document lists the software requirements of the **volumetric infusion pump**\n(IEC 62304 class C).',
    );
  });

  it('reads RELATIONS and REFS from the node to VALUE, roles in the type', async () => {
    const batch = await read();
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId} @${r.location?.line}`)).toEqual([
      'SRS-001 Parent:Refines SYS-010 @84',
      'SRS-001 File src/occlusion.c @87',
      'SRS-002 Parent SYS-011 @98',
      'SRS-002 Parent SRS-001 @100',
      'srs:2.2.2 Parent SYS-012 @107',
      // UIDs may hold spaces.
      'SYS-013 Parent SYS 020 (legacy) @24',
    ]);
    expect(
      batch.issues.map(
        (i) => `${i.severity} ${i.code} ${i.location?.file.split('/').pop()}:${i.location?.line}`,
      ),
    ).toEqual([
      'info approximated srs.sdoc:103',
      'warning empty-link srs.sdoc:129',
      'info external-link srs.sdoc:87',
      'warning broken-link srs.sdoc:107',
    ]);
    expect(batch.issues[0]!.message).toBe(
      'A REQUIREMENT without UID was given the id srs:2.2.2, from its position.',
    );
  });

  it('stops at an unterminated >>> block or an unbalanced section, naming the file and line', async () => {
    const unterminated = await readSdoc([`${dir}/bad/unterminated.sdoc`]).catch((e: unknown) => e);
    expect(unterminated).toBeInstanceOf(ImportError);
    expect((unterminated as ImportError).message).toBe(
      `${dir}/bad/unterminated.sdoc:6: the STATEMENT block opened with >>> is never closed by <<<.`,
    );
    expect((unterminated as ImportError).location).toEqual({ file: `${dir}/bad/unterminated.sdoc`, line: 6 });
    await expect(readSdoc([`${dir}/bad/unbalanced.sdoc`])).rejects.toThrow(
      `${dir}/bad/unbalanced.sdoc:8: [/SECTION] closes nothing.`,
    );
  });
});
