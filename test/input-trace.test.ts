// What a traced computation read (src/util/input-trace.ts): every observation must give another
// answer once what it looked at changes, and whatever the trace cannot see must make the run not
// reusable. These are the guarantees the result cache's "nothing changed" rests on.
import fs, { readFileSync as namedReadFileSync } from 'node:fs';
import { readFile as promisedReadFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  inputsUnchanged,
  noteInputFiles,
  noteUncacheable,
  RACY_MS,
  traceInputs,
  tracing,
  untraced,
} from '../src/util/input-trace.js';

/** A start time that makes files written now old enough to be kept (outside the racy window). */
const later = () => Date.now() + RACY_MS + 1000;

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-trace-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Traces `run` with a start after the files were written; returns a check of "still unchanged". */
function traced(run: () => unknown) {
  const { trace } = traceInputs(run, later());
  expect(trace.notReusable).toBeUndefined();
  const { observations, states } = trace.inputs();
  return { observations, unchanged: () => inputsUnchanged(observations, states) };
}

describe('observations', () => {
  it('a file read is seen again unchanged, and changed once written, even with the same size', () => {
    const dir = folder({ 'a.txt': 'one' });
    const file = path.join(dir, 'a.txt');
    const t = traced(() => fs.readFileSync(file, 'utf8'));
    expect(t.observations).toEqual([`s${file}`]);
    expect(t.unchanged()).toBe(true);
    fs.writeFileSync(file, 'two');
    expect(t.unchanged()).toBe(false);
  });

  it('a write that puts the modification time back is still seen (the change time moves)', () => {
    const dir = folder({ 'a.txt': 'one' });
    const file = path.join(dir, 'a.txt');
    const before = fs.statSync(file);
    const t = traced(() => fs.readFileSync(file));
    fs.writeFileSync(file, 'two');
    fs.utimesSync(file, before.atime, before.mtime);
    expect(t.unchanged()).toBe(false);
  });

  it('a path found missing is seen when it appears; a folder listed, when an entry is added or removed', () => {
    const dir = folder({ 'sub/a.md': 'x' });
    const t = traced(() => {
      fs.existsSync(path.join(dir, 'signers.yaml'));
      fs.readdirSync(path.join(dir, 'sub'));
    });
    expect(t.unchanged()).toBe(true);
    fs.writeFileSync(path.join(dir, 'signers.yaml'), 'signers: []\n');
    expect(t.unchanged()).toBe(false);
    fs.rmSync(path.join(dir, 'signers.yaml'));
    expect(t.unchanged()).toBe(true);
    fs.writeFileSync(path.join(dir, 'sub', 'b.md'), 'y');
    expect(t.unchanged()).toBe(false);
    fs.rmSync(path.join(dir, 'sub', 'b.md'));
    fs.rmSync(path.join(dir, 'sub', 'a.md'));
    fs.mkdirSync(path.join(dir, 'sub', 'a.md'));
    expect(t.unchanged()).toBe(false); // same name, now a folder
  });

  it('a link followed is seen when it points elsewhere', () => {
    const dir = folder({ 'one.md': 'x', 'two.md': 'x' });
    const link = path.join(dir, 'link.md');
    fs.symlinkSync('one.md', link);
    const t = traced(() => {
      fs.lstatSync(link);
      fs.realpathSync(link);
    });
    fs.rmSync(link);
    fs.symlinkSync('two.md', link);
    expect(t.unchanged()).toBe(false);
  });

  it('reads through the named exports of node:fs are seen too', () => {
    const dir = folder({ 'a.txt': 'one' });
    const file = path.join(dir, 'a.txt');
    const t = traced(() => namedReadFileSync(file));
    expect(t.observations).toEqual([`s${file}`]);
  });

  it('files declared by the caller (a worker reads them) are observed; writes and untraced reads are not', () => {
    const dir = folder({ 'a.md': 'x', 'b.md': 'y' });
    const t = traced(() => {
      expect(tracing()).toBe(true);
      noteInputFiles([path.join(dir, 'a.md')]);
      fs.writeFileSync(path.join(dir, 'out.json'), '{}');
      fs.closeSync(fs.openSync(path.join(dir, 'out2.json'), 'w'));
      untraced(() => fs.readFileSync(path.join(dir, 'b.md')));
    });
    expect(t.observations).toEqual([`s${path.join(dir, 'a.md')}`]);
    expect(tracing()).toBe(false);
  });
});

describe('what makes a run not reusable', () => {
  it('a file changed within the racy window before the run', () => {
    const dir = folder({ 'a.txt': 'one' });
    const { trace } = traceInputs(() => fs.readFileSync(path.join(dir, 'a.txt')));
    expect(trace.notReusable).toMatch(/a\.txt changed less than 2 s before the run/);
  });

  it('an asynchronous read, by the fs object or by the named export of node:fs/promises', async () => {
    const dir = folder({ 'a.txt': 'one' });
    const file = path.join(dir, 'a.txt');
    let pending: Promise<unknown> | undefined;
    const byObject = traceInputs(() => {
      pending = fs.promises.readFile(file);
    }, later());
    await pending;
    expect(byObject.trace.notReusable).toMatch(/not traced/);
    const byName = traceInputs(() => {
      pending = promisedReadFile(file);
    }, later());
    await pending;
    expect(byName.trace.notReusable).toMatch(/not traced/);
  });

  it('something declared untraceable, and a read that fails other than by being missing', () => {
    expect(traceInputs(() => noteUncacheable('git was asked'), later()).trace.notReusable).toBe(
      'git was asked',
    );
    if (process.getuid?.() === 0) return; // root reads everything: no permission error to provoke
    const dir = folder({ 'secret/a.txt': 'x' });
    fs.chmodSync(path.join(dir, 'secret'), 0o000);
    try {
      const { trace } = traceInputs(() => fs.existsSync(path.join(dir, 'secret', 'a.txt')), later());
      expect(trace.notReusable).toMatch(/could not be read/);
    } finally {
      fs.chmodSync(path.join(dir, 'secret'), 0o755);
    }
  });
});

describe('the trace itself', () => {
  it('puts the reads back however the run ends, and refuses to nest', () => {
    const before = fs.readFileSync;
    expect(() =>
      traceInputs(() => {
        expect(fs.readFileSync).not.toBe(before);
        expect(() => traceInputs(() => 1)).toThrow(/already running/);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(fs.readFileSync).toBe(before);
    expect(namedReadFileSync).toBe(before);
    expect(tracing()).toBe(false);
  });

  it('a listing of observations that does not match its states is never "unchanged"', () => {
    expect(inputsUnchanged(['s/nowhere'], [])).toBe(false);
    expect(inputsUnchanged(['s/nowhere/at/all'], ['x'])).toBe(true);
  });
});
