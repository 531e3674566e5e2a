/**
 * The fp1 fingerprint (src/model/fingerprint.ts, docs/format.md#fingerprints) covers a record's
 * content and nothing about how it is written down. Records are generated, written out in many
 * ways and read back with the loader's own readers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { readRecordText } from '../src/load/read-file.js';
import { recordValidator } from '../src/load/validate-record.js';
import { canonicalContent, canonicalContentJson, fingerprint } from '../src/model/fingerprint.js';
import type { DossierRecord } from '../src/model/record.js';
import { canonicalJson } from '../src/util/canonical-json.js';
import { makeRecord, starterProject } from './helpers.js';

const loaded = loadProject(starterProject());
if (!loaded.ok) throw new Error('starter project must load');
const validator = recordValidator(loaded.project.config);

type Value = string | boolean | readonly string[] | readonly Readonly<Record<string, string>>[];

/** A software item as data: what the fingerprint must see, whatever the file looks like. */
interface Model {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly tags: readonly string[];
  /** Markdown text without trailing white space (the part of the text the content is). */
  readonly text: string;
  /** Fields and links in one map, as written in a file. */
  readonly values: Readonly<Record<string, Value>>;
}

// ---- generators -----------------------------------------------------------------------------

const WORDS = [
  'rate',
  'Occlusion',
  'µs',
  '≤',
  '5',
  'mL/h',
  'alarm',
  'Détecteur',
  '(SPI)',
  'filter',
  'x',
  '10%',
  'e.g.',
  '"quoted"',
  "it's",
  'a-b',
  '[x]',
  'key:',
  '#1',
];
const word = fc.constantFrom(...WORDS);
/** One line of words separated by single spaces (no leading or trailing white space). */
const line = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((l) => l.join('\n'));
const markdown = fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((p) => p.join('\n\n'));
const ids = (prefix: string) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 })
    .map((ns) => ns.map((n) => `${prefix}-${String(n).padStart(3, '0')}`));

const cause = fc.record({
  situation: fc.constantFrom('HS-001', 'HS-002'),
  category: fc.constantFrom('defect', 'specification', 'hardware'),
  description: line,
});

const model: fc.Arbitrary<Model> = fc
  .record({
    n: fc.integer({ min: 1, max: 999 }),
    title: line,
    status: fc.constantFrom('draft', 'in-review', 'approved'),
    tags: fc.uniqueArray(fc.constantFrom('safety', 'ui', 'timing', 'v2'), { maxLength: 3 }),
    text: markdown,
    itemType: fc.constantFrom('item', 'unit'),
    safetyClass: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }),
    interfaces: fc.option(paragraph, { nil: undefined }),
    design: fc.option(markdown, { nil: undefined }),
    sourceFiles: fc.option(
      fc.uniqueArray(fc.constantFrom('src/a/**', 'src/b.c', 'lib/*.h'), { minLength: 1 }),
      {
        nil: undefined,
      },
    ),
    causes: fc.option(fc.array(cause, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    noContribution: fc.option(line, { nil: undefined }),
    implements: fc.option(ids('SRS'), { nil: undefined }),
    uses: fc.option(ids('SOUP'), { nil: undefined }),
  })
  .map(({ n, title, status, tags, text, ...rest }) => {
    const values: Record<string, Value> = { itemType: rest.itemType, partOf: 'SI-001' };
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) values[key] = value as Value;
    return { id: `SI-${String(n).padStart(3, '0')}`, title, status, tags, text, values };
  });

/** How one record is written down: everything here must leave the fingerprint unchanged. */
interface Style {
  readonly markdown: boolean;
  readonly crlf: boolean;
  /** Seed for the key order. */
  readonly order: number;
  readonly comments: boolean;
  /** Per scalar: 0 plain where safe, 1 double-quoted, 2 single-quoted, 3 block. */
  readonly quoting: readonly number[];
  readonly flowLists: boolean;
  readonly partOfAsList: boolean;
  readonly blankLineAfterFrontMatter: boolean;
  readonly trailingNewlines: number;
  readonly otherRecordFirst: boolean;
}

const style: fc.Arbitrary<Style> = fc.record({
  markdown: fc.boolean(),
  crlf: fc.boolean(),
  order: fc.nat(),
  comments: fc.boolean(),
  quoting: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }),
  flowLists: fc.boolean(),
  partOfAsList: fc.boolean(),
  blankLineAfterFrontMatter: fc.boolean(),
  trailingNewlines: fc.integer({ min: 0, max: 2 }),
  otherRecordFirst: fc.boolean(),
});

// ---- writing a model down -------------------------------------------------------------------

const PLAIN_SAFE = /^[A-Za-z(][A-Za-z0-9 ().,/%µ≤é'-]*[A-Za-z0-9).]$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|[-+]?\d)/i;

/** A string scalar at `indent`, in the requested style where that style can hold it. */
function scalar(value: string, quoting: number, indent: string): string {
  const multiLine = value.includes('\n');
  if (quoting === 3 || (multiLine && quoting !== 1)) {
    return `|-\n${value
      .split('\n')
      .map((l) => (l === '' ? '' : `${indent}  ${l}`))
      .join('\n')}`;
  }
  if (quoting === 2 && !multiLine) return `'${value.replace(/'/g, "''")}'`;
  if (
    quoting === 0 &&
    PLAIN_SAFE.test(value) &&
    !RESERVED.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #')
  )
    return value;
  return JSON.stringify(value);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The front matter or collection entry of a record: `key: value` lines at `indent`. */
function yamlEntries(entries: readonly [string, Value][], s: Style, indent: string): string[] {
  const lines: string[] = [];
  let q = 0;
  const nextQuoting = () => s.quoting[q++ % s.quoting.length]!;
  for (const [key, value] of entries) {
    if (s.comments && q % 3 === 0) lines.push(`${indent}# about ${key}: kept out of the content`);
    if (typeof value === 'boolean') {
      lines.push(`${indent}${key}: ${value}`);
    } else if (typeof value === 'string') {
      const written =
        key === 'partOf' && s.partOfAsList ? `[${value}]` : scalar(value, nextQuoting(), indent);
      const comment = s.comments && !written.startsWith('|') ? ' # a comment' : '';
      lines.push(`${indent}${key}: ${written}${comment}`);
    } else if (value.length > 0 && typeof value[0] === 'object') {
      lines.push(`${indent}${key}:`);
      for (const item of value as readonly Record<string, string>[]) {
        const inner = Object.entries(item).map(
          ([k, v]) => `${k}: ${scalar(v, nextQuoting(), `${indent}    `)}`,
        );
        lines.push(`${indent}  - ${inner[0]}`, ...inner.slice(1).map((l) => `${indent}    ${l}`));
      }
    } else if (s.flowLists) {
      lines.push(
        `${indent}${key}: [${(value as readonly string[]).map((v) => JSON.stringify(v)).join(', ')}]`,
      );
    } else {
      lines.push(
        `${indent}${key}:`,
        ...(value as readonly string[]).map((v) => `${indent}  - ${scalar(v, nextQuoting(), `${indent}  `)}`),
      );
    }
  }
  return lines;
}

/** The record as a file: a Markdown record or a collection; returns its path and text. */
function write(m: Model, s: Style): { rel: string; text: string } {
  const common: [string, Value][] = [
    ['title', m.title],
    ['status', m.status],
    ...(m.tags.length > 0 ? [['tags', m.tags] as [string, Value]] : []),
  ];
  const entries = shuffled([...common, ...Object.entries(m.values)], s.order);
  const body = m.text + '\n'.repeat(s.trailingNewlines);
  let text: string;
  let rel: string;
  if (s.markdown) {
    rel = `records/${m.id}.md`;
    const front = [`id: ${m.id}`, ...yamlEntries(entries, s, '')];
    text = `---\n${front.join('\n')}\n---\n${s.blankLineAfterFrontMatter ? '\n' : ''}${body}`;
  } else {
    rel = 'records/items.yaml';
    const withText = shuffled([...entries, ['text', m.text] as [string, Value]], s.order + 1);
    const lines = yamlEntries(withText, s, '    ');
    // An id the generated records never take (they are SI-001 to SI-999).
    const other = '  - id: SI-1000\n    title: Another item\n    itemType: item\n';
    text = `${s.comments ? '# items of the architecture\n' : ''}kind: software-item\nrecords:\n${s.otherRecordFirst ? other : ''}  - id: ${m.id}\n${lines.join('\n')}\n`;
  }
  return { rel, text: s.crlf ? text.replace(/\n/g, '\r\n') : text };
}

/** Reads the file back with the loader's readers and validator. */
function read(m: Model, s: Style): DossierRecord {
  const { rel, text } = write(m, s);
  const result = readRecordText(rel, text);
  if (result.failure) throw new Error(`did not load: ${result.failure.finding.message}\n${text}`);
  const records = result.records.map((raw) => validator.validate(raw));
  const found = records.find((r) => r.record?.id === m.id);
  if (!found?.record)
    throw new Error(`no record ${m.id}: ${JSON.stringify(records.flatMap((r) => r.findings))}\n${text}`);
  return found.record;
}

const PLAIN: Style = {
  markdown: true,
  crlf: false,
  order: 0,
  comments: false,
  quoting: Array(16).fill(1),
  flowLists: true,
  partOfAsList: false,
  blankLineAfterFrontMatter: false,
  trailingNewlines: 1,
  otherRecordFirst: false,
};

// ---- properties ------------------------------------------------------------------------------

describe('fp1 fingerprints', () => {
  it('are fp1: and 64 lower-case hex digits, and do not depend on the id or the origin', () => {
    const a = makeRecord('SRS-001', 'software-requirement', { category: 'alarms' });
    expect(fingerprint(a)).toMatch(/^fp1:[0-9a-f]{64}$/);
    const elsewhere = { ...a, id: 'SRS-002', origin: { ...a.origin, path: [3] } };
    expect(fingerprint(elsewhere)).toBe(fingerprint(a));
  });

  it('hash the canonical JSON of the canonical content, written directly or through the object', () => {
    fc.assert(
      fc.property(model, style, (m, s1) => {
        const a = read(m, s1);
        expect(canonicalContentJson(a)).toBe(canonicalJson(canonicalContent(a)));
      }),
      { numRuns: 300 },
    );
    const odd = makeRecord('SRS-001', 'software-requirement', {
      category: 'alarms',
      approvedBy: 'Q. A.',
      nested: { b: [1, undefined, 'x'], a: { '10': 1, '9': 2 } },
      gone: undefined,
    });
    expect(canonicalContentJson(odd)).toBe(canonicalJson(canonicalContent(odd)));
  });

  it('do not change with key order, comments, quoting, line endings, or Markdown file versus collection', () => {
    fc.assert(
      fc.property(model, style, style, (m, s1, s2) => {
        const a = read(m, s1);
        const b = read(m, s2);
        expect(canonicalContent(b)).toEqual(canonicalContent(a));
        expect(fingerprint(b)).toBe(fingerprint(a));
      }),
      { numRuns: 300 },
    );
  });

  it('do not change with the status: approving a record does not change what was approved', () => {
    fc.assert(
      fc.property(
        model,
        style,
        fc.constantFrom('draft', 'in-review', 'approved', 'obsolete'),
        (m, s, status) => {
          expect(fingerprint(read({ ...m, status }, s))).toBe(fingerprint(read(m, s)));
        },
      ),
      { numRuns: 100 },
    );
  });

  /** Each way to change the content of a record, applied to a model. */
  const mutations: { name: string; apply: (m: Model) => Model }[] = [
    { name: 'title', apply: (m) => ({ ...m, title: `${m.title} revised` }) },
    { name: 'a tag added', apply: (m) => ({ ...m, tags: [...m.tags, 'reviewed-change'] }) },
    { name: 'a tag removed', apply: (m) => ({ ...m, tags: m.tags.length > 0 ? m.tags.slice(1) : ['new'] }) },
    {
      name: 'text: a word',
      apply: (m) => ({
        ...m,
        text:
          m.text.replace(/\S+/, 'changed') === m.text ? `${m.text} more` : m.text.replace(/\S+/, 'changed'),
      }),
    },
    { name: 'text: a paragraph break', apply: (m) => ({ ...m, text: `${m.text}\n\nAnother paragraph.` }) },
    {
      name: 'text: inner white space',
      apply: (m) => ({
        ...m,
        text: m.text.replace(' ', '  ') === m.text ? `${m.text} x` : m.text.replace(' ', '  '),
      }),
    },
    {
      name: 'a field value',
      apply: (m) => ({
        ...m,
        values: { ...m.values, interfaces: `${String(m.values.interfaces ?? '')} SPI2` },
      }),
    },
    {
      name: 'an enumerated field',
      apply: (m) => ({
        ...m,
        values: { ...m.values, itemType: m.values.itemType === 'unit' ? 'item' : 'unit' },
      }),
    },
    {
      name: 'a field added',
      apply: (m) => ({
        ...m,
        values: {
          ...m.values,
          design: m.values.design ? `${m.values.design as string} Revised.` : 'A design.',
        },
      }),
    },
    {
      name: 'a field removed',
      apply: (m) => {
        const { safetyClass, ...rest } = m.values;
        return { ...m, values: safetyClass === undefined ? { ...rest, safetyClass: 'B' } : rest };
      },
    },
    {
      name: 'a nested value',
      apply: (m) => ({
        ...m,
        values: {
          ...m.values,
          causes: [
            { situation: 'HS-003', category: 'defect', description: 'x' },
            ...((m.values.causes as Record<string, string>[] | undefined) ?? []),
          ],
        },
      }),
    },
    { name: 'a link target', apply: (m) => ({ ...m, values: { ...m.values, partOf: 'SI-002' } }) },
    {
      name: 'a link added',
      apply: (m) => ({
        ...m,
        values: {
          ...m.values,
          implements: [...((m.values.implements as string[] | undefined) ?? []), 'SRS-099'],
        },
      }),
    },
    {
      name: 'a link removed',
      apply: (m) => {
        const list = (m.values.implements as string[] | undefined) ?? [];
        const { implements: _, ...rest } = m.values;
        return {
          ...m,
          values:
            list.length > 1
              ? { ...rest, implements: list.slice(1) }
              : list.length === 1
                ? rest
                : { ...rest, implements: ['SRS-001'] },
        };
      },
    },
  ];

  it.each(mutations)('change with $name', ({ apply }) => {
    fc.assert(
      fc.property(model, style, style, (m, s1, s2) => {
        const changed = apply(m);
        expect(fingerprint(read(changed, s2))).not.toBe(fingerprint(read(m, s1)));
      }),
      { numRuns: 60 },
    );
  });

  it('the order of link targets and tags is not content; the order of other lists is', () => {
    fc.assert(
      fc.property(model, (m) => {
        const implementsList = (m.values.implements as string[] | undefined) ?? ['SRS-001', 'SRS-002'];
        const reordered: Model = {
          ...m,
          tags: [...m.tags].reverse(),
          values: { ...m.values, implements: [...implementsList].reverse() },
        };
        const base: Model = { ...m, values: { ...m.values, implements: implementsList } };
        expect(fingerprint(read(reordered, PLAIN))).toBe(fingerprint(read(base, PLAIN)));
      }),
      { numRuns: 50 },
    );
    const files = (list: string[]) =>
      fingerprint(
        read(
          {
            id: 'SI-010',
            title: 'T',
            status: 'draft',
            tags: [],
            text: 'x',
            values: { itemType: 'unit', partOf: 'SI-001', sourceFiles: list },
          },
          PLAIN,
        ),
      );
    expect(files(['a.c', 'b.c'])).not.toBe(files(['b.c', 'a.c']));
  });
});

/**
 * A second, plainly written canonical JSON: entries sorted with `<`, joined by hand. (A sorted copy
 * passed to JSON.stringify would not do: JavaScript puts integer-like keys such as "10" first
 * whatever the insertion order.)
 */
function referenceCanonicalJson(value: unknown): string | undefined {
  const skip = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  const write = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((x) => (skip(x) ? 'null' : write(x))).join(',')}]`;
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => !skip(x))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`).join(',')}}`;
  };
  return skip(value) ? JSON.stringify(value) : write(value);
}

describe('canonical JSON', () => {
  it('sorts every key by UTF-16 code unit, integer-like keys too, and drops what JSON cannot hold', () => {
    expect(canonicalJson({ b: 1, '10': 2, '9': 3, '"': 4, a: [undefined, { d: undefined, c: 5 }] })).toBe(
      '{"\\"":4,"10":2,"9":3,"a":[null,{"c":5}],"b":1}',
    );
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { numRuns: 1000 },
    );
    for (const value of [
      [undefined, () => 1],
      { a: undefined, b: () => 1, c: [Symbol('s')] },
      -0,
      Number.NaN,
    ])
      expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });
});
