// The fast path to a top-level field's position (src/load/quick-locate.ts) must give exactly what
// the `yaml` package's syntax tree gives (locateByParse), or nothing: checked on every top-level field
// of every file of the bundled projects, on hand-written tricky front matter, and on generated text.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { itemOffsets } from '../src/load/collection-items.js';
import { loadProject } from '../src/load/project.js';
import { positionOf, quickEntryPosition, quickTopLevelOffset } from '../src/load/quick-locate.js';
import { locate, locateByParse, type SourceFile } from '../src/load/source.js';
import { seededRandom } from './helpers.js';

const source = (text: string): SourceFile => ({ path: 'x.md', yaml: text, yamlLine: 1 });

/** The fast answer as a position, or undefined when it gives none. */
function quick(src: SourceFile, key: string | undefined, atKey: boolean) {
  const offset = quickTopLevelOffset(src.yaml, key, atKey);
  if (offset === undefined) return undefined;
  const pos = positionOf(src.yaml, offset);
  return { line: pos.line + src.yamlLine, column: pos.col };
}

/** Every top-level key of the text (when it reads as a mapping), plus one that is not there. */
function keysOf(text: string): string[] {
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    return ['missing'];
  }
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  return [...keys, 'no-such-field'];
}

/** Compares the two ways for the root and each key; returns how many answers the fast way gave. */
function compareAll(src: SourceFile): number {
  let answered = 0;
  for (const key of [undefined, ...keysOf(src.yaml)]) {
    for (const atKey of [false, true]) {
      const fast = quick(src, key, atKey);
      if (fast === undefined) continue;
      answered++;
      expect(fast, `${src.path} ${key ?? '(root)'} atKey=${atKey}`).toEqual(
        locateByParse(src, key === undefined ? [] : [key], atKey),
      );
    }
  }
  return answered;
}

describe('quick top-level positions', () => {
  it.each(['examples/infusion-pump', 'examples/recovery', 'validation'])(
    'equal the syntax tree on every top-level field of %s, and answer for most Markdown records',
    (dir) => {
      const loaded = loadProject(dir);
      if (!loaded.ok) throw new Error(`${dir} did not load`);
      let markdownFields = 0;
      let answered = 0;
      for (const src of loaded.project.sources.values()) {
        // A fresh copy: locateByParse keeps its tree per source object.
        const copy = { ...src };
        const n = compareAll(copy);
        if (src.path.endsWith('.md')) {
          markdownFields += 2 * keysOf(src.yaml).length;
          answered += n;
        }
      }
      expect(markdownFields).toBeGreaterThan(50);
      // The fast path is what serves diagnostics on Markdown records: it must answer nearly always.
      expect(answered / markdownFields).toBeGreaterThan(0.8);
    },
  );

  const TRICKY: Record<string, string> = {
    'comment first': '# a comment\nid: SRS-1\ntitle: T\n',
    'blank lines and comments between': 'id: SRS-1\n\n# note\n\ntitle: T # trailing\n',
    crlf: 'id: SRS-1\r\ntitle: T\r\nstatus: draft\r\n',
    'quoted values': 'id: "SRS-1"\ntitle: \'it\'\'s\'\nnote: "a: b # not a comment"\n',
    'flow list and map': 'verifies: [SRS-1, SRS-2]\nmeta: {a: 1}\nid: TC-1\n',
    'multi-line flow list': 'verifies: [SRS-1,\n  SRS-2]\nid: TC-1\n',
    'multi-line quoted text whose next line looks like a key': 'title: "first\nid: fake"\nid: SRS-1\n',
    'multi-line single-quoted text': "title: 'a\n  b'\nid: SRS-1\n",
    'block list value': 'verifies:\n  - SRS-1\n  - SRS-2\nid: TC-1\n',
    'block list at column 0': 'verifies:\n- SRS-1\n- SRS-2\nid: TC-1\n',
    'block scalar': 'text: |\n  line one\n  id: inside\nid: SRS-1\n',
    'folded scalar with indicator': 'text: >2\n   x\nid: SRS-1\n',
    'empty value': 'title:\nid: SRS-1\n',
    'value on the next line': 'title:\n  Long title\nid: SRS-1\n',
    'comment after the colon': 'title: # later\n  T\nid: SRS-1\n',
    'anchors, aliases and tags': 'a: &x 1\nb: *x\nc: !!str 2\nid: SRS-1\n',
    'duplicate keys': 'id: SRS-1\nid: SRS-2\n',
    'quoted key': '"id": SRS-1\ntitle: T\n',
    'explicit key': '? id\n: SRS-1\n',
    'key with a dot': 'a.b: 1\nid: SRS-1\n',
    'colon without space': 'id:SRS-1\ntitle: T\n',
    'document end marker': 'id: SRS-1\n...\n',
    directive: '%YAML 1.2\n---\nid: SRS-1\n',
    tab: 'id:\tSRS-1\n',
    'plain multi-line value': 'title: a\n  b\nid: SRS-1\n',
    'indented mapping': '  id: SRS-1\n  title: T\n',
    'a list at the root': '- id: SRS-1\n',
    'scalar root': 'just text\n',
    empty: '',
    'only comments': '# nothing\n',
    'unicode before': 'title: Überprüfung – ✓\nid: SRS-1\n',
    'special first characters': 'a: -1\nb: ?x\nc: :x\nd: @x\ne: `x\nf: %x\nid: SRS-1\n',
    'no final newline': 'title: T\nid: SRS-1',
  };

  it.each(Object.entries(TRICKY))('equal the syntax tree or say nothing: %s', (_name, text) => {
    compareAll(source(text));
  });

  it('answers for the shapes diagnostics point at most', () => {
    const src = source('id: SRS-1\ntitle: T\nverifies: [SRS-2]\nstatus: approved\n');
    expect(quick(src, 'status', false)).toEqual({ line: 5, column: 9 });
    expect(quick(src, 'verifies', true)).toEqual({ line: 4, column: 1 });
    expect(quick(src, undefined, false)).toEqual({ line: 2, column: 1 });
    // And says nothing where a later line could be mistaken for a key.
    expect(quick(source('title: "a\nid: b"\nid: SRS-1\n'), 'id', false)).toBeUndefined();
  });

  it('equals the syntax tree on generated front matter', () => {
    const random = seededRandom(62304);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const keys = ['id', 'title', 'status', 'verifies', 'text', 'note', 'a-b', 'x_y'];
    const values = [
      ' SRS-1',
      ' "quoted: text"',
      " 'single'",
      ' [A, B]',
      ' {k: v}',
      '',
      ' # comment',
      ' &a 1',
      ' *a',
      ' |',
      ' >-',
      ' "open',
      ' [open,',
      ' plain # comment',
      ' -1',
      ' ~',
    ];
    const continuations = ['  - item', '  more', '  key: v', 'close"', '  close]', '', '# comment', '- x'];
    let compared = 0;
    for (let n = 0; n < 400; n++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(random() * 6);
      for (let i = 0; i < count; i++) {
        lines.push(`${pick(keys)}:${pick(values)}`);
        if (random() < 0.35) lines.push(pick(continuations));
      }
      const text = `${lines.join(random() < 0.2 ? '\r\n' : '\n')}\n`;
      // Only texts that read as YAML: a file that does not parse has no positions to look up.
      try {
        yaml.load(text, { schema: yaml.CORE_SCHEMA });
      } catch {
        continue;
      }
      compared += compareAll(source(text));
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('is what locate uses, and locate still parses for deeper paths', () => {
    const src = source('id: SRS-1\nverifies:\n  - SRS-2\n  - SRS-3\n');
    expect(locate(src, ['id'])).toEqual({ line: 2, column: 5 });
    expect(locate(src, ['verifies', 1])).toEqual(locateByParse({ ...src }, ['verifies', 1]));
  });
});

/** The records of a collection's text as js-yaml reads them (the list, or the list under `records:`). */
function entriesOf(text: string, keyed: boolean): unknown[] | undefined {
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const list = keyed ? (value as { records?: unknown } | null)?.records : value;
  return Array.isArray(list) ? list : undefined;
}

/**
 * For every record of a collection, its root and each of its fields (and one that is not there).
 * The reference is the whole file's tree, which is exact for files the `yaml` package reads without
 * error; a file it flags (js-yaml only warns on some, e.g. a quoted line continued too little
 * indented) can place later nodes differently, so these inputs are all ones both read cleanly:
 * `locate` must equal the syntax tree of the whole file, and so must the fast answer where it gives
 * one. Returns how many questions the fast way answered, and how many (on fields that exist) were asked.
 */
function compareEntries(src: SourceFile): { answered: number; asked: number } {
  const keyed = src.entries!.keyed;
  const list = entriesOf(src.yaml, keyed) ?? [];
  const offsets = itemOffsets(src.yaml, keyed, src.entries!.count);
  // The reference: the whole file's tree, not the per-record parse the loader also uses.
  const { entries: _entries, ...whole } = src;
  const copy = { ...src };
  let answered = 0;
  let asked = 0;
  list.forEach((item, index) => {
    const keys = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item as object) : [];
    for (const key of [undefined, ...keys, 'no-such-field']) {
      for (const atKey of [false, true]) {
        const path = [...(keyed ? ['records', index] : [index]), ...(key === undefined ? [] : [key])];
        const reference = locateByParse(whole, path, atKey);
        const label = `${src.path} ${path.join('/')} atKey=${atKey}`;
        expect(locate(copy, path, atKey), label).toEqual(reference);
        // A field that is not there has no position of its own: the fast way leaves it to the parse.
        if (key !== 'no-such-field') asked++;
        if (!offsets) continue;
        const text = src.yaml.slice(offsets.starts[index]!, offsets.starts[index + 1] ?? offsets.end);
        const fast = quickEntryPosition(text, key, atKey);
        if (!fast) continue;
        answered++;
        expect({ line: fast.line + offsets.lines[index]! + src.yamlLine, column: fast.col }, label).toEqual(
          reference,
        );
      }
    }
  });
  return { answered, asked };
}

/** A collection source for `text`, with its entry count as the loader gives it. */
function collection(text: string, keyed: boolean): SourceFile {
  const count = entriesOf(text, keyed)?.length ?? 0;
  return { path: 'c.yaml', yaml: text, yamlLine: 0, entries: { keyed, count } };
}

describe('quick positions in the records of a collection', () => {
  it.each(['examples/infusion-pump', 'examples/recovery', 'examples/label-printing', 'validation'])(
    'equal the whole file’s syntax tree on every field of every collection record of %s',
    (dir) => {
      const loaded = loadProject(dir);
      if (!loaded.ok) throw new Error(`${dir} did not load`);
      let answered = 0;
      let asked = 0;
      for (const src of loaded.project.sources.values()) {
        if (!src.entries) continue;
        const n = compareEntries(src);
        answered += n.answered;
        asked += n.asked;
      }
      expect(asked).toBeGreaterThan(100);
      // The fast way is what serves warnings on tests and SOUP: it must answer nearly always.
      expect(answered / asked).toBeGreaterThan(0.8);
    },
  );

  const TRICKY: Record<string, string> = {
    'comments at the margin between records': 'records:\n  - id: T-1\n# note\n    title: A\n  - id: T-2\n',
    'a list at the root': '- id: T-1\n  title: A\n- id: T-2\n  verifies: [S-1]\n',
    'records at the margin': 'records:\n- id: T-1\n  title: A\n- id: T-2\n',
    'more spaces after the dash': 'records:\n  -   id: T-1\n      title: A\n',
    'keys on the lines after the dash': 'records:\n  -\n    id: T-1\n    title: A\n  - id: T-2\n',
    'block scalar': 'records:\n  - id: T-1\n    text: |\n      id: inside\n    title: A\n',
    'multi-line quoted title': 'records:\n  - title: "a\n      id: fake"\n    id: T-1\n',
    'block list value': 'records:\n  - id: T-1\n    verifies:\n      - S-1\n    title: A\n',
    'flow mapping record': 'records:\n  - {id: T-1, title: A}\n  - id: T-2\n',
    crlf: 'records:\r\n  - id: T-1\r\n    title: A\r\n  - id: T-2\r\n',
    'anchor and alias across records': 'records:\n  - id: T-1\n    tags: &t [a]\n  - id: T-2\n    tags: *t\n',
    'a line less indented that is not a comment': 'records:\n  - id: T-1\n    title: a\n   b\n',
    'blank lines inside': 'records:\n  - id: T-1\n\n    title: A\n\n  - id: T-2\n',
    'comment after the dash': 'records:\n  - # first\n    id: T-1\n',
    'nested list entry': 'records:\n  - - a\n    - b\n  - id: T-2\n',
    'tab after a key': 'records:\n  - id:\tT-1\n',
    'dash alone then keys': 'records:\n  -\n    id: T-1\n    title: A\n  - id: T-2\n',
    'other keys after the list': 'kind: test\nrecords:\n  - id: T-1\n    title: A\nnote: x\n',
    'no final newline': 'records:\n  - id: T-1\n    title: A',
  };

  it.each(Object.entries(TRICKY))('equal the syntax tree or say nothing: %s', (_name, text) => {
    const keyed = text.includes('records:');
    compareEntries(collection(text, keyed));
  });

  it('answers for a test record’s fields, and not for a deeper path', () => {
    const src = collection(
      'records:\n  - id: T-1\n    verifies: [S-1]\n  - id: T-2\n    status: draft\n',
      true,
    );
    expect(locate(src, ['records', 1, 'status'])).toEqual({ line: 5, column: 13 });
    expect(locate(src, ['records', 0, 'verifies'], true)).toEqual({ line: 3, column: 5 });
    expect(locate(src, ['records', 1])).toEqual({ line: 4, column: 5 });
    const text = src.yaml.slice(src.yaml.indexOf('  - id: T-2'));
    expect(quickEntryPosition(text, 'status', false)).toEqual({ line: 2, col: 13 });
    // A first line that is the dash alone: the keys on the next lines, at the entry's indentation + 2.
    expect(quickEntryPosition('  -\n    id: T-1\n', 'id', false)).toEqual({ line: 2, col: 9 });
    // Any text not of the shape gives nothing (the caller parses).
    expect(quickEntryPosition('  - text: |\n\t\n    id: T-1\n', 'id', false)).toBeUndefined();
    expect(quickEntryPosition('  -   id: T-1\n', 'id', false)).toBeUndefined();
    expect(quickEntryPosition('id: T-1\n', 'id', false)).toBeUndefined();
  });

  it('equals the syntax tree on generated collections', () => {
    const random = seededRandom(14);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const keys = ['id', 'title', 'status', 'verifies', 'text', 'note'];
    const values = [
      ' T-1',
      ' "quoted: text"',
      ' [A, B]',
      '',
      ' # comment',
      ' &a 1',
      ' *a',
      ' |',
      ' "open',
      ' plain',
    ];
    const continuations = ['  - item', '  more', 'close"', '', '# comment', '  key: v'];
    let answered = 0;
    for (let n = 0; n < 300; n++) {
      const margin = ' '.repeat(pick([0, 2, 4]));
      const keyed = random() < 0.7;
      const lines: string[] = keyed ? ['records:'] : [];
      const records = 1 + Math.floor(random() * 4);
      for (let r = 0; r < records; r++) {
        const count = 1 + Math.floor(random() * 4);
        for (let i = 0; i < count; i++) {
          const lead = i === 0 ? `${margin}- ` : `${margin}  `;
          lines.push(`${lead}${pick(keys)}:${pick(values)}`);
          if (random() < 0.3) lines.push(`${random() < 0.5 ? `${margin}  ` : ''}${pick(continuations)}`);
        }
      }
      const text = `${lines.join(random() < 0.2 ? '\r\n' : '\n')}\n`;
      if (!entriesOf(text, keyed)) continue;
      answered += compareEntries(collection(text, keyed)).answered;
    }
    expect(answered).toBeGreaterThan(200);
  });
});
