/**
 * A long computation written as steps: a generator that yields between them and returns the
 * result. Callers that want the result now run it to the end ({@link runSteps}); `dossier serve`
 * runs a few steps per turn of its event loop, so that it answers requests between them instead of
 * after seconds of release gates and gap scan on a large project.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step and returns the result (what the synchronous callers do). */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** A computation of one step, to be driven like the others. */
// biome-ignore lint/correctness/useYield: one step, no pause inside it
export function* oneStep<T>(compute: () => T): Steps<T> {
  return compute();
}

/** A value computed once, either at once ({@link Stepwise.get}) or in steps by a background driver. */
export interface Stepwise<T> {
  /** The value (or the computation's error, thrown again); when steps are under way, it runs the rest of them. */
  get(): T;
  /** Computes the value in steps (ends at once when it is settled); the value, or the error, is kept. */
  steps(): Steps<void>;
  /** Whether the computation has ended, with a value or with an error: then `get()` answers at once. */
  settled(): boolean;
}

/**
 * A value computed once by the steps `start` gives, shared by whoever asks first: a page that needs
 * it while the server's background work is halfway finishes those steps, and the background work
 * then stops, so the computation never runs twice and every page sees the same value. A step that
 * throws settles it with that error: the computations are pure functions of one analysis, so a
 * second try would fail the same way, and a page waiting for the part must not wait for ever.
 */
export function stepwise<T>(start: () => Steps<T>): Stepwise<T> {
  let state: { readonly value: T } | { readonly error: unknown } | undefined;
  let running: Steps<T> | undefined;
  const step = (): boolean => {
    running ??= start();
    try {
      const next = running.next();
      if (!next.done) return false;
      state = { value: next.value };
    } catch (error) {
      state = { error };
    }
    running = undefined;
    return true;
  };
  return {
    get() {
      while (state === undefined) step();
      if ('error' in state) throw state.error;
      return state.value;
    },
    *steps() {
      // Checked before every step: `get()` may have finished the computation during a pause.
      while (state === undefined) if (!step()) yield;
    },
    settled: () => state !== undefined,
  };
}
