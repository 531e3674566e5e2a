/**
 * Traceability matrices with test results: the "verified on <version>" column that
 * `dossier trace --results` and the build's trace stage show.
 */
import type { TraceGraph } from '../graph/graph.js';
import type { TraceChainConfig } from '../model/config.js';
import { type TraceMatrix, traceMatrixSteps } from '../trace/matrix.js';
import { runSteps, type Steps } from '../util/steps.js';
import { testsOn, type Verdict, verdictsOn, verificationStatus } from './verdicts.js';

/**
 * A row is verified only when every test on it that belongs to the version passed there: stricter
 * than the release gate's "one passed, none failed", so a trace reader sees every missing result.
 */
function withResults(
  matrix: TraceMatrix,
  graph: TraceGraph,
  version: string,
  verdicts: ReadonlyMap<string, Verdict>,
): TraceMatrix {
  if (matrix.kinds[matrix.kinds.length - 1] !== 'test') return matrix;
  const rows = matrix.rows.map((row) => {
    const cell = row.cells[row.cells.length - 1];
    if (!cell || cell.length === 0) return 'UNVERIFIED: no test';
    const tests = testsOn(graph, cell, version);
    const s = verificationStatus(tests, verdicts);
    if (s.failing.length > 0)
      return `UNVERIFIED: ${s.failing.map((f) => `${f.testId} ${f.outcome}`).join(', ')}`;
    if (s.verified && s.missing.length === 0) return 'verified';
    return s.missing.length === tests.length
      ? `UNVERIFIED: not run on ${version}`
      : `UNVERIFIED: ${s.missing.join(', ')} not run on ${version}`;
  });
  return { ...matrix, verification: { version, rows } };
}

/** The matrices of the chains; with a version, each row also says whether it is verified on it. */
export function traceMatrices(
  graph: TraceGraph,
  chains: readonly TraceChainConfig[],
  version?: string,
): TraceMatrix[] {
  return runSteps(traceMatricesSteps(graph, chains, version));
}

/** {@link traceMatrices} in steps (src/util/steps.ts): the matrices' own, then one per chain for the results. */
export function* traceMatricesSteps(
  graph: TraceGraph,
  chains: readonly TraceChainConfig[],
  version?: string,
): Steps<TraceMatrix[]> {
  const verdicts = version ? verdictsOn(graph.ofKind('test-run'), version) : undefined;
  const matrices: TraceMatrix[] = [];
  for (const chain of chains) {
    const matrix = yield* traceMatrixSteps(graph, chain);
    yield;
    matrices.push(version && verdicts ? withResults(matrix, graph, version, verdicts) : matrix);
  }
  return matrices;
}

/**
 * Matrices already built, with the results on `version`: one trace, results on several versions
 * (the documents' results per version) without building the matrices again.
 */
export function matricesOnVersion(
  graph: TraceGraph,
  matrices: readonly TraceMatrix[],
  version: string,
): TraceMatrix[] {
  const verdicts = verdictsOn(graph.ofKind('test-run'), version);
  return matrices.map((m) => withResults(m, graph, version, verdicts));
}
