// The quick check of the record schemas (src/model/schema-quick-check.ts) may only say "passes" for a
// value zod passes. Compared with zod on hand-written values of every schema type it compiles, on
// every record of the bundled examples, and on thousands of mutations of them; and it must say yes to
// the valid records, or it saves nothing.
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadProject } from '../src/load/project.js';
import { valueAt } from '../src/model/schema-paths.js';
import { quickCheckOf } from '../src/model/schema-quick-check.js';
import { schemaCache } from '../src/model/schemas.js';
import { calendarDateSchema } from '../src/util/calendar-date.js';
import { pickOne, seededRandom } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Quick yes implies zod yes; returns the quick answer. */
function expectSound(schema: z.ZodType, value: unknown): boolean {
  const quick = quickCheckOf(schema)(value);
  if (quick && !schema.safeParse(value).success)
    throw new Error(`quick check passed what zod refuses: ${JSON.stringify(value)}`);
  return quick;
}

describe('quickCheckOf', () => {
  const schema = z.strictObject({
    id: z.string().min(1),
    title: z.string().min(2).max(5).optional(),
    code: z
      .string()
      .regex(/^[A-Z]+$/)
      .optional(),
    exact: z.string().length(3).optional(),
    count: z.number().int().nonnegative().optional(),
    ratio: z.number().positive().lt(1).optional(),
    amount: z.number().optional(),
    flag: z.boolean().nullable().optional(),
    level: z.enum(['low', 'high']).optional(),
    kind: z.literal('k').optional(),
    link: z.union([z.string(), z.array(z.string())]).optional(),
    list: z.array(z.string()).min(1).optional(),
    nested: z.strictObject({ a: z.string() }).optional(),
    loose: z.looseObject({ a: z.string() }).optional(),
    stripped: z.object({ a: z.string() }).optional(),
    refined: z
      .string()
      .refine((s) => s !== 'bad')
      .optional(),
    anything: z.unknown().optional(),
    withDefault: z.string().default('d'),
    date: calendarDateSchema().optional(),
    email: z.email().optional(),
  });

  it('says yes to values zod passes, in every compiled form', () => {
    const passing = [
      { id: 'X', withDefault: 'w' },
      { id: 'X' },
      {
        id: 'X',
        title: 'ab',
        code: 'ABC',
        exact: 'abc',
        count: 0,
        ratio: 0.5,
        flag: null,
        level: 'high',
        kind: 'k',
        link: ['A-1'],
        list: ['x'],
        nested: { a: 'b' },
        loose: { a: 'b', other: 1 },
        stripped: { a: 'b', other: 1 },
        anything: { any: ['thing'] },
      },
      { id: 'X', flag: true, link: 'A-1', count: 12, ratio: 0.999, amount: -2.5 },
      Object.assign(Object.create(null), { id: 'X' }),
    ];
    for (const value of passing) expect(expectSound(schema, value), JSON.stringify(value)).toBe(true);
  });

  it('says no to values zod refuses', () => {
    const refused = [
      {},
      null,
      [],
      'X',
      { id: '' },
      { id: 1 },
      { id: 'X', unknown: 1 },
      { id: 'X', title: 'a' },
      { id: 'X', title: 'abcdef' },
      { id: 'X', code: 'abc' },
      { id: 'X', exact: 'ab' },
      { id: 'X', count: -1 },
      { id: 'X', count: 1.5 },
      { id: 'X', count: Number.NaN },
      { id: 'X', ratio: 0 },
      { id: 'X', ratio: 1 },
      { id: 'X', ratio: Number.POSITIVE_INFINITY },
      { id: 'X', amount: Number.NaN },
      { id: 'X', amount: Number.NEGATIVE_INFINITY },
      { id: 'X', amount: '1' },
      { id: 'X', flag: 'yes' },
      { id: 'X', level: 'mid' },
      { id: 'X', kind: 'j' },
      { id: 'X', link: 1 },
      { id: 'X', link: ['A', 1] },
      { id: 'X', list: [] },
      { id: 'X', nested: { a: 'b', c: 1 } },
      { id: 'X', nested: [] },
      { id: 'X', loose: { a: 1 } },
      { id: 'X', stripped: { other: 1 } },
      { id: 'X', refined: 'bad' },
      { id: 'X', date: '2026-02-30' },
      { id: 'X', email: 'not an address' },
      { id: 'X', withDefault: 1 },
    ];
    for (const value of refused) {
      expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);
      expect(quickCheckOf(schema)(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('hands refinements and unknown formats to zod, whose answer it gives', () => {
    expect(expectSound(schema, { id: 'X', refined: 'good' })).toBe(true);
    expect(expectSound(schema, { id: 'X', date: '2026-02-28' })).toBe(true);
    expect(expectSound(schema, { id: 'X', email: 'a@example.com' })).toBe(true);
  });

  it('says no where JavaScript lets zod see what the check would not', () => {
    enum Native {
      A = 0,
      B = 1,
    }
    const hidden = { id: 'X' } as Record<string, unknown>;
    Object.defineProperty(hidden, 'title', { value: 5, enumerable: false });
    const sym = Symbol('s');
    const cases: [z.ZodType, unknown][] = [
      // Zod reads `value[key]`, present when `key in value`: an absent `toString` is Object's method.
      [z.strictObject({ id: z.string(), toString: z.string().optional() }), { id: 'X' }],
      [z.object({ constructor: z.string().optional() }), {}],
      [schema, hidden],
      // A hole in a sparse array is an undefined item to zod.
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case
      [z.array(z.string()), [, 'a']],
      // A native enum's entries hold the reverse mapping, which zod does not allow.
      [z.enum(Native), 'A'],
      // exactOptional has the definition of optional but refuses undefined.
      [z.string().exactOptional(), undefined],
      [z.strictObject({ a: z.string().exactOptional() }), { a: undefined }],
      [z.strictObject({ a: z.string(), [sym]: z.string() }), { a: 'x' }],
    ];
    for (const [caseSchema, value] of cases) {
      expect(caseSchema.safeParse(value).success, String(value)).toBe(false);
      expect(quickCheckOf(caseSchema)(value), String(value)).toBe(false);
    }
  });

  it('agrees with zod on records of a kind with custom fields named like Object methods', () => {
    const loaded = loadProject(path.join(ROOT, 'examples', 'infusion-pump'), {
      parallel: { minFiles: Infinity },
    });
    if (!loaded.ok) throw new Error('example did not load');
    const custom = { toString: { type: 'string' }, constructor: { type: 'string-list' } } as const;
    const schemaFor = schemaCache({ customFields: { 'software-requirement': custom } } as never);
    const plain = schemaCache(loaded.project.config);
    let compared = 0;
    for (const record of loaded.project.records) {
      if (record.kind !== 'software-requirement') continue;
      const values = rawValues(record.origin.source.yaml, record.origin.path);
      if (values === undefined || !quickCheckOf(plain(record.kind))(values)) continue;
      // Zod reads the inherited methods as the fields' values and refuses them; so must the check.
      expect(schemaFor(record.kind).safeParse(values).success).toBe(false);
      expect(quickCheckOf(schemaFor(record.kind))(values)).toBe(false);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('agrees with zod on every example record and on mutations of them', () => {
    const random = seededRandom(62304);
    let records = 0;
    let quickYes = 0;
    let mutations = 0;
    for (const example of ['infusion-pump', 'label-printing', 'recovery']) {
      const loaded = loadProject(path.join(ROOT, 'examples', example), { parallel: { minFiles: Infinity } });
      if (!loaded.ok) throw new Error(`example ${example} did not load`);
      const schemaFor = schemaCache(loaded.project.config);
      for (const record of loaded.project.records) {
        const values = rawValues(record.origin.source.yaml, record.origin.path);
        if (values === undefined) continue;
        const recordSchema = schemaFor(record.kind);
        records++;
        if (expectSound(recordSchema, values)) quickYes++;
        for (let n = 0; n < 12; n++) {
          expectSound(recordSchema, mutated(values, random));
          mutations++;
        }
      }
    }
    expect(records).toBeGreaterThan(300);
    expect(mutations).toBe(records * 12);
    // Nearly every valid record is passed quickly (the rest, with refined fields such as dates, by zod).
    expect(quickYes / records).toBeGreaterThan(0.9);
  });
});

/** A record's fields as the validator sees them: its YAML value, without a Markdown record's text. */
function rawValues(yamlText: string, at: readonly (string | number)[]): Record<string, unknown> | undefined {
  const value = valueAt(yaml.load(yamlText, { schema: yaml.CORE_SCHEMA }), at);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { ...(value as Record<string, unknown>) };
}

const REPLACEMENTS: readonly unknown[] = [
  '',
  ' ',
  'x',
  'SRS-001',
  '2026-02-30',
  '2026-01-01',
  0,
  -1,
  1.5,
  Number.NaN,
  true,
  null,
  [],
  ['x'],
  ['x', 1],
  [{}],
  {},
  { a: 1 },
  'approved',
  'passed',
  'unknown-value',
];

/** The value with one change somewhere inside it: a key removed, added, or a value replaced. */
function mutated(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length > 0 && random() < 0.7) {
      const i = Math.floor(random() * copy.length);
      copy[i] = random() < 0.5 ? mutated(copy[i], random) : pickOne(random, REPLACEMENTS);
    } else copy.push(pickOne(random, REPLACEMENTS));
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const r = random();
    if (keys.length > 0 && r < 0.2) delete copy[pickOne(random, keys)];
    else if (r < 0.3)
      copy[pickOne(random, ['extra', 'titel', 'text', 'kind', 'status'])] = pickOne(random, REPLACEMENTS);
    else if (keys.length > 0) {
      const key = pickOne(random, keys);
      copy[key] = random() < 0.5 ? mutated(copy[key], random) : pickOne(random, REPLACEMENTS);
    }
    return copy;
  }
  return pickOne(random, REPLACEMENTS);
}
