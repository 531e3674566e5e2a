/**
 * The worker of src/load/parallel-read.ts: reads and parses record files with the loader's own
 * functions, taking each file it claims first, and posts each result to the loader. (Validating
 * there too was measured slower: cloning validated records costs more than validating them.) It starts
 * before the files are known and waits for one message with the list and the shared state.
 */
import { type MessagePort, parentPort } from 'node:worker_threads';
import {
  CLAIMED_BY_WORKER,
  FAILED,
  FREE,
  PARSED,
  PROGRESS,
  STOP,
  type WorkerJob,
  type WorkerResult,
} from './parallel-protocol.js';
import { recordingParser } from './parse-cache.js';
import { parseYaml, readText, recordsOfTextRead } from './read-file.js';

function run(job: WorkerJob): void {
  const owner = new Int32Array(job.owner);
  const state = new Int32Array(job.state);
  const control = new Int32Array(job.control);
  const port: MessagePort = job.port;
  let parsed: [string, Uint8Array][] = [];
  const parse = job.recordParses ? recordingParser((hash, value) => parsed.push([hash, value])) : parseYaml;
  for (let i = 0; i < job.rels.length; i++) {
    if (Atomics.load(control, STOP) !== 0) break;
    if (Atomics.compareExchange(owner, i, FREE, CLAIMED_BY_WORKER) !== FREE) continue;
    let outcome = FAILED;
    try {
      const rel = job.rels[i]!;
      parsed = [];
      const message: WorkerResult = {
        index: i,
        result: recordsOfTextRead(rel, readText(job.root, rel, job.maxBytes), parse),
        ...(parsed.length > 0 ? { parsed } : {}),
      };
      // Posted before the state says so: when the loader sees PARSED, the message is there.
      port.postMessage(message);
      outcome = PARSED;
    } catch {
      // Anything unexpected (a result that cannot be cloned): the loader reads the file itself.
      outcome = FAILED;
    }
    Atomics.store(state, i, outcome);
    Atomics.add(control, PROGRESS, 1);
    Atomics.notify(state, i);
  }
  port.close();
}

parentPort?.once('message', (job: WorkerJob) => run(job));
