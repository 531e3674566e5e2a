import { TraceGraph } from '../../graph/graph.js';
import type { Project } from '../../load/project.js';
import { CLASSIFY_FORMATS, renderClassification } from '../../safety/classification-report.js';
import { RISK_FORMATS, renderRisk } from '../../safety/risk-report.js';
import { analyzeSafety } from '../../safety/safety-analysis.js';
import { EXIT, emitReport, exitFor, loadOrReport, oneOf, UsageError } from '../io.js';

/** Only the risk and classification analysis: these commands need none of the other rules. */
function safetyOf(project: Project) {
  return analyzeSafety(new TraceGraph(project.records), project.config);
}

export function runClassify(dir: string, options: { format: string; out?: string }): number {
  const format = oneOf(options.format, CLASSIFY_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  emitReport(renderClassification(safetyOf(project), format), {
    format,
    project,
    dir,
    out: options.out,
  });
  return exitFor(project, EXIT.ok);
}

export function runRisk(dir: string, options: { format: string; matrix: string; out?: string }): number {
  const format = oneOf(options.format, RISK_FORMATS, '--format');
  const phase = oneOf(options.matrix, ['initial', 'residual'] as const, '--matrix');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const safety = safetyOf(project);
  if (format === 'svg' && !safety.policy) {
    throw new UsageError('dossier.yaml has no `risk:` policy, so there is no risk matrix to draw');
  }
  emitReport(renderRisk(safety, format, project.config.device.name, phase), {
    format,
    project,
    dir,
    out: options.out,
  });
  return exitFor(project, EXIT.ok);
}
