/**
 * Properties of the ReqIF writer and reader over generated records: whatever the text, ids and
 * titles, the export passes the structural check (well-formed XML, XHTML of ReqIF's modules only,
 * NCName identifiers), and reading it back gives the same ids, titles (whitespace normalised),
 * Markdown (as rendered) and relations.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { type ExportRecord, ImportError } from '../src/interop/model.js';
import { readReqif } from '../src/interop/reqif/read.js';
import { writeReqif } from '../src/interop/reqif/write.js';
import { reqifStructureProblems } from './reqif-structure.js';

const AT = '2026-03-01T12:00:00Z';
const XHTML_DTD = '/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml11-20101123/xhtml11.dtd';
const render = new MarkdownIt('commonmark', { html: false }).enable(['table', 'strikethrough']);

const word = fc.constantFrom(
  'pump',
  'shall',
  'alarm',
  '5 %',
  'x*y',
  'a_b',
  '#1',
  '<tag>',
  'A & B',
  'C|D',
  'back\\slash',
  '"quoted"',
  'naïve',
  '1.',
  '-',
  '~~',
  '[x]',
);
const phrase = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(' '));
const inline = fc.oneof(
  phrase,
  phrase.map((p) => `*${p.replace(/[*_\\]/g, '')}*`),
  phrase.map((p) => `**${p.replace(/[*_\\]/g, '')}**`),
  phrase.map((p) => `\`${p.replace(/`/g, '')}\``),
  phrase.map((p) => `[${p.replace(/[[\]\\]/g, '')}](https://example.org/a_b?c=1&d=2)`),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
const block = fc.oneof(
  paragraph,
  paragraph.map((p) => `# ${p}`),
  fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `- ${i}`).join('\n')),
  fc
    .tuple(paragraph, fc.array(paragraph, { minLength: 1, maxLength: 2 }))
    .map(([item, nested]) => `1. ${item}\n   - ${nested.join('\n   - ')}`),
  fc
    .array(fc.tuple(phrase, phrase), { minLength: 1, maxLength: 3 })
    .map((rows) =>
      [
        '| H1 | H2 |',
        '| --- | --- |',
        ...rows.map(([a, b]) => `| ${a.replace(/\|/g, '\\|')} | ${b.replace(/\|/g, '\\|')} |`),
      ].join('\n'),
    ),
  paragraph.map((p) => `> ${p}`),
  phrase.map((p) => `\`\`\`\n${p}\n\`\`\``),
);
const markdown = fc.array(block, { minLength: 0, maxLength: 4 }).map((blocks) => blocks.join('\n\n'));

const records = fc
  .uniqueArray(
    fc.string({ minLength: 1, maxLength: 12 }).filter((id) => id.trim() === id),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          kind: fc.constantFrom('software-requirement', 'system requirement', 'hazard'),
          title: fc.string({ maxLength: 20 }),
          status: fc.constantFrom('draft', 'approved'),
          text: markdown,
          fields: fc.constant({}),
          links: fc.subarray(ids).map((targets) => (targets.length > 0 ? { traces_to: targets } : {})),
        }),
      ),
    ),
  ) as fc.Arbitrary<ExportRecord[]>;

describe('writeReqif properties', () => {
  it('any string as text, title or id gives a structurally valid export', () => {
    const values: string[] = [];
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 1 }), (text, id) => {
        const xml = writeReqif(
          [
            {
              id,
              kind: `k ${id}`,
              title: text,
              status: text,
              text,
              fields: { [text || 'f']: text },
              links: { [id]: [id] },
            },
          ],
          { creationTime: AT },
        );
        expect(reqifStructureProblems(xml)).toEqual([]);
        for (const m of xml.matchAll(/<THE-VALUE>([\s\S]*?)<\/THE-VALUE>/g)) values.push(m[1] ?? '');
      }),
      { numRuns: 200 },
    );
    // And all of their XHTML against the W3C XHTML 1.1 DTD, where xmllint and Debian's copy are installed.
    if (!existsSync(XHTML_DTD) || spawnSync('xmllint', ['--version']).status !== 0) {
      console.warn(`SKIPPED: XHTML 1.1 DTD check of generated values (needs xmllint and ${XHTML_DTD})`);
      return;
    }
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dossier-reqif-dtd-')), 'values.xhtml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "${XHTML_DTD}">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>v</title></head><body>${values.join('\n').replace(/xhtml:/g, '')}</body></html>`,
    );
    const run = spawnSync('xmllint', ['--noout', '--valid', '--nonet', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
  });

  it('round-trips ids, titles, Markdown and relations', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dossier-reqif-prop-'));
    await fc.assert(
      fc.asyncProperty(records, fc.constantFrom('standard', 'doors' as const), async (input, dialect) => {
        const file = path.join(dir, 'roundtrip.reqif');
        writeFileSync(file, writeReqif(input, { creationTime: AT, dialect }));
        const batch = await readReqif([file]);
        const objects = batch.objects.filter((o) => !o.isHeading);
        const byId = new Map(objects.map((o) => [o.foreignId, o]));
        expect(objects.length).toBe(input.length);
        for (const record of input) {
          const object = byId.get(record.id);
          expect(object?.title ?? '').toBe(record.title.replace(/\s+/g, ' ').trim());
          expect(render.render(object?.text ?? ''), record.text).toBe(render.render(record.text));
        }
        const sourceToId = new Map(batch.objects.map((o) => [o.sourceId, o.foreignId]));
        const relations = batch.relations
          .map((r) => `${sourceToId.get(r.sourceId)}→${sourceToId.get(r.targetId)}`)
          .sort();
        const expected = input.flatMap((r) => (r.links.traces_to ?? []).map((t) => `${r.id}→${t}`)).sort();
        expect(relations).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('reads damaged files to an ImportError or a batch, never another exception', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dossier-reqif-fuzz-'));
    const original = readFileSync(
      path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/reqif/awkward.reqif'),
      'utf8',
    );
    const damaged = fc.oneof(
      fc.nat({ max: original.length }).map((at) => original.slice(0, at)),
      fc
        .tuple(
          fc.nat({ max: original.length - 1 }),
          fc.constantFrom('<', '>', '"', '&', '/', '', 'x', '<xhtml:p>'),
        )
        .map(([at, c]) => original.slice(0, at) + c + original.slice(at + 1)),
      fc.string({ unit: 'binary' }),
    );
    await fc.assert(
      fc.asyncProperty(damaged, async (text) => {
        const file = path.join(dir, 'damaged.reqif');
        writeFileSync(file, text);
        try {
          const batch = await readReqif([file]);
          expect(Array.isArray(batch.objects)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ImportError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
