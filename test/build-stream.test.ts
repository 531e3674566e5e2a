import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { type Artifact, build } from '../src/build/build.js';
import { loadProject } from '../src/load/project.js';
import { sha256Hex } from '../src/util/hash.js';
import { joinChunks, LazyList, prettyJsonChunks } from '../src/util/json-chunks.js';
import { EXAMPLE } from './helpers.js';

/** The pieces of one file as the sink received them: text, or the bytes of a binary document. */
function joinBytes(chunks: readonly (string | Uint8Array)[]): string | Uint8Array {
  if (chunks.every((c) => typeof c === 'string')) return chunks.join('');
  return new Uint8Array(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))));
}

describe('build with a sink', () => {
  it('hands every file to the sink once, with the same bytes and hashes as a build that keeps them', async () => {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('example did not load');
    const analysis = analyze(loaded.project);
    const kept = await build(analysis, { displayRoot: 'example', timestamp: '2026-11-01T00:00:00Z' });
    const received: Artifact[] = [];
    const streamed = await build(
      analysis,
      { displayRoot: 'example', timestamp: '2026-11-01T00:00:00Z' },
      (a) => received.push({ path: a.path, content: joinBytes([...a.chunks]) }),
    );

    expect(streamed.artifacts).toEqual([]);
    expect(received.map((a) => a.path)).toEqual(kept.artifacts.map((a) => a.path));
    expect(received.map((a) => a.content)).toEqual(kept.artifacts.map((a) => a.content));
    expect(streamed.files).toEqual(kept.files);
    expect(streamed.files.map((f) => f.sha256)).toEqual(received.map((a) => sha256Hex(a.content)));
    // The manifest lists every other file with its hash.
    const manifest = JSON.parse(String(received.at(-1)!.content)) as {
      files: { path: string; sha256: string }[];
    };
    expect(received.at(-1)!.path).toBe('manifest.json');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      received
        .slice(0, -1)
        .map((a) => a.path)
        .sort(),
    );
  }, 180_000); // two builds of the example: every document in four formats
});

describe('a sink that stops early', () => {
  it('still gets the hash of the whole document in the manifest, never of the part it read', async () => {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('example did not load');
    const analysis = analyze(loaded.project);
    const context = { displayRoot: 'example', timestamp: '2026-11-01T00:00:00Z' };
    const kept = await build(analysis, context);
    const partial = await build(analysis, context, (a) => {
      for (const _ of a.chunks) break; // reads one piece only
    });
    expect(partial.files).toEqual(kept.files);
  }, 180_000); // two builds of the example: every document in four formats
});

describe('pretty JSON in pieces', () => {
  it('joins to exactly JSON.stringify(value, null, 2), at every depth, for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 5 }), (value, depth) => {
        expect(joinChunks(prettyJsonChunks(value, depth))).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON.stringify leaves out, and writes a lazy list as the array it stands for', () => {
    const value = {
      a: undefined,
      b: [undefined, () => 1, 2],
      c: { d: new Date(0) },
      e: [] as unknown[],
      f: {},
    };
    expect(joinChunks(prettyJsonChunks(value))).toBe(`${JSON.stringify(value, null, 2)}\n`);
    const items = [
      { id: 'SI-1', path: ['Q1', 'Q2'] },
      { id: 'SI-2', path: [] },
    ];
    const lazy = { items: LazyList.of(items, (i) => ({ ...i, n: i.path.length })) };
    const eager = { items: items.map((i) => ({ ...i, n: i.path.length })) };
    expect(joinChunks(prettyJsonChunks(lazy, 1))).toBe(`${JSON.stringify(eager, null, 2)}\n`);
    expect(joinChunks(prettyJsonChunks({ items: new LazyList(0, () => 1) }))).toBe('{\n  "items": []\n}\n');
  });
});
