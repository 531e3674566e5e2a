/** What the loader and its reading worker share (src/load/parallel-read.ts, src/load/read-worker.ts). */
import type { MessagePort } from 'node:worker_threads';
import type { TextRead } from './read-text.js';

// Who took a file (one Int32 per file in `owner`).
export const FREE = 0;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_BY_LOADER = 2;

// What became of a file the worker took (one Int32 per file in `state`).
export const PENDING = 0;
export const READ = 1;
/** The worker could not hand it over: the loader reads it itself. */
export const FAILED = 2;

// Words of `control`.
/** Non-zero when the loader no longer wants anything from the worker. */
export const STOP = 0;
/** How many files the worker has finished: the loader's sign that it is alive. */
export const PROGRESS = 1;
export const CONTROL_WORDS = 2;

/** The one message the worker gets: the files, in the loader's order, and the shared state. */
export interface WorkerJob {
  readonly root: string;
  readonly rels: readonly string[];
  readonly maxBytes: number;
  readonly owner: SharedArrayBuffer;
  readonly state: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** What the worker posts for each file it read: its text (or why there is none), parsed by the loader. */
export interface WorkerResult {
  readonly index: number;
  readonly read: TextRead;
}
