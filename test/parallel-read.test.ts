/**
 * The loader's reading thread (src/load/parallel-read.ts): whatever thread reads a file, the loader
 * gets the same records, findings and failures as reading it itself. The worker module exists only
 * compiled, so these tests use dist/ (`npm test` builds first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIMED_BY_WORKER, CONTROL_WORDS, PROGRESS } from '../src/load/parallel-protocol.js';
import type * as ReaderModule from '../src/load/parallel-read.js';
import type * as LoaderModule from '../src/load/project.js';
import { recordsOfTextRead } from '../src/load/read-file.js';
import { readText, type TextRead } from '../src/load/read-text.js';
import type * as TraceModule from '../src/util/input-trace.js';
import { CONFIG, REPO, writeProject } from './helpers.js';

const DIST = path.join(REPO, 'dist/load');
let reader: typeof ReaderModule;
let loader: typeof LoaderModule;

beforeAll(async () => {
  reader = (await import(pathToFileURL(path.join(DIST, 'parallel-read.js')).href)) as typeof ReaderModule;
  loader = (await import(pathToFileURL(path.join(DIST, 'project.js')).href)) as typeof LoaderModule;
});

const MAX_BYTES = 4096;

/** Every way a record file can read: good ones, and each way one fails. */
function awkwardFiles(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 1; i <= 150; i++) {
    const n = String(i).padStart(3, '0');
    files[`records/software/SRS-${n}.md`] =
      `---\nid: SRS-${n}\ntitle: Requirement ${n}\nstatus: draft\n---\nThe pump shall do thing ${n}.\n`;
  }
  files['records/system/system.yaml'] = `kind: system-requirement\nrecords:\n${Array.from(
    { length: 40 },
    (_, i) =>
      `  - id: SYS-${String(i + 1).padStart(3, '0')}\n    title: System requirement ${i + 1}\n    text: Text.\n`,
  ).join('')}`;
  // Values only some representations keep: minus zero, not-a-number, infinity, a shared alias.
  files['records/tests/odd-values.yaml'] =
    'kind: test\nrecords:\n  - id: TC-001\n    title: Odd values\n    level: system\n    custom: &a { x: -0.0, y: .nan, z: -.inf }\n    again: *a\n';
  files['records/software/not-utf8.md'] = Buffer.from([
    0x2d, 0x2d, 0x2d, 0x0a, 0x69, 0x64, 0x3a, 0x20, 0xfc, 0x0a,
  ]);
  files['records/software/too-large.md'] = `---\nid: SRS-900\ntitle: Big\n---\n${'x'.repeat(MAX_BYTES)}\n`;
  files['records/software/bad-yaml.md'] = '---\nid: SRS-901\ntitle: [unclosed\n---\nText.\n';
  files['records/software/no-front-matter.md'] = 'Just text.\n';
  files['records/software/empty.md'] = '';
  files['records/system/not-a-collection.yaml'] = 'just: a mapping\n';
  return files;
}

describe('the loader reading on two threads', () => {
  it('gives, file by file, what reading on one thread gives, and the worker reads some of them', () => {
    const dir = writeProject(awkwardFiles());
    // A folder named like a record file: it cannot be read as one.
    fs.mkdirSync(path.join(dir, 'records/software/folder.md'));
    const rels = fs
      .readdirSync(path.join(dir, 'records'), { recursive: true })
      .map((f) => `records/${String(f).split(path.sep).join('/')}`)
      .filter((f) => /\.(md|yaml)$/.test(f))
      .sort();
    expect(rels.length).toBeGreaterThan(150);
    const one = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: Number.POSITIVE_INFINITY });
    const two = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: 1, workerOnly: true });
    const shared = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: 1 });
    try {
      for (const rel of rels) {
        const expected = one.read(rel);
        expect(two.read(rel), rel).toEqual(expected);
        expect(shared.read(rel), rel).toEqual(expected);
      }
    } finally {
      two.close();
      shared.close();
    }
    expect(one.fromWorker).toBe(0);
    // On one core no worker is started (it would only slow the loader down).
    expect(two.fromWorker).toBe(os.availableParallelism() >= 2 ? rels.length : 0);
  });

  it('keeps the values YAML gives that JSON would lose', () => {
    const dir = writeProject(awkwardFiles());
    const rel = 'records/tests/odd-values.yaml';
    const two = reader.recordFileReader(dir, [...Array(30).fill(rel)], MAX_BYTES, {
      minFiles: 1,
      workerOnly: true,
    });
    // Asked 30 times for the same file: from the second on, the reads are out of order for the
    // worker and the loader reads them itself; every answer is the same.
    const first = two.read(rel);
    for (let i = 1; i < 30; i++) expect(two.read(rel)).toEqual(first);
    two.close();
    expect(two.fromWorker).toBeGreaterThanOrEqual(os.availableParallelism() >= 2 ? 1 : 0);
    const data = first.records[0]!.data as Record<string, Record<string, number>>;
    expect(Object.is(data.custom!.x, -0)).toBe(true);
    expect(Number.isNaN(data.custom!.y)).toBe(true);
    expect(data.custom!.z).toBe(Number.NEGATIVE_INFINITY);
    expect(data.again).toBe(data.custom);
  });

  it('a file asked for out of order is read by the loader, and the rest still come right', () => {
    const dir = writeProject(awkwardFiles());
    const rels = Array.from(
      { length: 150 },
      (_, i) => `records/software/SRS-${String(i + 1).padStart(3, '0')}.md`,
    );
    const two = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: 1, workerOnly: true });
    const order = [rels[5]!, ...rels];
    try {
      for (const rel of order) {
        const result = two.read(rel);
        expect(result.records.map((r) => (r.data as { id: string }).id)).toEqual([
          `SRS-${rel.slice(-6, -3)}`,
        ]);
      }
    } finally {
      two.close();
    }
  });

  it('a traced load notes every file the worker read, by the identity of the file it opened', async () => {
    const trace = (await import(
      pathToFileURL(path.join(REPO, 'dist/util/input-trace.js')).href
    )) as typeof TraceModule;
    const dir = writeProject(awkwardFiles());
    const { value, trace: seen } = trace.traceInputs(
      () => loader.loadProject(dir, { parallel: { minFiles: 1, workerOnly: true } }),
      Date.now() + trace.RACY_MS + 1000,
    );
    if (!value.ok) throw new Error('the configuration did not load');
    const { observations, states } = seen.inputs();
    const files = new Map(observations.map((o, i) => [o, states[i]!]));
    const srs = path.join(dir, 'records', 'software', 'SRS-007.md');
    expect(files.get(`s${srs}`)).toMatch(/^f:/);
    expect(observations.filter((o) => o.endsWith('.md')).length).toBeGreaterThan(150);
    expect(trace.inputsUnchanged(observations, states)).toBe(true);
    fs.appendFileSync(srs, '\nMore text.\n');
    expect(trace.inputsUnchanged(observations, states)).toBe(false);
  });

  it('loads the same project whichever thread reads, including what did not load', () => {
    const dir = writeProject({
      ...awkwardFiles(),
      'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: ${MAX_BYTES}\n`,
    });
    const one = loader.loadProject(dir, { parallel: { minFiles: Number.POSITIVE_INFINITY } });
    const two = loader.loadProject(dir, { parallel: { minFiles: 1, workerOnly: true } });
    if (!one.ok || !two.ok) throw new Error('the configuration did not load');
    expect(two.project.records).toEqual(one.project.records);
    expect(two.project.findings).toEqual(one.project.findings);
    expect(two.project.unloaded).toEqual(one.project.unloaded);
    expect([...two.project.sources.keys()]).toEqual([...one.project.sources.keys()]);
    // The files that do not load are there, each with its reason.
    expect(one.project.unloaded.map((u) => `${u.file} ${u.finding.code}`)).toEqual(
      expect.arrayContaining([
        'records/software/bad-yaml.md load/yaml-syntax',
        'records/software/not-utf8.md load/not-utf8',
        'records/software/too-large.md load/too-large',
      ]),
    );
  });
});

describe('the reading thread of the bundled command', () => {
  it('dist/cli/read-worker.js reads the files it is given and posts the texts the loader would read', async () => {
    const { Worker, MessageChannel, receiveMessageOnPort } = await import('node:worker_threads');
    const dir = writeProject(awkwardFiles());
    const rels = [
      'records/software/SRS-001.md',
      'records/system/system.yaml',
      'records/software/bad-yaml.md',
    ];
    const owner = new Int32Array(new SharedArrayBuffer(4 * rels.length));
    const state = new Int32Array(new SharedArrayBuffer(4 * rels.length));
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(path.join(REPO, 'dist/cli/read-worker.js'));
    try {
      worker.postMessage(
        {
          root: dir,
          rels,
          maxBytes: MAX_BYTES,
          owner: owner.buffer,
          state: state.buffer,
          control: control.buffer,
          port: port2,
        },
        [port2],
      );
      for (let i = 0; i < rels.length; i++)
        expect(Atomics.wait(state, i, 0, 10_000), rels[i]).not.toBe('timed-out');
      const one = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: Number.POSITIVE_INFINITY });
      for (let i = 0; i < rels.length; i++) {
        const posted = receiveMessageOnPort(port1)?.message as { index: number; read: TextRead };
        expect(posted.index).toBe(i);
        expect(posted.read).toEqual(readText(dir, rels[i]!, MAX_BYTES));
        expect(recordsOfTextRead(rels[i]!, posted.read)).toEqual(one.read(rels[i]!));
      }
      // Every file was claimed by the worker (none by a loader here).
      expect([...owner]).toEqual(rels.map(() => CLAIMED_BY_WORKER));
      // And counted them, the loader's sign that it is alive.
      expect(Atomics.load(control, PROGRESS)).toBe(rels.length);
    } finally {
      port1.close();
      await worker.terminate();
    }
  });
});

describe('a reading thread that fails', () => {
  const rels = Array.from(
    { length: 40 },
    (_, i) => `records/software/SRS-${String(i + 1).padStart(3, '0')}.md`,
  );

  // Each worker below takes some files and never answers for them; the loader must read them
  // itself, soon (it cannot hear a thread die while it waits, so it watches the thread's progress).
  for (const [what, source] of [
    ['dies at once', 'process.exit(1)'],
    [
      'takes files and hangs',
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', (job) => {
         const owner = new Int32Array(job.owner);
         for (let i = 0; i < job.rels.length; i += 2) Atomics.compareExchange(owner, i, 0, 1);
         setInterval(() => {}, 1000);
       });`,
    ],
  ] as const) {
    it(`that ${what}: the loader reads every file itself, with the same result`, {
      timeout: 120_000,
    }, async () => {
      const { Worker } = await import('node:worker_threads');
      const dir = writeProject(awkwardFiles());
      const one = reader.recordFileReader(dir, rels, MAX_BYTES, { minFiles: Number.POSITIVE_INFINITY });
      const failing = reader.readerWith(() => new Worker(source, { eval: true }), dir, rels, MAX_BYTES, {
        minFiles: 1,
        workerOnly: true,
      });
      const started = performance.now();
      try {
        for (const rel of rels) expect(failing.read(rel), rel).toEqual(one.read(rel));
      } finally {
        failing.close();
      }
      expect(failing.fromWorker).toBe(0);
      // Given up on the worker once (after about two seconds without progress), not once per file.
      expect(performance.now() - started).toBeLessThan(15_000);
    });
  }
});
