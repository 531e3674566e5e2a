import { traceMatrices } from '../../evidence/trace-results.js';
import { TraceGraph } from '../../graph/graph.js';
import { traceChains } from '../../model/config.js';
import { renderMatrices, TRACE_FORMATS } from '../../trace/render.js';
import { EXIT, emitReport, exitFor, loadOrReport, oneOf, UsageError } from '../io.js';

export interface TraceOptions {
  format: string;
  chain?: string[];
  out?: string;
  /** Show whether each row is verified on this version (from test-run records). */
  results?: string;
}

export function runTrace(dir: string, options: TraceOptions): number {
  const format = oneOf(options.format, TRACE_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const all = traceChains(project.config);
  const wanted = options.chain?.length ? options.chain : all.map((c) => c.name);
  const chains = wanted.map((name) => {
    const chain = all.find((c) => c.name === name);
    if (!chain)
      throw new UsageError(
        `no trace chain "${name}"; configured chains: ${all.map((c) => c.name).join(', ')}`,
      );
    return chain;
  });
  const graph = new TraceGraph(project.records);
  const matrices = traceMatrices(graph, chains, options.results);
  emitReport(renderMatrices(matrices, format), { format, project, dir, out: options.out });
  return exitFor(project, EXIT.ok);
}
