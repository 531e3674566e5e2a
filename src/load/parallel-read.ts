/**
 * Reads a large project's record files on two threads: the loader's and one worker's.
 *
 * Why: on a 100,000-record project opening and reading 64,000 files take seconds of system calls,
 * all on one thread while the machine has more. The worker (src/load/read-worker.ts) runs the
 * loader's own read function on the files it claims and posts their texts; the loader parses them
 * (with the parse cache, when it has one) as it parses the files it reads itself. The loader claims
 * files too, whenever the file it needs next is not ready, so neither waits for the other and the
 * split adapts to both speeds. Each file is claimed once (an atomic compare-and-swap on shared
 * memory); the API stays synchronous: the loader asks for the files in order and gets each result
 * as if it had read the file itself.
 *
 * Nothing here decides what a file holds: a file the worker could not hand over, a file asked for
 * out of order, a worker that does not answer, all are read by the loader itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import {
  CLAIMED_BY_LOADER,
  CONTROL_WORDS,
  FAILED,
  FREE,
  PENDING,
  PROGRESS,
  STOP,
  type WorkerJob,
  type WorkerResult,
} from './parallel-protocol.js';
import { type FileReadResult, recordsOfTextRead, type YamlParser } from './read-file.js';
import { readText, type TextRead } from './read-text.js';

/**
 * Below this many files a worker costs more than it saves (its start, the copies of its texts).
 * Measured since the worker only reads: 6,400 files (the 10,000-record benchmark) load a little
 * faster with one (median 1.82 s against 1.94 s for the whole check), 700 files no faster.
 */
export const PARALLEL_MIN_FILES = 4_000;

/**
 * How long the loader waits for a file the worker took while the worker finishes nothing at all:
 * then it takes the worker for dead (a thread that crashed cannot say so to a loader that is
 * waiting) and reads for itself. Long enough for the largest file a project may hold to parse.
 */
const STALL_MS = 2_000;
/** The loader looks at the worker's progress this often while it waits. */
const WAIT_SLICE_MS = 50;

export interface ParallelOptions {
  /** Use a worker from this many files on (tests lower it); `Infinity` never. */
  readonly minFiles?: number;
  /**
   * The loader reads no file itself while the worker answers (tests: to see what the worker hands
   * over, which a small project would otherwise never show, the loader being done first).
   */
  readonly workerOnly?: boolean;
  /** How the loader parses the YAML of every file, its own and the worker's (default parseYaml). */
  readonly parse?: YamlParser;
}

/** Reads the record files of a project, in the order given. */
export interface RecordFileReader {
  /** The file's records (or why it did not load), as {@link recordsOfTextRead} of {@link readText}. */
  read(rel: string): FileReadResult;
  /** Stops the worker (also when not every file was asked for). */
  close(): void;
  /** How many files the worker read (for tests and benchmarks). */
  readonly fromWorker: number;
}

/** The compiled worker; absent when running from the TypeScript sources (then no worker is used). */
const WORKER_URL = new URL('./read-worker.js', import.meta.url);

/** A reader of `rels` under `root`: with a worker for many files on a machine with two or more cores. */
export function recordFileReader(
  root: string,
  rels: readonly string[],
  maxBytes: number,
  options: ParallelOptions = {},
): RecordFileReader {
  return readerWith(startWorker, root, rels, maxBytes, options);
}

/**
 * {@link recordFileReader} with the worker started by `start` (tests give it a worker that fails,
 * to see the loader read for itself).
 */
export function readerWith(
  start: () => Worker | undefined,
  root: string,
  rels: readonly string[],
  maxBytes: number,
  options: ParallelOptions = {},
): RecordFileReader {
  const readHere = (rel: string) => recordsOfTextRead(rel, readText(root, rel, maxBytes), options.parse);
  const plain: RecordFileReader = { read: readHere, close: () => {}, fromWorker: 0 };
  if (rels.length < (options.minFiles ?? PARALLEL_MIN_FILES) || os.availableParallelism() < 2) return plain;
  const worker = start();
  if (!worker) return plain;

  const owner = new Int32Array(new SharedArrayBuffer(4 * rels.length));
  const state = new Int32Array(new SharedArrayBuffer(4 * rels.length));
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  const { port1: mine, port2: theirs } = new MessageChannel();
  const job: WorkerJob = {
    root,
    rels,
    maxBytes,
    owner: owner.buffer as SharedArrayBuffer,
    state: state.buffer as SharedArrayBuffer,
    control: control.buffer as SharedArrayBuffer,
    port: theirs,
  };
  try {
    worker.postMessage(job, [theirs]);
  } catch {
    void worker.terminate();
    return plain;
  }

  /** Results made here before they were asked for. */
  const ahead = new Map<number, FileReadResult>();
  /** Texts the worker read, not yet asked for. */
  const arrived = new Map<number, TextRead>();
  let next = 0;
  /** Files below this were claimed by someone: where the loader looks for one to take. */
  let claimFrom = 0;
  let fromWorker = 0;
  let stopped = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    Atomics.store(control, STOP, 1);
    mine.close();
    void worker.terminate();
  };
  const claim = (index: number) => Atomics.compareExchange(owner, index, FREE, CLAIMED_BY_LOADER) === FREE;
  const drain = () => {
    for (let m = receiveMessageOnPort(mine); m; m = receiveMessageOnPort(mine)) {
      const { index, read } = m.message as WorkerResult;
      arrived.set(index, read);
      fromWorker++;
    }
  };
  /** Takes one file further on that nobody has claimed and reads it here; false when none is left. */
  const workAhead = (after: number): boolean => {
    for (claimFrom = Math.max(claimFrom, after + 1); claimFrom < rels.length; claimFrom++) {
      if (claim(claimFrom)) {
        ahead.set(claimFrom, readHere(rels[claimFrom]!));
        claimFrom++;
        return true;
      }
    }
    return false;
  };

  /** Waits until the worker is done with the file; false when it made no progress for STALL_MS. */
  const waitForWorker = (index: number): boolean => {
    let progress = Atomics.load(control, PROGRESS);
    let since = performance.now();
    while (Atomics.wait(state, index, PENDING, WAIT_SLICE_MS) === 'timed-out') {
      const now = Atomics.load(control, PROGRESS);
      if (now !== progress) {
        progress = now;
        since = performance.now();
      } else if (performance.now() - since > STALL_MS) {
        return false;
      }
    }
    return true;
  };

  /** The records of a text the worker read, if it has arrived. */
  const fromArrived = (index: number): FileReadResult | undefined => {
    const read = arrived.get(index);
    if (!read) return undefined;
    arrived.delete(index);
    return recordsOfTextRead(rels[index]!, read, options.parse);
  };

  const resultOf = (index: number): FileReadResult => {
    const rel = rels[index]!;
    const known = ahead.get(index) ?? fromArrived(index);
    if (known) {
      ahead.delete(index);
      return known;
    }
    if (!options.workerOnly && claim(index)) return readHere(rel);
    // The worker took it: take its text, or work on later files until it is there.
    for (let posted = 0; ; ) {
      drain();
      const read = fromArrived(index);
      if (read) return read;
      const now = Atomics.load(state, index);
      if (now === FAILED) return readHere(rel);
      if (now !== PENDING) {
        // Posted before the state was set, so it is in the port; if it does not show, read it here.
        if (++posted > 1_000) {
          stop();
          return readHere(rel);
        }
        continue;
      }
      if (!options.workerOnly && workAhead(index)) continue;
      if (!waitForWorker(index)) {
        stop();
        return readHere(rel);
      }
    }
  };

  return {
    read(rel) {
      if (stopped || rels[next] !== rel) {
        // Asked out of order (or after a stop): read it here; the worker's results are not used.
        stop();
        return readHere(rel);
      }
      const result = resultOf(next++);
      if (next === rels.length) stop();
      return result;
    },
    close: stop,
    get fromWorker() {
      return fromWorker;
    },
  };
}

function startWorker(): Worker | undefined {
  try {
    if (!fs.existsSync(fileURLToPath(WORKER_URL))) return undefined;
    const worker = new Worker(WORKER_URL, { stdout: true, stderr: true });
    worker.unref();
    // A worker that fails is not used further: the files it took are read by the loader.
    worker.on('error', () => {});
    return worker;
  } catch {
    return undefined;
  }
}
