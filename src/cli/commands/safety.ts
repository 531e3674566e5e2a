import { analyze } from '../../analyze.js';
import { CLASSIFY_FORMATS, renderClassification } from '../../safety/classification-report.js';
import { RISK_FORMATS, renderRisk } from '../../safety/risk-report.js';
import { EXIT, emit, loadOrReport, oneOf, UsageError } from '../io.js';

export function runClassify(dir: string, options: { format: string; out?: string }): number {
  const format = oneOf(options.format, CLASSIFY_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir);
  if (!project) return exitCode!;
  emit(renderClassification(analyze(project).safety, format), options.out);
  return EXIT.ok;
}

export function runRisk(dir: string, options: { format: string; matrix: string; out?: string }): number {
  const format = oneOf(options.format, RISK_FORMATS, '--format');
  const phase = oneOf(options.matrix, ['initial', 'residual'] as const, '--matrix');
  const { project, exitCode } = loadOrReport(dir);
  if (!project) return exitCode!;
  const safety = analyze(project).safety;
  if (format === 'svg' && !safety.policy) {
    throw new UsageError('dossier.yaml has no `risk:` policy, so there is no risk matrix to draw');
  }
  emit(renderRisk(safety, format, project.config.device.name, phase), options.out);
  return EXIT.ok;
}
