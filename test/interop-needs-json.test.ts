/**
 * sphinx-needs needs.json: the reader (current version, link types and their computed `_back`
 * reverses, external needs, RST content to Markdown) and the writer, round trip included.
 */

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportRecord, ImportBatch } from '../src/interop/model.js';
import { ImportError } from '../src/interop/model.js';
import { readNeedsJson } from '../src/interop/needs-json/read.js';
import { writeNeedsJson } from '../src/interop/needs-json/write.js';

const dir = 'test/fixtures/interop/needs-json';
const file = `${dir}/pump/needs.json`;

const object = (batch: ImportBatch, id: string) => batch.objects.find((o) => o.sourceId === id)!;
const codes = (batch: ImportBatch) => batch.issues.map((i) => `${i.code} ${i.message}`);

describe('readNeedsJson', () => {
  it('reads the needs of the current version, external needs left out', async () => {
    const batch = await readNeedsJson([file]);
    expect(batch.format).toBe('needs-json');
    expect(batch.tool).toBe('sphinx_needs 2.1.0');
    expect(batch.objects.map((o) => o.sourceId)).toEqual([
      'SWR_001',
      'SWR_002',
      'SYS_010',
      'IMPL_001',
      'TC_001',
    ]);
    const swr = object(batch, 'SWR_001');
    expect(swr).toMatchObject({
      type: 'swreq',
      title: 'Stop infusion on occlusion',
      section: ['Software requirements', 'Occlusion'],
      provenance: { status: 'approved' },
      attributes: { safety_class: 'C', tags: ['safety', 'occlusion'] },
      location: { file, line: 19 },
    });
    // Empty extra options and display fields are not attributes.
    expect(Object.keys(swr.attributes).sort()).toEqual(['safety_class', 'tags']);
    expect(swr.text).toBe(
      'The pump **shall** stop the motor within `100 ms` when the downstream\npressure exceeds the occlusion limit.\n\n' +
        '- raise the *high priority* alarm\n- log the event, see [IEC 60601-2-24](https://webstore.iec.ch/publication/5932)',
    );
    expect(object(batch, 'SWR_002').title).toBe('Dosis in µg/kg/min anzeigen');
    expect(object(batch, 'SWR_002').text).toContain('.. note:: Einheiten gemäß ISO 80000.');
    expect(object(batch, 'IMPL_001')).toMatchObject({
      text: 'Polls the pressure sensor at 1 kHz.',
      attributes: { tags: ['firmware', 'rtos'] },
    });
    expect(object(batch, 'IMPL_001').provenance).toBeUndefined();
    expect(object(batch, 'TC_001').text).toBe(
      '1. clamp the line\n1. start infusion at 10 ml/h\n1. check the motor stops',
    );
  });

  it('keeps links and custom link types, never the computed _back options', async () => {
    const batch = await readNeedsJson([file]);
    expect(batch.relations.map((r) => `${r.sourceId} ${r.type} ${r.targetId}`)).toEqual([
      'SWR_001 links SYS_010',
      'SWR_002 links SYS_011',
      'SWR_002 links EXT_HAZ_7',
      'IMPL_001 implements SWR_001',
      // A link to a need part is a link to the need.
      'TC_001 verifies SWR_001',
      'TC_001 verifies SWR_404',
    ]);
    expect(batch.issues.map((i) => [i.severity, i.code])).toEqual([
      ['info', 'approximated'],
      ['info', 'skipped'],
      ['warning', 'broken-link'],
      ['info', 'external-link'],
      ['warning', 'broken-link'],
    ]);
    expect(codes(batch)).toContain(
      'broken-link TC_001 verifies SWR_404: "SWR_404" is not in the files read.',
    );
  });

  it('groups needs by Sphinx document, in line order', async () => {
    const batch = await readNeedsJson([`${dir}/pump`]);
    expect(batch.documents).toEqual([
      { sourceId: 'software/design', objectIds: ['IMPL_001'] },
      { sourceId: 'software/requirements', objectIds: ['SWR_002', 'SWR_001'] },
      { sourceId: 'system/requirements', objectIds: ['SYS_010'] },
      { sourceId: 'verification/tests', objectIds: ['TC_001'] },
    ]);
  });

  it('reads another version when asked', async () => {
    const batch = await readNeedsJson([file], { version: '2.2' });
    expect(batch.objects.map((o) => o.sourceId)).toEqual(['UN_OLD']);
  });

  it('refuses malformed JSON with the file and line, not a stack trace', async () => {
    const error = await readNeedsJson([`${dir}/malformed.json`]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).location).toEqual({ file: `${dir}/malformed.json`, line: 6 });
    expect((error as ImportError).message).toMatch(
      /^test\/fixtures\/interop\/needs-json\/malformed\.json:6: not valid JSON/,
    );
  });

  it('takes link types declared in the file when no _back option shows them', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'needs-'));
    const need = (id: string, extra: object) => ({
      id,
      type: 'req',
      title: id,
      description: '',
      status: '',
      tags: [],
      links: [],
      ...extra,
    });
    await writeFile(
      join(tmp, 'needs.json'),
      JSON.stringify({
        current_version: '',
        versions: {
          '': {
            needs_extra_links: [{ option: 'satisfies', incoming: 'is satisfied by' }],
            needs: { A: need('A', { satisfies: ['B'], owner: 'Zoë' }), B: need('B', {}) },
          },
        },
      }),
    );
    const batch = await readNeedsJson([join(tmp, 'needs.json')]);
    expect(batch.relations).toEqual([
      {
        sourceId: 'A',
        targetId: 'B',
        type: 'satisfies',
        location: { file: join(tmp, 'needs.json'), line: 1 },
      },
    ]);
    expect(batch.objects[0]!.attributes).toEqual({ owner: 'Zoë' });
    expect(batch.issues).toEqual([]);
  });

  it('refuses JSON that is not a needs.json', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'needs-'));
    await writeFile(join(tmp, 'x.json'), '{"needs": {}}');
    await expect(readNeedsJson([join(tmp, 'x.json')])).rejects.toThrow(/not a sphinx-needs needs.json/);
    await expect(readNeedsJson([join(tmp, 'missing.json')])).rejects.toThrow(ImportError);
  });
});

const records: ExportRecord[] = [
  {
    id: 'SRS-002',
    kind: 'software-requirement',
    title: 'Alarm on air in line',
    status: 'draft',
    text: 'The pump shall raise an alarm when `air` is detected:\n\n- stop the motor\n- sound the alarm\n\nSee [the standard](https://example.org/iec).',
    fields: { tags: ['safety'], safetyClass: 'C', owner: 'Ångström team' },
    links: { derivesFrom: ['SYS-001'] },
  },
  {
    id: 'SRS-001',
    kind: 'software-requirement',
    title: 'Stop on occlusion',
    status: 'approved',
    text: 'Stop within 100 ms.\n\n```c\nmotor_stop();\n```',
    fields: { verified: true, risks: ['HAZ-1', 'HAZ-2'] },
    links: { derivesFrom: ['SYS-001', 'SYS-002'], links: ['UN-001'] },
  },
  {
    id: 'TC-001',
    kind: 'test-case',
    title: 'Occlusion test',
    status: 'approved',
    text: '',
    fields: {},
    links: { verifies: ['SRS-001'] },
  },
];

describe('writeNeedsJson', () => {
  const written = writeNeedsJson(records, {
    created: '2026-12-01T00:00:00Z',
    project: 'pump',
    version: '3.0',
  });

  it('writes a deterministic needs.json, needs sorted by id', () => {
    const json = JSON.parse(written);
    expect(json).toMatchObject({ created: '2026-12-01T00:00:00Z', current_version: '3.0', project: 'pump' });
    const version = json.versions['3.0'];
    expect(version.needs_amount).toBe(3);
    expect(Object.keys(version.needs)).toEqual(['SRS-001', 'SRS-002', 'TC-001']);
    expect(version.needs['SRS-001']).toEqual({
      id: 'SRS-001',
      type: 'software-requirement',
      title: 'Stop on occlusion',
      description: 'Stop within 100 ms.\n\n.. code-block:: c\n\n   motor_stop();',
      status: 'approved',
      tags: [],
      links: ['UN-001'],
      derivesFrom: ['SYS-001', 'SYS-002'],
      risks: 'HAZ-1, HAZ-2',
      verified: 'true',
    });
    expect(version.needs['SRS-002'].description).toBe(
      'The pump shall raise an alarm when ``air`` is detected:\n\n- stop the motor\n- sound the alarm\n\nSee `the standard <https://example.org/iec>`__.',
    );
    expect(Object.keys(version.needs_schema.properties)).toEqual(['derivesFrom', 'links', 'verifies']);
    expect(
      writeNeedsJson([...records].reverse(), {
        created: '2026-12-01T00:00:00Z',
        project: 'pump',
        version: '3.0',
      }),
    ).toBe(written);
  });

  it('round-trips through readNeedsJson: ids, titles, texts and relations', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'needs-'));
    await writeFile(join(tmp, 'needs.json'), written);
    const batch = await readNeedsJson([join(tmp, 'needs.json')]);
    expect(batch.issues).toEqual([
      expect.objectContaining({ code: 'broken-link' }),
      expect.objectContaining({ code: 'broken-link' }),
      expect.objectContaining({ code: 'broken-link' }),
      expect.objectContaining({ code: 'broken-link' }),
    ]);
    const byId = new Map(batch.objects.map((o) => [o.sourceId, o]));
    for (const record of records) {
      const read = byId.get(record.id)!;
      expect(read.title).toBe(record.title);
      expect(read.text ?? '').toBe(record.text);
      expect(read.type).toBe(record.kind);
      expect(read.provenance?.status).toBe(record.status);
    }
    const relations = (list: readonly { sourceId: string; type: string; targetId: string }[]) =>
      list.map((r) => `${r.sourceId} ${r.type} ${r.targetId}`).sort();
    expect(relations(batch.relations)).toEqual(
      relations(
        records.flatMap((r) =>
          Object.entries(r.links).flatMap(([type, ts]) =>
            ts.map((t) => ({ sourceId: r.id, type, targetId: t })),
          ),
        ),
      ),
    );
  });
});
