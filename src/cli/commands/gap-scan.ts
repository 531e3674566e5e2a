import { GAP_SCAN_FORMATS, renderGapScan } from '../../gap/render.js';
import { type Allowance, GapScanError, gapScan, gapScanFails } from '../../gap/scan.js';
import type { CommandResult } from '../../load/result-cache.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { runCached } from '../cached-command.js';
import { projectFileReader } from '../evidence-hasher.js';
import { displayRoot, EXIT, emit, loadOrReport, oneOf, parseCacheWanted, UsageError } from '../io.js';

export interface GapScanOptions {
  /** false with `--no-cache`. */
  cache?: boolean;
  format: string;
  version?: string;
  allow: string[];
  advisories?: string;
  out?: string;
}

/** `--allow 5.1.4="reason"` → { clause, reason }. */
export function parseAllowance(value: string): Allowance {
  const at = value.indexOf('=');
  if (at <= 0 || !/\S/.test(value.slice(at + 1)))
    throw new UsageError(
      `--allow ${value}: write it as CLAUSE=reason, e.g. --allow "5.1.4=class C items are outsourced"`,
    );
  return { clause: value.slice(0, at).trim(), reason: value.slice(at + 1).trim() };
}

/**
 * `dossier gap-scan [dir]`: where the project stands, clause by clause. Exit 1 while an applicable
 * clause has no evidence and no `--allow` accepts it.
 */
export function runGapScan(dir: string, options: GapScanOptions): number {
  const format = oneOf(options.format, GAP_SCAN_FORMATS, '--format');
  const allow = options.allow.map(parseAllowance);
  return runCached({
    command: 'gap-scan',
    options: { format, version: options.version ?? null, allow, advisories: options.advisories ?? null },
    dir,
    enabled: parseCacheWanted(options),
    compute: () => scanFor(dir, options, format, allow),
    show: (result) => {
      emit(result.text, { out: options.out, format });
      return result.exitCode;
    },
  });
}

function scanFor(
  dir: string,
  options: GapScanOptions,
  format: (typeof GAP_SCAN_FORMATS)[number],
  allow: Allowance[],
): CommandResult | number {
  // The scan judges the release gate, which needs every record: an incomplete project is refused.
  const { project, exitCode } = loadOrReport(
    dir,
    { refuse: 'scan for gaps' },
    { parseCache: parseCacheWanted(options) },
  );
  if (!project) return exitCode!;
  const { analysis } = analyzeWithAdvisories(dir, project, options.advisories, { required: false });
  let scan: ReturnType<typeof gapScan>;
  try {
    scan = gapScan(analysis, {
      ...(options.version !== undefined ? { version: options.version } : {}),
      readEvidence: projectFileReader(dir),
      allow,
    });
  } catch (error) {
    if (error instanceof GapScanError) throw new UsageError(error.message);
    throw error;
  }
  return {
    text: renderGapScan(scan, format, { displayRoot: displayRoot(dir) }),
    exitCode: gapScanFails(scan) ? EXIT.findings : EXIT.ok,
  };
}
