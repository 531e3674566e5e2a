/**
 * sphinx-needs directives read from RST without Sphinx: need types and link options from conf.py,
 * section paths, link options to relations (empty ones reported), bodies to Markdown, and needs
 * quoted in code left alone.
 */
import { describe, expect, it } from 'vitest';
import type { ImportBatch } from '../src/interop/model.js';
import { rstToMarkdown } from '../src/interop/rst/markdown.js';
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
      'test TS_001',
      'test TC_002',
    ]);
    expect(batch.documents).toEqual([
      {
        sourceId: requirements,
        title: 'Infusion pump records',
        objectIds: ['UN_001', 'UN_002', 'SWR_001', 'SWR_002', 'REQ_5A450'],
      },
      { sourceId: tests, title: 'Verification', objectIds: ['TC_001', 'TS_001', 'TC_002'] },
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
      'TC_002 verifies SWR_001 @32',
      'TC_002 parent_needs TS_001 @30',
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

  it('reads a need nested in another as its child, its text cut out of the parent', async () => {
    const batch = await readSphinxNeedsRst([dir]);
    expect(object(batch, 'TS_001')).toMatchObject({
      text: 'Runs every alarm test.\n\nReported in the verification report.',
      location: { file: tests, line: 25 },
    });
    expect(object(batch, 'TC_002')).toMatchObject({
      title: 'Alarm volume',
      text: 'Measure the tone at 1 m.',
      section: ['Verification'],
      location: { file: tests, line: 30 },
    });
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

describe('rstToMarkdown, shared by every RST-based reader', () => {
  const md = (rst: string) => rstToMarkdown(rst);

  it('converts inline markup; roles and named references stay as written', () => {
    expect(md('*em*, **strong**, ``x = `y` ``, `cite`, :need:`REQ_1`, `name`_').markdown).toBe(
      '*em*, **strong**, `` x = `y` ``, *cite*, :need:`REQ_1`, `name`_',
    );
    expect(
      md('see `IEC <https://iec.ch>`_, `anon <https://a.example>`__ and `<https://b.example>`_').markdown,
    ).toBe('see [IEC](https://iec.ch), [anon](https://a.example) and <https://b.example>');
  });

  it('converts bullet and enumerated lists, nested ones included', () => {
    expect(md('* a\n\n  - nested\n\n+ b\n\n#. one\n#. two\n\n3) three\n(4) four').markdown).toBe(
      '- a\n\n  - nested\n\n- b\n\n1. one\n1. two\n\n3. three\n4. four',
    );
  });

  it('keeps paragraphs of a list item in the item, not as quotes', () => {
    expect(md('* item\n\n  more of it\n\n  and more\n\nAfter.\n\n   Quoted.').markdown).toBe(
      '- item\n\n  more of it\n\n  and more\n\nAfter.\n\n> Quoted.',
    );
  });

  it('turns literal blocks and code-blocks into fences, block quotes into quotes', () => {
    expect(md('Run::\n\n   make\n   make test\n\nAfter.').markdown).toBe(
      'Run:\n\n```\nmake\nmake test\n```\n\nAfter.',
    );
    expect(md('Text\n\n::\n\n   raw\n').markdown).toBe('Text\n\n\n```\nraw\n```');
    expect(md('.. code-block:: python\n\n   print(1)\n').markdown).toBe('```python\nprint(1)\n```');
    expect(md('Said:\n\n   Quoted *text*.').markdown).toBe('Said:\n\n> Quoted *text*.');
  });

  it('reports what it changes with a loss; lossless conversions and unknown constructs are not reported', () => {
    expect(md('Plain *text* with a list:\n\n* one\n\n.. note:: kept verbatim').approximations).toEqual([]);
    expect(md('.. note:: kept verbatim').markdown).toBe('.. note:: kept verbatim');
    const heading = md('Limits\n------\n\nText.');
    expect(heading).toEqual({
      markdown: '**Limits**\n\nText.',
      approximations: ['heading inside the text kept as a bold line'],
    });
    const table = md('+---+---+\n| a | b |\n+---+---+');
    expect(table.markdown).toBe('```text\n+---+---+\n| a | b |\n+---+---+\n```');
    expect(table.approximations).toEqual(['table kept as preformatted text']);
    expect(md('.. code-block:: c\n   :linenos:\n\n   x();').approximations).toEqual([
      'code-block options left out',
    ]);
  });

  it('escapes text Markdown would read as a heading or a quote', () => {
    expect(md('# of pumps\n> 5 ml').markdown).toBe('\\# of pumps\n\\> 5 ml');
  });
});
