/**
 * OpenFastTrace Markdown: items by their `type~name~revision` id, heading titles, descriptions up
 * to the keywords, Covers/Depends as relations, Needs/Tags/Status, section paths, and ids in
 * code blocks or forwarding lines not taken for items.
 */
import { describe, expect, it } from 'vitest';
import type { ImportBatch } from '../src/interop/model.js';
import { readOft } from '../src/interop/oft/read.js';

const dir = 'test/fixtures/interop/oft';
const system = `${dir}/system_requirements.md`;
const design = `${dir}/design.md`;
const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;

describe('readOft', () => {
  it('reads every specification item, typed by artifact type', async () => {
    const batch = await readOft([dir]);
    expect(batch.format).toBe('oft');
    expect(batch.sources).toEqual([design, system]);
    expect(batch.objects.map((o) => `${o.type} ${o.sourceId}`)).toEqual([
      'dsn dsn~occlusion-monitor~1',
      'feat feat~occlusion-detection~1',
      'req req~stop-on-occlusion~2',
      'req req~pressure-sampling~1',
      'req req~untitled~1',
    ]);
    expect(batch.documents).toEqual([
      { sourceId: design, title: 'Software design', objectIds: ['dsn~occlusion-monitor~1'] },
      {
        sourceId: system,
        title: 'Infusion pump — system requirements',
        objectIds: [
          'feat~occlusion-detection~1',
          'req~stop-on-occlusion~2',
          'req~pressure-sampling~1',
          'req~untitled~1',
        ],
      },
    ]);
  });

  it('gives titles, descriptions, sections and the keyword attributes', async () => {
    const batch = await readOft([dir]);
    expect(object(batch, 'req~stop-on-occlusion~2')).toEqual({
      sourceId: 'req~stop-on-occlusion~2',
      type: 'req',
      title: 'Stop on occlusion',
      text: 'The pump stops the motor within 100 ms when the downstream pressure exceeds\nthe occlusion limit.',
      attributes: {
        name: 'stop-on-occlusion',
        revision: 2,
        needs: ['dsn', 'impl', 'utest'],
        tags: ['Safety', 'Occlusion'],
        rationale: 'An occlusion can cause under-infusion of a critical drug.',
      },
      section: ['Infusion pump — system requirements', 'Requirements', 'Occlusion'],
      provenance: { status: 'approved' },
      location: { file: system, line: 17 },
    });
    expect(object(batch, 'req~pressure-sampling~1')).toMatchObject({
      title: 'Pressure sampling',
      text: 'Sample the downstream pressure at 1 kHz (± 1 %).',
      attributes: { comment: 'Rate agreed with the hardware team.', needs: ['impl'] },
    });
    const untitled = object(batch, 'req~untitled~1');
    expect(untitled.title).toBeUndefined();
    expect(untitled.text).toBe('An item without a heading of its own: "µg/kg/min" shown on the display.');
    expect(untitled.section).toEqual(['Infusion pump — system requirements', 'Requirements', 'Occlusion']);
    expect(object(batch, 'feat~occlusion-detection~1').section).toEqual([
      'Infusion pump — system requirements',
      'Features',
    ]);
  });

  it('turns Covers and Depends into relations, and reports what it cannot place', async () => {
    const batch = await readOft([dir]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId} @${r.location?.line}`)).toEqual([
      'dsn~occlusion-monitor~1 covers req~stop-on-occlusion~2 @9',
      'dsn~occlusion-monitor~1 covers req~stop-on-occlusion~1 @10',
      'req~stop-on-occlusion~2 covers feat~occlusion-detection~1 @26',
      'req~stop-on-occlusion~2 covers feat~alarms~1 @27',
      'req~stop-on-occlusion~2 depends req~pressure-sampling~1 @30',
    ]);
    expect(
      batch.issues.map(
        (i) => `${i.severity} ${i.code} ${i.location?.file.split('/').pop()}:${i.location?.line}`,
      ),
    ).toEqual([
      'info skipped design.md:14',
      'warning empty-link system_requirements.md:43',
      'warning broken-link design.md:10',
      'warning broken-link system_requirements.md:27',
    ]);
  });
});
