/**
 * mlx.traceability items: space-separated relationship options (reverse ones kept as written),
 * attributes, empty relationships as gaps, item-link, and external `ext_*` relations.
 */
import { describe, expect, it } from 'vitest';
import { readMlxRst } from '../src/interop/mlx-rst/read.js';
import type { ImportBatch } from '../src/interop/model.js';

const dir = 'test/fixtures/interop/mlx-rst';
const requirements = `${dir}/requirements.rst`;
const system = `${dir}/system.rst`;
const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;

describe('readMlxRst', () => {
  it('reads items with captions, sections, attributes and text', async () => {
    const batch = await readMlxRst([dir]);
    expect(batch.format).toBe('mlx-rst');
    expect(batch.sources).toEqual([requirements, system]);
    expect(batch.objects.map((o) => o.sourceId)).toEqual([
      'SWRQT-PUMP-001',
      'SWRQT-PUMP-002',
      'SWRQT-PUMP-003',
      'ITEST-PUMP-001',
      'SYRQT-PUMP-010',
      'SYRQT-PUMP-011',
      'SYRQT-PUMP-020',
      'SYRQT-PUMP-021',
    ]);
    expect(object(batch, 'SWRQT-PUMP-001')).toEqual({
      sourceId: 'SWRQT-PUMP-001',
      type: 'item',
      title: 'Stop infusion on occlusion',
      text: 'The motor **shall** stop within `100 ms` of an occlusion.',
      attributes: { value: '100', asil: 'C' },
      section: ['Software requirements', 'Pump control'],
      provenance: { status: 'Approved' },
      location: { file: requirements, line: 7 },
    });
    expect(object(batch, 'SWRQT-PUMP-003').title).toBe('Alarm tone ≥ 65 dB(A)');
    expect(object(batch, 'SWRQT-PUMP-003').text).toBeUndefined();
    expect(object(batch, 'ITEST-PUMP-001')).toMatchObject({
      section: ['Software requirements', 'Verification'],
      attributes: { nocaptions: true },
      text: '1. Clamp the line.\n2. Check the alarm.',
    });
    expect(object(batch, 'SYRQT-PUMP-011')).toMatchObject({
      title: 'Audible alarm',
      section: ['System requirements'],
    });
    // An item nested in another's body is an item of its own, cut out of the outer text.
    expect(object(batch, 'SYRQT-PUMP-020').text).toBe('Mains and battery.');
    expect(object(batch, 'SYRQT-PUMP-021')).toMatchObject({
      title: 'Battery backup',
      text: 'Runs 2 h on battery.',
    });
    expect(batch.documents.map((d) => [d.sourceId, d.title, d.objectIds.length])).toEqual([
      [requirements, 'Software requirements', 4],
      [system, 'System requirements', 4],
    ]);
  });

  it('keeps relationships as written, reverse names and item-link included', async () => {
    const batch = await readMlxRst([dir]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId} @${r.location?.line}`)).toEqual([
      'SWRQT-PUMP-001 fulfills SYRQT-PUMP-010 @8',
      'SWRQT-PUMP-001 depends_on SWRQT-PUMP-002 @9',
      'SWRQT-PUMP-001 depends_on SWRQT-PUMP-003 @9',
      'SWRQT-PUMP-001 ext_jira PUMP-1234 @13',
      'SWRQT-PUMP-003 fulfills SYRQT-PUMP-011 @24',
      'SWRQT-PUMP-003 fulfills SYRQT-PUMP-012 @24',
      'SWRQT-PUMP-003 validated_by ITEST-PUMP-001 @26',
      'ITEST-PUMP-001 validates SWRQT-PUMP-001 @32',
      'ITEST-PUMP-001 validates SWRQT-PUMP-003 @38',
      'ITEST-PUMP-001 validates SWRQT-PUMP-002 @38',
      'SYRQT-PUMP-010 fulfilled_by SWRQT-PUMP-001 @5',
    ]);
  });

  it('reports an empty relationship as a gap at its line, and what it could not import', async () => {
    const batch = await readMlxRst([dir]);
    expect(
      batch.issues.map(
        (i) => `${i.severity} ${i.code} ${i.location?.file.split('/').pop()}:${i.location?.line}`,
      ),
    ).toEqual([
      'warning empty-link requirements.rst:18',
      'warning skipped requirements.rst:43',
      'info external-link requirements.rst:13',
      'warning broken-link requirements.rst:24',
    ]);
    expect(batch.issues[0]!.message).toBe('SWRQT-PUMP-002: :fulfills: has no target.');
    expect(batch.issues[3]!.message).toContain('"SYRQT-PUMP-012" is not in the files read');
  });

  it('without conf.py, uses the mlx.traceability default relationships', async () => {
    const batch = await readMlxRst([requirements]);
    // `validated_by`, `fulfills` are defaults; ext_ options are always external links.
    expect(batch.relations).toHaveLength(11 - 1);
    expect(object(batch, 'SWRQT-PUMP-001').attributes).toEqual({ value: '100', asil: 'C' });
  });
});
