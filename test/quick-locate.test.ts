// The fast path to a top-level field's position (src/load/quick-locate.ts) must give exactly what
// the `yaml` package's syntax tree gives (locateByParse), or nothing: checked on every top-level field
// of every file of the bundled projects, on hand-written tricky front matter, and on generated text.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { positionOf, quickTopLevelOffset } from '../src/load/quick-locate.js';
import { locate, locateByParse, type SourceFile } from '../src/load/source.js';

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const random = seeded(62304);
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
