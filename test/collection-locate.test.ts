/**
 * Locating a value in one record of a collection parses that record alone (src/load/collection-items.ts).
 * It must give the position the whole-file parse gives, for every value of every record, whatever
 * the layout: a `records:` mapping or a bare list, any indentation, comments, CRLF, block scalars
 * and nested lists whose lines start with `-`, and keys after the list. Where the lines cannot be
 * split into as many entries as the loader read, the whole file is parsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValuePath } from '../src/diagnostics/diagnostic.js';
import { itemOffsets } from '../src/load/collection-items.js';
import { readCollection } from '../src/load/read-file.js';
import { locate, type SourceFile } from '../src/load/source.js';

/** Every path to a value (and to each key) inside a parsed YAML value. */
function pathsOf(value: unknown, base: ValuePath): { path: ValuePath; atKey: boolean }[] {
  const out = [{ path: base, atKey: false }];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...base, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: [...base, k], atKey: true }, ...pathsOf(v, [...base, k]));
    }
  }
  return out;
}

/** Positions by the per-record parse and by the whole-file parse, for every path in the file. */
function compare(text: string) {
  const read = readCollection('c.yaml', text);
  expect(read.failure).toBeUndefined();
  const listed = read.source!;
  expect(listed.entries).toBeDefined();
  const whole: SourceFile = { path: listed.path, yaml: listed.yaml, yamlLine: listed.yamlLine };
  for (const raw of read.records) {
    for (const { path, atKey } of pathsOf(raw.data, raw.path)) {
      for (const k of atKey ? [true, false] : [false]) {
        expect(locate(listed, path, k), `${JSON.stringify(path)} atKey=${k}`).toEqual(locate(whole, path, k));
      }
    }
    // A path that goes past what exists stops at the deepest node, in both.
    expect(locate(listed, [...raw.path, 'no-such-field'])).toEqual(
      locate(whole, [...raw.path, 'no-such-field']),
    );
  }
}

const tricky = `# SOUP
kind: soup
records:
  # first
  - id: SOUP-001
    title: "zlib"
    notes: |
      - not an entry: a block scalar line
      - another
    list:
    - a
    - b
  -   id: SOUP-002
      title: >-
        folded
        - text
      nested: [1, 2,
        3]

  - id: SOUP-003
    title: 'quoted
      over lines'
`;

describe('locating inside one record of a collection', () => {
  it('gives the positions of the whole-file parse in a tricky collection', () => {
    compare(tricky);
    compare(tricky.replace(/\n/g, '\r\n'));
    compare(`${tricky}extra: 1\n`);
  });

  it('handles a list at the margin under records:, and a bare list', () => {
    compare('records:\n- id: SRS-001\n  title: a\n- id: SRS-002\n  title: b\nkind: software-requirement\n');
    compare('---\n- id: SRS-001\n  title: a\n-\n  id: SRS-002\n  title: b\n...\n');
  });

  it('matches the whole-file parse for generated collections', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.constantFrom('- dash', '-', '# hash', 'a: b', 'multi\nline\n- x', '  lead', '---', '...'),
    );
    const record = fc.record({
      title: scalar,
      text: scalar,
      list: fc.array(scalar, { maxLength: 3 }),
      map: fc.dictionary(fc.constantFrom('x', 'y', '10', '9'), scalar, { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 4 }),
        fc.nat(4),
        fc.boolean(),
        fc.boolean(),
        (records, indent, keyed, crlf) => {
          const pad = ' '.repeat(indent);
          const entries = records.map((r, i) => {
            const member = ([k, v]: [string, unknown]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`;
            const { text: body, ...rest } = r;
            const lines = [member(['id', `SRS-${i + 1}`]), ...Object.entries(rest).map(member)];
            // The text as a literal block scalar, whose lines may start with "-" or "#".
            const block = String(body)
              .split('\n')
              .map((l) => `${pad}    x${l}`);
            lines.push(`text: |-\n${block.join('\n')}`);
            return `${pad}- ${lines[0]}\n${lines
              .slice(1)
              .map((l) => `${pad}  ${l}`)
              .join('\n')}`;
          });
          let text = keyed ? `records:\n${entries.join('\n')}\n` : `${entries.join('\n')}\n`;
          if (crlf) text = text.replace(/\n/g, '\r\n');
          const read = readCollection('c.yaml', text);
          if (read.failure || read.records.length !== records.length) return; // not a collection we made
          compare(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('declines a split that does not give as many entries as were read', () => {
    expect(itemOffsets('records: [{id: SRS-001}]\n', true, 1)).toBeUndefined();
    expect(itemOffsets('records:\n  - id: SRS-001\n  - id: SRS-002\n', true, 3)).toBeUndefined();
    expect(itemOffsets('- id: SRS-001\nkey: 1\n', false, 1)).toBeUndefined();
    const split = itemOffsets('records:\n  - id: SRS-001\n  - id: SRS-002\nkind: x\n', true, 2);
    expect(split?.lines).toEqual([1, 2]);
    // A flow collection under records: still locates (through the whole file).
    compare('records: [{id: SRS-001, title: a}, {id: SRS-002, title: b}]\n');
  });
});
