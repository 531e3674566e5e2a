/**
 * sphinx-needs directives read from RST without Sphinx: need types and link options from conf.py,
 * section paths, link options to relations (empty ones reported), bodies to Markdown, and needs
 * quoted in code left alone.
 */
import { describe, expect, it } from 'vitest';
import type { ImportBatch } from '../src/interop/model.js';
import { readSphinxNeedsRst } from '../src/interop/sphinx-needs-rst/read.js';

const dir = 'test/fixtures/interop/sphinx-needs-rst/docs';
const requirements = `${dir}/requirements.rst`;
const tests = `${dir}/tests.rst`;

const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;

describe('readSphinxNeedsRst', () => {
  it('reads every need directive, types from conf.py, in file order', async () => {
    const batch = await readSphinxNeedsRst([dir]);
    expect(batch.format).toBe('sphinx-needs-rst');
    expect(batch.sources).toEqual([requirements, tests]);
    expect(batch.objects.map((o) => `${o.type} ${o.sourceId}`)).toEqual([
      'un UN_001',
      'un UN_002',
      'swreq SWR_001',
      'swreq SWR_002',
      'req REQ_5A450',
      'test TC_001',
    ]);
    expect(batch.documents).toEqual([
      {
        sourceId: requirements,
        title: 'Infusion pump records',
        objectIds: ['UN_001', 'UN_002', 'SWR_001', 'SWR_002', 'REQ_5A450'],
      },
      { sourceId: tests, title: 'Verification', objectIds: ['TC_001'] },
    ]);
  });

  it('gives titles, section paths, status, attributes, lines and Markdown text', async () => {
    const batch = await readSphinxNeedsRst([dir]);
    expect(object(batch, 'UN_001')).toEqual({
      sourceId: 'UN_001',
      type: 'un',
      title: 'Deliver the prescribed volume',
      text: 'The nurse can rely on the pump to deliver the volume that was programmed,\nwithin ±5 %.',
      attributes: { tags: ['therapy', 'accuracy'] },
      section: ['Infusion pump records', 'User needs'],
      provenance: { status: 'approved' },
      location: { file: requirements, line: 8 },
    });
    const swr = object(batch, 'SWR_001');
    expect(swr.section).toEqual(['Infusion pump records', 'Software requirements', 'Occlusion']);
    // `:collapse:` is presentation, not an attribute.
    expect(swr.attributes).toEqual({ tags: ['safety', 'occlusion'], safety_class: 'C' });
    expect(swr.text).toBe(
      'The pump **shall** stop the motor within `100 ms` when the downstream\npressure exceeds the limit:\n\n- raise the *high priority* alarm\n- log the event',
    );
    // Roles sphinx-needs resolves are kept as written.
    expect(object(batch, 'SWR_002').text).toBe('Resuming needs a confirmation, see :need:`SWR_001`.');
    expect(object(batch, 'REQ_5A450')).toMatchObject({
      title: 'Dose rate in µg/kg/min',
      section: ['Infusion pump records', 'Software requirements', 'Dose calculation'],
      text: 'Dose rate (µg/kg/min) = rate (ml/h) × concentration / (weight × 60).',
    });
    const tc = object(batch, 'TC_001');
    expect(tc.section).toEqual(['Verification']);
    expect(tc.text).toBe(
      '1. clamp the line\n1. start infusion at 10 ml/h\n1. check the motor stops\n\nExpected:\n\n```\nmotor state = STOPPED\n```',
    );
  });

  it('turns link options into relations and reports empty, broken and duplicate ones', async () => {
    const batch = await readSphinxNeedsRst([dir]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId} @${r.location?.line}`)).toEqual([
      'SWR_001 derives UN_002 @32',
      'SWR_001 links HAZ_007 @33',
      'REQ_5A450 derives UN_001 @55',
      'REQ_5A450 derives UN_003 @55',
      'TC_001 verifies SWR_001 @8',
    ]);
    expect(
      batch.issues.map(
        (i) => `${i.severity} ${i.code} ${i.location?.file.split('/').pop()}:${i.location?.line}`,
      ),
    ).toEqual([
      'warning empty-link requirements.rst:45',
      'info approximated requirements.rst:53',
      'error duplicate-id requirements.rst:60',
      'warning broken-link requirements.rst:33',
      'warning broken-link requirements.rst:55',
    ]);
    expect(batch.issues[1]!.message).toBe('A req without :id: was given the id REQ_5A450.');
  });

  it('reads only the types it is told about without a conf.py', async () => {
    const batch = await readSphinxNeedsRst([requirements]);
    expect(batch.objects.map((o) => o.sourceId)).toEqual(['REQ_5A450']);
    const custom = await readSphinxNeedsRst([requirements], { needTypes: ['un'], linkTypes: ['derives'] });
    expect(custom.objects.map((o) => o.sourceId)).toEqual(['UN_001', 'UN_002', 'REQ_5A450']);
    expect(custom.relations.map((r) => r.targetId)).toEqual(['UN_001', 'UN_003']);
  });

  it('names a missing path', async () => {
    await expect(readSphinxNeedsRst([`${dir}/missing.rst`])).rejects.toThrow(/missing\.rst: no such file/);
  });
});
