// The release gates and the gap scan run in steps under `dossier serve` (src/util/steps.ts), so that
// the server answers requests between them. Run to the end, the steps must give exactly what the
// one-call functions give; and they must pause often enough to be worth it.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, analyze } from '../src/analyze.js';
import { projectFileReader } from '../src/cli/evidence-hasher.js';
import {
  GATE_CHECKS,
  readGateEvidence,
  releaseGate,
  releaseGateSteps,
} from '../src/evidence/release-gate.js';
import { traceMatrices, traceMatricesSteps } from '../src/evidence/trace-results.js';
import { CLAUSES } from '../src/gap/catalog.js';
import { gapScan, gapScanSteps } from '../src/gap/scan.js';
import { traceChains } from '../src/model/config.js';
import { siteData } from '../src/site/data.js';
import { runSteps, type Steps, stepwise } from '../src/util/steps.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, loadOk } from './helpers.js';

/** Runs `steps` to the end, counting its pauses. */
function counted<T>(steps: Steps<T>): { value: T; pauses: number } {
  let pauses = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { value: step.value, pauses };
    pauses++;
  }
}

describe('the release gates and the gap scan in steps', () => {
  let analysis: Analysis;
  beforeAll(() => {
    process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
    analysis = analyze(loadOk(EXAMPLE), { today: '2026-12-01' });
  });

  it('the release gate: the same result as in one call, with a pause before each check', () => {
    const version = analysis.project.config.software.version!;
    const evidence = readGateEvidence(analysis, version, projectFileReader(EXAMPLE));
    const { value, pauses } = counted(releaseGateSteps(analysis, version, evidence));
    expect(value).toEqual(releaseGate(analysis, version, evidence));
    expect(value.blockers.length + value.waived.length).toBeGreaterThan(0);
    expect(pauses).toBe(GATE_CHECKS.length);
  });

  it('the gap scan: the same result as in one call, with a pause at least before each clause', () => {
    const options = { readEvidence: projectFileReader(EXAMPLE) };
    const { value, pauses } = counted(gapScanSteps(analysis, options));
    expect(value).toEqual(gapScan(analysis, options));
    expect(value.clauses.length).toBe(CLAUSES.length);
    expect(pauses).toBeGreaterThan(CLAUSES.length);
  });

  it('the trace matrices: the same as in one call, with pauses', () => {
    const chains = traceChains(analysis.project.config);
    const version = analysis.project.config.software.version;
    const { value, pauses } = counted(traceMatricesSteps(analysis.graph, chains, version));
    expect(value).toEqual(traceMatrices(analysis.graph, chains, version));
    expect(value.length).toBe(chains.length);
    expect(pauses).toBeGreaterThanOrEqual(2 * chains.length);
  });

  it('runSteps gives the generator’s result', () => {
    function* three(): Steps<number> {
      yield;
      yield;
      return 3;
    }
    expect(runSteps(three())).toBe(3);
  });

  it('the site keeps what a page computed while the background steps were under way', () => {
    const data = siteData(analysis, { readEvidence: projectFileReader(EXAMPLE) });
    const steps = data.steps('gapScan');
    steps.next();
    steps.next();
    expect(data.computed('releases')).toBe(false);
    // A page asks for the gates now: computed at once, in one call.
    const asked = data.releases();
    expect(data.computed('releases')).toBe(true);
    runSteps(steps);
    expect(data.releases()).toBe(asked);
    expect(data.computed('gapScan')).toBe(true);
    // Run in steps, the site's gap scan counts what the one-call scan counts.
    const fresh = siteData(analysis, { readEvidence: projectFileReader(EXAMPLE) });
    expect(data.gapScan()).toEqual(fresh.gapScan());
  });
});

describe('stepwise: a value computed once, in steps or at once', () => {
  /** A computation of `n` steps that counts how often it was started. */
  const counter = (n: number) => {
    const started = { count: 0 };
    const start = function* (): Steps<string> {
      started.count++;
      for (let i = 0; i < n; i++) yield;
      return `done after ${n}`;
    };
    return { started, start };
  };

  it('a get() while the steps are under way finishes them; the steps then end; computed once', () => {
    const { started, start } = counter(5);
    const value = stepwise(start);
    const background = value.steps();
    background.next();
    background.next();
    expect(value.settled()).toBe(false);
    expect(value.get()).toBe('done after 5');
    expect(value.settled()).toBe(true);
    expect(background.next().done).toBe(true);
    expect(started.count).toBe(1);
    expect(value.get()).toBe('done after 5');
  });

  it('steps() run to the end give the value to get() without computing it again', () => {
    const { started, start } = counter(3);
    const value = stepwise(start);
    runSteps(value.steps());
    expect(value.settled()).toBe(true);
    expect(value.get()).toBe('done after 3');
    expect(started.count).toBe(1);
    // Asked again once computed: no step at all.
    expect(value.steps().next().done).toBe(true);
  });

  it('a step that throws settles it with the error: get() throws it again, nothing runs twice, no one waits for ever', () => {
    let calls = 0;
    const value = stepwise(function* (): Steps<number> {
      calls++;
      yield;
      throw new Error(`failed ${calls}`);
    });
    const background = value.steps();
    background.next();
    expect(value.settled()).toBe(false);
    // The background steps end (the driver announces the part as done); they do not throw.
    expect(background.next().done).toBe(true);
    expect(value.settled()).toBe(true);
    expect(() => value.get()).toThrow('failed 1');
    expect(() => value.get()).toThrow('failed 1');
    expect(value.steps().next().done).toBe(true);
    expect(calls).toBe(1);
  });
});
