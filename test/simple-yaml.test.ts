// The fast YAML reader (src/load/simple-yaml.ts) must give exactly what js-yaml gives with the core
// schema, or decline. Checked on hand-written cases, on every YAML text of the examples, and on
// thousands of generated and mutated texts; and parseYaml must say the same with it as without it.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseYaml, splitFrontMatter } from '../src/load/read-file.js';
import { DECLINED, parseSimpleYaml } from '../src/load/simple-yaml.js';
import { pickOne, seededRandom } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** js-yaml's reading, or the error it throws. */
function reference(text: string): { value?: unknown; error?: string } {
  try {
    return { value: yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false }) };
  } catch (error) {
    return { error: String(error) };
  }
}

/** The property every text must have: declined, or read exactly as js-yaml reads it. */
function expectAgrees(text: string): 'read' | 'declined' {
  const fast = parseSimpleYaml(text);
  if (fast === DECLINED) return 'declined';
  const ref = reference(text);
  if (ref.error !== undefined) throw new Error(`read a text js-yaml rejects:\n${text}\n${ref.error}`);
  // Node's deep equality (types, prototypes, -0), and key order: vitest's toStrictEqual compares
  // `constructor` properties, so it calls two equal mappings with a key `constructor` different.
  if (!isDeepStrictEqual(fast, ref.value) || !isDeepStrictEqual(entries(fast), entries(ref.value)))
    throw new Error(
      `read differently from js-yaml:\n${JSON.stringify(text)}\nfast: ${JSON.stringify(fast)}\njs-yaml: ${JSON.stringify(ref.value)}`,
    );
  return 'read';
}

/** The value with every mapping written as its list of entries, so that key order counts. */
function entries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(entries);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).map(([key, item]) => [key, entries(item)]);
  return value;
}

describe('parseSimpleYaml', () => {
  it('reads the forms records are written in, as js-yaml does', () => {
    const read = [
      'id: SRS-001\ntitle: Stop the pump\nstatus: approved\n',
      'derivesFrom: [SYS-1, SYS-2]\nverifies: []\nempty: [ ]\n',
      'tags:\n  - release-2\n  - cybersecurity\n',
      'tags:\n- a\n- b\nnext: 1\n',
      'revision: "0.1"\nquote: \'it works\'\nplain: It\'s "fine"\n',
      'n: 0\nm: 42\nbig: 123456789012345\nday: 2026-09-01\nversion: 0.1.0\nrc: 1.2.3-rc.1\nlong: 1.2.3.4\n',
      'a: null\nb: Null\nc: NULL\nd: true\ne: True\nf: FALSE\ng: yes\nh: on\ni: tRue\n',
      'a:\nb:   \nc: x\n',
      'criteria:\n  a:\n    met: true\n    note: fine\n  b:\n    met: false\n',
      'kind: hazard\nrecords:\n  - id: HAZ-1\n    title: One\n    causes:\n      - a\n      - b\n  - id: HAZ-2\n    title: Two\n',
      '- id: A-1\n  title: x\n- id: A-2\n',
      '-   spaced\n- b\n',
      '- k:\n  - in a compact mapping\n',
      '# a comment\nid: X-1\n',
      'a: 1\n\n   \n# comment\n  # indented comment\nb: 2',
      'url: http://example.com/a?b=c\nhash: a#b\nbrackets: x [y] {z}\ncommas: a, b\nstar: a*b\n',
      'nbsp: a\u00a0\nsep: a\u2028b\nunicode: x é à 漢字\n',
      'stamp: SRS-07793 fp1:2d66417f2a23943b692182ed5201e67e2c8d7b572ed2a66b4efa7d2e70ed9135 2026-09-01 Bench Reviewer\n',
      'flow: [a b, c,d , e]\nints: [1, 22, x]\n',
      'results:\n  - { test: TC-1, outcome: passed }\n  - {test: TC-2,outcome: failed}\n  - {}\n  - { }\n',
      'snake_case: 1\nkebab-case: 2\n_lead: 3\n',
      'constructor: 1\ntoString: x\nhasOwnProperty: [a]\nvalueOf: {length: c}\n',
      '-  a: 1\n   b:\n   - c\n   d: 2\n',
    ];
    for (const text of read) expect(expectAgrees(text), text).toBe('read');
  });

  it('declines what it does not know for certain, and js-yaml reads it', () => {
    const declined = [
      '',
      '# only a comment\n',
      'a: 1\r\nb: 2\r\n',
      'a:\t1\n',
      'text: |\n  block\n',
      'text: >-\n  folded\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: {b: -1}\n',
      'a: {b}\n',
      'a: {b: }\n',
      'a: {b: 1, b: 2}\n',
      'a: {b: [1]}\n',
      'a: {b: {c: 1}}\n',
      'a: {b: c, }\n',
      'a: {"b": c}\n',
      'a: {b:c}\n',
      'a: {b: c} # x\n',
      'a: "esc\\"aped"\n',
      "a: 'it''s'\n",
      'a: "two\n  lines"\n',
      'a: plain\n  continued\n',
      'a: b # comment\n',
      'a: "q" # comment\n',
      'a: 007\n',
      'a: 1.5\n',
      'a: -1\n',
      'a: +1\n',
      'a: 0x1F\n',
      'a: 1e3\n',
      'a: .inf\n',
      'a: ~\n',
      'a: 1234567890123456\n',
      'a: a: b\n',
      'a: Note:\n',
      'a: [x: 1]\n',
      'a: [a, , b]\n',
      'a: [a, b,]\n',
      'a: [[1]]\n',
      'a: ["q"]\n',
      'a: [a,\n  b]\n',
      '"quoted": 1\n',
      '1: one\n',
      'a b: 1\n',
      'a : 1\n',
      '<<: {b: 1}\n',
      '__proto__: 1\n',
      '---\na: 1\n',
      '%YAML 1.2\n---\na: 1\n',
      '  a: 1\n',
      'a: 1\n  b: 2\n',
      '- a\n  b\n',
      '-\n  a: 1\n',
      '- - a\n',
      '? a\n: b\n',
      'a: \ufeffx\n',
      'a: x\u0085y\n',
      'a: 😀\n',
      '- é\n',
      'a: .5\n',
      'a: -x\n',
      // js-yaml reads these keys as null or a boolean, then writes them in lower case.
      'True: 1\n',
      'NULL: 1\n',
      'a: {False: x}\n',
      '- Null: x\n',
    ];
    for (const text of declined) expect(parseSimpleYaml(text), JSON.stringify(text)).toBe(DECLINED);
  });

  it('declines a duplicate key, which js-yaml reports', () => {
    const text = 'a: 1\nb: 2\na: 3\n';
    expect(parseSimpleYaml(text)).toBe(DECLINED);
    expect(reference(text).error).toMatch(/duplicated mapping key/);
  });

  it('declines keys that are null or boolean words, which js-yaml writes in lower case', () => {
    expect(reference('True: 1\nNULL: 2\n').value).toStrictEqual({ true: 1, null: 2 });
    expect(reference('a: {False: x}\n').value).toStrictEqual({ a: { false: 'x' } });
    // So `true:` and `True:` are the same key to js-yaml, which refuses the text.
    for (const text of ['true: 1\nTrue: 2\n', 'null: 1\nNull: 2\n', 'a: {false: 1, FALSE: 2}\n']) {
      expect(reference(text).error, text).toMatch(/duplicated mapping key/);
      expect(parseSimpleYaml(text), text).toBe(DECLINED);
    }
  });

  it("declines nesting near js-yaml's depth limit, and any depth without running out of stack", () => {
    const nested = (depth: number, step: (level: number) => string) =>
      `${Array.from({ length: depth }, (_, level) => step(level)).join('\n')} [x]\n`;
    const mappings = (level: number) => `${' '.repeat(level)}a:`;
    const listsOfMappings = (level: number) => `${' '.repeat(level * 2)}- a:`;
    // Nested as records never are, but js-yaml reads it: the reader may read or decline it.
    expect(expectAgrees(nested(40, mappings))).toBe('read');
    // 99 mappings, a list and its item are 101 nodes: more than js-yaml's maxDepth of 100.
    for (const text of [nested(99, mappings), nested(50, listsOfMappings)]) {
      expect(reference(text).error).toMatch(/nesting exceeded maxDepth/);
      expect(parseSimpleYaml(text)).toBe(DECLINED);
    }
    // Deep enough to overflow the stack of a reader that recursed without a limit.
    const deep = nested(6000, mappings);
    expect(parseSimpleYaml(deep)).toBe(DECLINED);
    expect(parseYaml(deep, 'records/deep.yaml').finding?.code).toBe('load/yaml-syntax');
  });

  it('agrees with js-yaml on every YAML text of the bundled examples', () => {
    const texts: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml'))
          texts.push(fs.readFileSync(full, 'utf8'));
        else if (entry.name.endsWith('.md')) {
          const split = splitFrontMatter(fs.readFileSync(full, 'utf8'));
          if (split.ok) texts.push(split.yaml);
        }
      }
    };
    walk(path.join(ROOT, 'examples'));
    expect(texts.length).toBeGreaterThan(200);
    const outcomes = texts.map(expectAgrees);
    // Most record files are plain: the reader must take them, or it saves nothing.
    expect(outcomes.filter((o) => o === 'read').length).toBeGreaterThan(texts.length / 2);
  });

  it('agrees with js-yaml on generated texts and their mutations', () => {
    const random = seededRandom(0x5eed);
    const counts = { read: 0, declined: 0 };
    for (let n = 0; n < 6000; n++) {
      const text = generatedDocument(random);
      counts[expectAgrees(text)]++;
      for (let m = 0; m < 4; m++) counts[expectAgrees(mutated(text, random))]++;
    }
    // Both ways are exercised: plenty read (so the comparison means something) and plenty declined.
    expect(counts.read).toBeGreaterThan(5000);
    expect(counts.declined).toBeGreaterThan(5000);
  });
});

describe('parseYaml with the fast reader', () => {
  it('gives the same value and the same finding as js-yaml alone', () => {
    const texts = [
      'id: SRS-001\ntitle: x\n',
      'a: 1\na: 2\n',
      'a: [b\n',
      'a:\n  - x\n - y\n',
      'a: &x [1]\nb: *x\n',
    ];
    for (const text of texts) {
      const ref = reference(text);
      const parsed = parseYaml(text, 'records/x.md', 1);
      if (ref.error !== undefined) {
        expect(parsed.finding?.code).toBe('load/yaml-syntax');
        expect(parsed.value).toBeUndefined();
      } else {
        expect(parsed.finding).toBeUndefined();
        expect(parsed.value).toStrictEqual(ref.value);
      }
    }
  });
});

// Scalars the reader takes, and scalars on the borders of the core schema and of the reader's part of
// YAML; most of a generated text is of the first kind, so that many texts are read.
const PLAIN_SCALARS = [
  'x',
  'SRS-001',
  'Stop the pump',
  'null',
  'Null',
  'nULL',
  'true',
  'TRUE',
  'tRUE',
  'yes',
  'No',
  '0',
  '7',
  '2026-09-01',
  '0.1.0',
  '10.20.30+build.5',
  'a:b',
  'a#b',
  'It\'s "quoted"',
  '"dq"',
  "'sq'",
  '[a, b]',
  '[a,b]',
  '[ ]',
  '{ test: TC-1, outcome: passed }',
  '{a: 1,b: x y}',
  '{}',
  'Infinity',
  'NaN',
  '123456789012345',
  'x é',
  'a\u00a0',
];
const BORDER_SCALARS = [
  '~',
  '007',
  '-3',
  '+4',
  '1.5',
  '.5',
  '1e3',
  '0x1f',
  '0o17',
  '1_000',
  '.inf',
  '.NaN',
  '2026-9-1',
  '1.2',
  '1.2.',
  '1..2',
  '1.2.3_4',
  '1.2e3',
  '12:30',
  'a: b',
  'a #b',
  '"d\\"q"',
  "'s''q'",
  '[x: 1]',
  '{a: 1}',
  '{a: b, a: c}',
  '{a}',
  '{a:b}',
  '&a x',
  '*a',
  '!tag x',
  '|',
  '>',
  '- x',
  '-x',
  '?',
  '@x',
  '`x`',
  '%x',
  'é',
  '1234567890123456',
];
const scalar = (random: () => number) =>
  random() < 0.06 ? pickOne(random, BORDER_SCALARS) : pickOne(random, PLAIN_SCALARS);
const PLAIN_KEYS = ['id', 'title', 'a', 'b', 'c', 'p1', 'snake_case', 'kebab-case', '_x'];
const key = (random: () => number) =>
  random() < 0.03
    ? pickOne(random, ['1', 'a b', '"q"', '<<', 'True', 'true', 'NULL', 'False', 'constructor', 'toString'])
    : pickOne(random, PLAIN_KEYS);

function generatedDocument(random: () => number): string {
  const lines: string[] = [];
  const block = (indent: number, depth: number, asList: boolean) => {
    const pad = ' '.repeat(indent);
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const prefix = asList ? `${pad}- ` : `${pad}${key(random)}:`;
      const r = random();
      if (depth < 3 && r < 0.25) {
        if (asList && random() < 0.5) {
          // `- key: value` and the rest of that mapping two columns in.
          lines.push(`${prefix}${key(random)}: ${scalar(random)}`);
          block(indent + 2, depth + 1, false);
        } else {
          lines.push(asList ? `${pad}-` : prefix);
          const deeper = random() < 0.2 && !asList ? indent : indent + 1 + Math.floor(random() * 3);
          block(deeper, depth + 1, random() < 0.5);
        }
      } else if (r < 0.3) {
        lines.push(
          `${prefix}${asList ? '' : ' '}[${Array.from({ length: Math.floor(random() * 4) }, () => scalar(random)).join(pickOne(random, [', ', ',', ' , ']))}]`,
        );
      } else if (r < 0.33) {
        lines.push(asList ? prefix : prefix);
      } else {
        lines.push(
          `${prefix}${asList ? '' : pickOne(random, [' ', '  ', ' '])}${scalar(random)}${pickOne(random, ['', '', '', '', '', ' ', ' # c'])}`,
        );
      }
      if (random() < 0.1) lines.push(pickOne(random, ['', '   ', '# note', `${pad}  # note`]));
    }
  };
  block(0, 0, random() < 0.2);
  return `${lines.join('\n')}${random() < 0.8 ? '\n' : ''}`;
}

const MUTATION_CHARACTERS = [
  ' ',
  '  ',
  '-',
  ':',
  '#',
  '"',
  "'",
  '[',
  ']',
  ',',
  '\n',
  '\t',
  '\r',
  '|',
  '&',
  '*',
  '0',
  'a',
];

function mutated(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 4)) {
    case 0:
      return text.slice(0, at) + pickOne(random, MUTATION_CHARACTERS) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + pickOne(random, MUTATION_CHARACTERS) + text.slice(at + 1);
    default: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[Math.floor(random() * lines.length)]!);
      return lines.join('\n');
    }
  }
}
