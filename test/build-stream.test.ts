import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { type Artifact, build } from '../src/build/build.js';
import { loadProject } from '../src/load/project.js';
import { sha256Hex } from '../src/util/hash.js';
import { EXAMPLE } from './helpers.js';

describe('build with a sink', () => {
  it('hands every file to the sink once, with the same bytes and hashes as a build that keeps them', () => {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('example did not load');
    const analysis = analyze(loaded.project);
    const kept = build(analysis, { displayRoot: 'example', timestamp: '2026-11-01T00:00:00Z' });
    const received: Artifact[] = [];
    const streamed = build(analysis, { displayRoot: 'example', timestamp: '2026-11-01T00:00:00Z' }, (a) =>
      received.push(a),
    );

    expect(streamed.artifacts).toEqual([]);
    expect(received.map((a) => a.path)).toEqual(kept.artifacts.map((a) => a.path));
    expect(received.map((a) => a.content)).toEqual(kept.artifacts.map((a) => a.content));
    expect(streamed.files).toEqual(kept.files);
    expect(streamed.files.map((f) => f.sha256)).toEqual(received.map((a) => sha256Hex(a.content)));
    // The manifest lists every other file with its hash.
    const manifest = JSON.parse(received.at(-1)!.content) as { files: { path: string; sha256: string }[] };
    expect(received.at(-1)!.path).toBe('manifest.json');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      received
        .slice(0, -1)
        .map((a) => a.path)
        .sort(),
    );
  });
});
