/**
 * The worker of src/load/parallel-read.ts: reads record files with the loader's own function,
 * taking each file it claims first, and posts each text to the loader, which parses it. Parsing here
 * too was measured slower once most YAML went through the fast reader (src/load/simple-yaml.ts):
 * taking the clone of a parsed file cost the loader more than parsing its text, and the parse
 * cache, which is the loader's, then sees every text. It starts before the files are known and
 * waits for one message with the list and the shared state.
 */
import { type MessagePort, parentPort } from 'node:worker_threads';
import {
  CLAIMED_BY_WORKER,
  FAILED,
  FREE,
  PROGRESS,
  READ,
  STOP,
  type WorkerJob,
  type WorkerResult,
} from './parallel-protocol.js';
import { readText } from './read-text.js';

function run(job: WorkerJob): void {
  const owner = new Int32Array(job.owner);
  const state = new Int32Array(job.state);
  const control = new Int32Array(job.control);
  const port: MessagePort = job.port;
  for (let i = 0; i < job.rels.length; i++) {
    if (Atomics.load(control, STOP) !== 0) break;
    if (Atomics.compareExchange(owner, i, FREE, CLAIMED_BY_WORKER) !== FREE) continue;
    let outcome = FAILED;
    try {
      const message: WorkerResult = { index: i, read: readText(job.root, job.rels[i]!, job.maxBytes) };
      // Posted before the state says so: when the loader sees READ, the message is there.
      port.postMessage(message);
      outcome = READ;
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
