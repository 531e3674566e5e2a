import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIntoProject } from '../src/interop/import.js';
import type { MappingFile } from '../src/interop/mapping.js';
import type { ImportBatch, ImportedObject, ImportedRelation } from '../src/interop/model.js';
import type { ReaderSpec } from '../src/interop/readers.js';
import { check, codes, loadOk, writeProject } from './helpers.js';

const SYS = `---
id: SYS-001
title: Deliver the programmed dose
---

The pump shall deliver the programmed volume within 5 %.
`;

const load = loadOk;

function batchOf(
  objects: readonly ImportedObject[],
  relations: readonly ImportedRelation[] = [],
): ImportBatch {
  return {
    format: 'test',
    tool: 'Tool 1.0',
    sources: ['srs.src'],
    objects,
    relations,
    attachments: [],
    documents: [],
    issues: [],
  };
}

const readerOf = (batch: ImportBatch): ReaderSpec => ({
  format: 'test',
  description: 'test batches',
  read: async () => batch,
});

const MAPPING: MappingFile = {
  kinds: { Requirement: 'software-requirement', 'Test Case': 'test' },
  fields: { Category: 'category' },
  values: { category: { Functional: 'functional', Alarm: 'alarms' } },
};

function requirement(
  id: string,
  title: string,
  text: string,
  extra: Partial<ImportedObject> = {},
): ImportedObject {
  return {
    sourceId: `_${id}`,
    foreignId: id,
    type: 'Requirement',
    title,
    text,
    attributes: { Category: 'Functional', Owner: 'Ana' },
    section: ['Software requirements', 'Delivery'],
    provenance: { status: 'Approved', approvedBy: 'R. Roe', approvedAt: '2026-03-01' },
    location: { file: 'srs.src', line: 10 },
    ...extra,
  };
}

async function run(dir: string, batch: ImportBatch, options: { dryRun?: boolean; date?: string } = {}) {
  return importIntoProject(load(dir), {
    format: 'test',
    files: ['srs.src'],
    into: 'records/imported',
    mapping: MAPPING,
    date: options.date ?? '2026-12-01',
    dryRun: options.dryRun === true,
    reader: readerOf(batch),
  });
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('dossier import: planning and writing', () => {
  const first = batchOf(
    [
      { sourceId: '_h1', type: 'Heading', title: 'Delivery', isHeading: true, attributes: {} },
      requirement('SRS-010', 'Start delivery', 'The pump shall start **delivery** on confirm.'),
      requirement('REQ 7', 'Occlusion alarm', 'Alarm within 30 s.', {
        attributes: { Category: 'Alarm', Tags: 'safety; alarms' },
      }),
      {
        sourceId: '_t1',
        type: 'Test Case',
        title: 'Occlusion test',
        text: 'Block the line; expect the alarm.',
        attributes: {},
      },
      { sourceId: '_x', type: 'Mystery', title: 'What is this', attributes: {} },
    ],
    [
      { sourceId: '_SRS-010', targetId: 'SYS-001', type: 'parent' },
      { sourceId: '_t1', targetId: '_REQ 7', type: 'verifies' },
      { sourceId: '_REQ 7', targetId: 'ext-999', type: 'parent', location: { file: 'srs.src', line: 40 } },
      { sourceId: '_SRS-010', targetId: '_t1', type: 'parent' },
    ],
  );

  it('creates one draft record per object, keeps the source id where it is a valid id, and reports what it could not place', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    const outcome = await run(dir, first);
    const created = outcome.plan.actions.filter((a) => a.kind === 'create').map((a) => a.record.id);
    // SRS-010 keeps its id; "REQ 7" is not an SRS id, so it gets the next free one.
    expect(created).toEqual(['SRS-010', 'SRS-011', 'TC-001']);
    expect(outcome.plan.skipped.map((s) => s.object.sourceId)).toEqual(['_h1', '_x']);
    expect(outcome.written).toContain('records/imported/SRS-010.md');

    const srs = read(dir, 'records/imported/SRS-010.md');
    expect(srs).toMatch(/^status: draft$/m);
    expect(srs).toMatch(/^category: functional$/m);
    expect(srs).toContain('The pump shall start **delivery** on confirm.');
    // The source tool's approval is provenance, not a Dossier approval.
    expect(srs).toMatch(/approvedBy: R\. Roe/);
    expect(srs).toMatch(/Owner: Ana/);

    const project = load(dir);
    const byId = new Map(project.records.map((r) => [r.id, r]));
    expect(byId.get('SRS-010')!.links.derivesFrom).toEqual(['SYS-001']);
    expect(byId.get('TC-001')!.links.verifies).toEqual(['SRS-011']);
    expect(byId.get('SRS-011')!.tags).toEqual(['safety', 'alarms']);
    expect(byId.get('SRS-011')!.fields.category).toBe('alarms');
    const imported = byId.get('SRS-011')!.fields.imported as Record<string, unknown>;
    expect(imported.section).toEqual(['Software requirements', 'Delivery']);
    // The link to something neither imported nor in the project is kept, and reported.
    expect(imported.unresolvedLinks).toEqual([{ type: 'parent', target: 'ext-999' }]);
    // A requirement cannot derive from a test: kept and reported, not written.
    expect((byId.get('SRS-010')!.fields.imported as Record<string, unknown>).unresolvedLinks).toEqual([
      { type: 'parent', target: '_t1' },
    ]);
    const messages = outcome.plan.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/type "Mystery" have no Dossier kind/);
    expect(messages).toMatch(/ext-999, which is neither in the source nor a record/);
    expect(messages).toMatch(
      /"parent" links from a software-requirement to a test: no Dossier link joins these kinds/,
    );
    expect(messages).toMatch(/attribute "Owner" has no Dossier field/);
    // Every imported file loads; what the source did not say (a test's level) is what check reports.
    const found = check(dir).filter((d) => d.code.startsWith('schema/') || d.code.startsWith('load/'));
    expect(found.map((d) => `${d.recordId} ${d.code} ${d.message}`)).toEqual([
      'TC-001 schema/missing-field required field `level` is missing',
    ]);
  });

  it('a source id already taken by a record of the project gets a free id, and says so', async () => {
    const dir = writeProject({
      'records/sys/SYS-001.md': SYS,
      'records/srs/SRS-010.md': '---\nid: SRS-010\ntitle: Written here\ncategory: functional\n---\n\nMine.\n',
    });
    const outcome = await run(dir, batchOf([requirement('SRS-010', 'Start delivery', 'From the source.')]));
    const created = outcome.plan.actions.find((a) => a.kind === 'create');
    expect(created?.kind === 'create' && created.record.id).toBe('SRS-011');
    expect(outcome.plan.issues.map((i) => i.message)).toContain(
      '"SRS-010" is not a free SRS-NUMBER id; the record got SRS-011 (the source id stays in imported.id)',
    );
    expect(fs.readFileSync(path.join(dir, 'records/srs/SRS-010.md'), 'utf8')).toContain('Mine.');
  });

  it('says which stage a long import is in', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    const stages: string[] = [];
    await importIntoProject(load(dir), {
      format: 'test',
      files: ['srs.src'],
      into: 'records/imported',
      mapping: MAPPING,
      date: '2026-12-01',
      dryRun: false,
      reader: readerOf(first),
      onStage: (stage, detail) => stages.push(`${stage}: ${detail}`),
    });
    expect(stages).toEqual(['read: reading srs.src', 'plan: planning 5 objects', 'write: writing 3 files']);
  });

  it('a dry run plans the same and writes nothing', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    const outcome = await run(dir, first, { dryRun: true });
    expect(outcome.plan.actions.filter((a) => a.kind === 'create')).toHaveLength(3);
    expect(outcome.written).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'records/imported'))).toBe(false);
  });

  it('importing the same source again changes nothing', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    await run(dir, first);
    const before = read(dir, 'records/imported/SRS-011.md');
    const again = await run(dir, first, { date: '2026-12-05' });
    expect(again.plan.actions.map((a) => a.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.written).toEqual([]);
    expect(read(dir, 'records/imported/SRS-011.md')).toBe(before);
  });

  it('updates what the source changed, keeps what people added, and never overwrites a person’s change', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    await run(dir, first);
    // A person edits SRS-011's text and adds a field and a comment to SRS-010's front matter.
    const file011 = path.join(dir, 'records/imported/SRS-011.md');
    fs.writeFileSync(
      file011,
      read(dir, 'records/imported/SRS-011.md').replace('Alarm within 30 s.', 'Alarm within 20 s.'),
    );
    const file010 = path.join(dir, 'records/imported/SRS-010.md');
    fs.writeFileSync(
      file010,
      read(dir, 'records/imported/SRS-010.md').replace(
        'status: draft\n',
        'status: draft\n# reviewed with QA\nriskControl: false\n',
      ),
    );
    // The source changes both.
    const changed = batchOf(
      first.objects.map((o) =>
        o.sourceId === '_SRS-010'
          ? { ...o, text: 'The pump shall start delivery only after confirmation.' }
          : o.sourceId === '_REQ 7'
            ? { ...o, text: 'Alarm within 25 s.' }
            : o,
      ),
      first.relations,
    );
    const outcome = await run(dir, changed, { date: '2026-12-06' });
    const byId = new Map(
      outcome.plan.actions.map((a) => [a.kind === 'create' ? a.record.id : a.existing.id, a.kind]),
    );
    expect(byId.get('SRS-010')).toBe('update');
    expect(byId.get('SRS-011')).toBe('conflict');
    expect(byId.get('TC-001')).toBe('unchanged');

    const srs010 = read(dir, 'records/imported/SRS-010.md');
    expect(srs010).toContain('The pump shall start delivery only after confirmation.');
    expect(srs010).toContain('# reviewed with QA');
    expect(srs010).toMatch(/^riskControl: false$/m);
    expect(srs010).toMatch(/date: 2026-12-06/);
    // The person's text stays; the source's is not written over it.
    expect(read(dir, 'records/imported/SRS-011.md')).toContain('Alarm within 20 s.');
  });

  it('a record that is no longer a draft is not updated, and an object gone from the source is reported, not deleted', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    await run(dir, first);
    const file = path.join(dir, 'records/imported/SRS-010.md');
    fs.writeFileSync(
      file,
      read(dir, 'records/imported/SRS-010.md').replace('status: draft', 'status: approved'),
    );
    const next = batchOf(
      first.objects
        .filter((o) => o.sourceId !== '_t1')
        .map((o) => (o.sourceId === '_SRS-010' ? { ...o, title: 'Start delivery on confirm' } : o)),
      first.relations.filter((r) => r.sourceId !== '_t1'),
    );
    const outcome = await run(dir, next);
    const conflict = outcome.plan.actions.find((a) => a.kind === 'conflict');
    expect(conflict?.kind === 'conflict' && conflict.reason).toMatch(/is approved in Dossier/);
    expect(outcome.plan.gone.map((r) => r.id)).toEqual(['TC-001']);
    expect(fs.existsSync(path.join(dir, 'records/imported/TC-001.md'))).toBe(true);
    expect(read(dir, 'records/imported/SRS-010.md')).toMatch(/^title: Start delivery$/m);
  });

  it('a changed source value that the field cannot take is kept in imported.attributes and reported', async () => {
    const dir = writeProject({ 'records/sys/SYS-001.md': SYS });
    const odd = batchOf([requirement('SRS-001', 'Odd', 'Text.', { attributes: { Category: 'Sideways' } })]);
    const outcome = await run(dir, odd);
    expect(outcome.plan.issues.map((i) => i.message).join('\n')).toMatch(
      /"Category" values such as "Sideways" are not valid for the software-requirement field `category`/,
    );
    const record = load(dir).records.find((r) => r.id === 'SRS-001')!;
    expect((record.fields.imported as { attributes: Record<string, unknown> }).attributes).toEqual({
      Category: 'Sideways',
    });
    // The missing category is what `check` reports, as for any requirement without one.
    expect(codes(check(dir))).toContain('schema/missing-field');
  });
});
