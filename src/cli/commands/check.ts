import type { ReportInput } from '../../diagnostics/format.js';
import { formatJson } from '../../diagnostics/format-json.js';
import { formatSarif } from '../../diagnostics/format-sarif.js';
import { formatText } from '../../diagnostics/format-text.js';
import type { CommandResult } from '../../load/result-cache.js';
import { CHECK_FORMATS } from '../../report-formats.js';
import { noteUncacheable } from '../../util/input-trace.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { runCached } from '../cached-command.js';
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
  const color = format === 'text' && !options.out && useColor(process.stdout);
  return runCached({
    command: 'check',
    options: { format, color, strict: options.strict === true, advisories: options.advisories ?? null },
    dir,
    enabled: parseCacheWanted(options),
    compute: () => check(dir, options, { format, color, parseCache: parseCacheWanted(options) }),
    show: (result) => {
      emit(result.text, { out: options.out, format, keepStyles: color });
      return result.exitCode;
    },
  });
}

/**
 * Loads and analyses the project: its report and exit code, or the exit code alone when it did not
 * load (the problems were printed). A project with records that did not load is never kept.
 */
function check(
  dir: string,
  options: CheckOptions,
  { format, color, parseCache }: { format: string; color: boolean; parseCache: boolean },
): CommandResult | number {
  const { project, exitCode } = loadOrReport(dir, 'report', { parseCache });
  if (!project) return exitCode!;
  if (project.unloaded.length > 0) noteUncacheable('records did not load');
  const { analysis } = analyzeWithAdvisories(dir, project, options.advisories, { required: false });
  const input: ReportInput = {
    diagnostics: analysis.diagnostics,
    summary: analysis.summary,
    displayRoot: displayRoot(dir),
    device: project.config.device.name,
    unloaded: project.unloaded,
    lowered: analysis.lowered,
  };
  const text =
    format === 'json'
      ? formatJson(input)
      : format === 'sarif'
        ? formatSarif(input)
        : formatText(input, { color });
  const failing = analysis.summary.errors + (options.strict ? analysis.summary.warnings : 0);
  return { text, exitCode: exitFor(project, failing > 0 ? EXIT.findings : EXIT.ok) };
}
