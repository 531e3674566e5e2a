import type { ReportInput } from '../../diagnostics/format.js';
import { formatJson } from '../../diagnostics/format-json.js';
import { formatSarif } from '../../diagnostics/format-sarif.js';
import { formatText } from '../../diagnostics/format-text.js';
import { CHECK_FORMATS } from '../../report-formats.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { displayRoot, EXIT, emit, exitFor, loadOrReport, oneOf, parseCacheWanted, useColor } from '../io.js';

export { CHECK_FORMATS };

export interface CheckOptions {
  format: string;
  strict?: boolean;
  out?: string;
  advisories?: string;
  /** false with `--no-cache`. */
  cache?: boolean;
}

export function runCheck(dir: string, options: CheckOptions): number {
  const format = oneOf(options.format, CHECK_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report', { parseCache: parseCacheWanted(options) });
  if (!project) return exitCode!;
  const { analysis } = analyzeWithAdvisories(dir, project, options.advisories, { required: false });
  const input: ReportInput = {
    diagnostics: analysis.diagnostics,
    summary: analysis.summary,
    displayRoot: displayRoot(dir),
    device: project.config.device.name,
    unloaded: project.unloaded,
    lowered: analysis.lowered,
  };
  const color = format === 'text' && !options.out && useColor(process.stdout);
  const text =
    format === 'json'
      ? formatJson(input)
      : format === 'sarif'
        ? formatSarif(input)
        : formatText(input, { color });
  emit(text, { out: options.out, format, keepStyles: color });
  const failing = analysis.summary.errors + (options.strict ? analysis.summary.warnings : 0);
  return exitFor(project, failing > 0 ? EXIT.findings : EXIT.ok);
}
