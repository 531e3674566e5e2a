/**
 * A Doorstop tree: two documents (REQ, and SRS whose parent is REQ), items ordered by level
 * (1.10 after 1.9), non-normative headings as sections, links as parent relations, inactive
 * items skipped, attribute defaults, and invalid YAML stopping the read at its line.
 */
import { describe, expect, it } from 'vitest';
import { readDoorstop } from '../src/interop/doorstop/read.js';
import { type ImportBatch, ImportError } from '../src/interop/model.js';

const dir = 'test/fixtures/interop/doorstop';
const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;

describe('readDoorstop', () => {
  it('reads every document of the tree, items in level order', async () => {
    const batch = await readDoorstop([`${dir}/pump`]);
    expect(batch.format).toBe('doorstop');
    expect(batch.documents).toEqual([
      { sourceId: 'REQ', title: 'REQ', objectIds: ['REQ001', 'REQ002', 'REQ003'] },
      // 1.10 after 1.9: levels are read as written, not as YAML numbers.
      { sourceId: 'SRS', title: 'SRS', objectIds: ['SRS-001', 'SRS-002', 'SRS-004', 'SRS-003', 'SRS-005'] },
    ]);
    expect(batch.sources).toContain(`${dir}/pump/srs/SRS-004.yml`);
  });

  it('reads headers, text, headings and sections, attributes with document defaults', async () => {
    const batch = await readDoorstop([`${dir}/pump`]);
    expect(object(batch, 'REQ001')).toMatchObject({ title: 'Therapy', isHeading: true, type: 'REQ' });
    expect(object(batch, 'REQ001').text).toBeUndefined();
    expect(object(batch, 'REQ002')).toEqual({
      sourceId: 'REQ002',
      type: 'REQ',
      title: 'Deliver the prescribed volume',
      text: 'The pump delivers the programmed volume within ±5 %.',
      attributes: { derived: false, reviewed: '4Lw8hqaVZy1Y7VvTo2Ld9ZY_f7Hl1zEYB9NRsD7mVEk=' },
      section: ['Therapy'],
      location: { file: `${dir}/pump/reqs/REQ002.yml`, line: 1 },
    });
    expect(object(batch, 'SRS-001')).toMatchObject({
      title: 'Occlusion handling',
      text: 'Requirements on detecting and handling a blocked line.',
      isHeading: true,
    });
    expect(object(batch, 'SRS-002')).toMatchObject({
      title: 'Stop on occlusion',
      section: ['Occlusion handling'],
      attributes: {
        derived: false,
        ref: 'occlusion_stop',
        references: ['src/occlusion.c'],
        'safety-class': 'C',
      },
    });
    expect(object(batch, 'SRS-003').attributes).toEqual({ derived: true, 'safety-class': 'B' });
    // Level 2.1 has no heading above it; no header, no title.
    expect(object(batch, 'SRS-005').section).toBeUndefined();
    expect(object(batch, 'SRS-005').title).toBeUndefined();
  });

  it('links child items to their parents; inactive and unknown targets reported', async () => {
    const batch = await readDoorstop([`${dir}/pump`]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId} @${r.location?.line}`)).toEqual([
      'SRS-002 parent REQ003 @5',
      'SRS-004 parent REQ003 @5',
      'SRS-004 parent REQ004 @5',
      'SRS-004 parent SYS-404 @5',
      'SRS-005 parent REQ002 @5',
    ]);
    expect(batch.issues.map((i) => `${i.severity} ${i.code} ${i.message}`)).toEqual([
      'info skipped REQ004 is inactive (active: false).',
      'warning broken-link SRS-004 parent REQ004: "REQ004" is not in the files read.',
      'warning broken-link SRS-004 parent SYS-404: "SYS-404" is not in the files read.',
    ]);
  });

  it('reads Doorstop 3 Markdown items: front matter attributes, the first heading as header', async () => {
    const batch = await readDoorstop([`${dir}/markdown`]);
    expect(batch.objects).toEqual([
      {
        sourceId: 'HAZ001',
        type: 'HAZ',
        title: 'Under-infusion after occlusion',
        text: 'A blocked line stops delivery of a **critical** drug.',
        attributes: { derived: false, severity: 'critical' },
        location: { file: `${dir}/markdown/haz/HAZ001.md`, line: 1 },
      },
    ]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId}`)).toEqual([
      'HAZ001 parent SRS-002',
    ]);
    await expect(readDoorstop([`${dir}/bad-markdown`])).rejects.toThrow(/haz\/HAZ002\.md:4: invalid YAML/);
  });

  it('says so when a directory holds no Doorstop document', async () => {
    await expect(readDoorstop(['test/fixtures/interop/oft'])).rejects.toThrow(
      'test/fixtures/interop/oft: no Doorstop documents (.doorstop.yml) found in this directory.',
    );
  });

  it('stops at an item with invalid YAML, naming the file and line', async () => {
    const error = await readDoorstop([`${dir}/bad`]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).location?.file).toBe(`${dir}/bad/tst/TST001.yml`);
    expect((error as ImportError).message).toMatch(
      /^test\/fixtures\/interop\/doorstop\/bad\/tst\/TST001\.yml:5: invalid YAML \(Flow sequence in block collection must be sufficiently indented and end with a \]\)\.$/,
    );
  });
});
