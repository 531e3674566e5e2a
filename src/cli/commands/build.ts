import path from 'node:path';
import type { Analysis } from '../../analyze.js';
import { build } from '../../build/build.js';
import { advisoryCoverageRows, advisoryCoverageSummary } from '../../build/soup-stage.js';
import { systemName } from '../../csa/assurance.js';
import { JSON_SCHEMA_VERSION } from '../../diagnostics/report.js';
import { readTemplates } from '../../docs/templates.js';
import { limitsOf } from '../../model/limits.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { type BuildDate, projectBuildDate } from '../../util/build-date.js';
import { textTable } from '../../util/text-table.js';
import { DOSSIER_VERSION } from '../../version.js';
import { analyzeWithAdvisories } from '../advisory-db.js';
import { projectFileReader } from '../evidence-hasher.js';
import { displayRoot, EXIT, loadOrReport, oneOf } from '../io.js';
import { writeOut } from '../terminal.js';

export interface BuildOptions {
  out: string;
  format?: string;
  advisories?: string;
}

const DATE_SOURCES: Record<BuildDate['source'], string> = {
  SOURCE_DATE_EPOCH: 'SOURCE_DATE_EPOCH',
  commit: 'commit date of HEAD',
  clock: 'current time: not in git and no SOURCE_DATE_EPOCH',
};

export async function runBuild(dir: string, options: BuildOptions): Promise<number> {
  const date = projectBuildDate(dir);
  const loaded = loadOrReport(dir, { refuse: 'build the outputs' });
  const project = loaded.project;
  if (!project) return loaded.exitCode!;
  const { analysis, snapshots } = analyzeWithAdvisories(dir, project, options.advisories, {
    required: false,
  });
  const outDir = path.resolve(options.out);
  // Each file is written as soon as it is rendered, so that only one document is in memory at a time.
  const result = await build(
    analysis,
    {
      displayRoot: displayRoot(dir),
      timestamp: date.timestamp,
      documentTemplates: readTemplates(dir, project.config.documentTemplates),
      readEvidence: projectFileReader(dir, limitsOf(project.config.limits).maxReportBytes),
      ...(snapshots ? { advisorySnapshots: snapshots } : {}),
    },
    (artifact) => writeFileAtomic(path.join(outDir, artifact.path), artifact.chunks),
  );
  const exitCode = result.stages.every((s) => s.ok) ? EXIT.ok : EXIT.findings;
  const coverage = advisoryCoverageSummary(analysis);
  if (oneOf(options.format ?? 'text', ['text', 'json'] as const, '--format') === 'json') {
    const summary = {
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: { name: 'dossier', version: DOSSIER_VERSION },
      device: project.config.device.name,
      out: displayRoot(options.out),
      date,
      stages: result.stages,
      advisoryCoverage: coverage.ecosystems,
      notMatchable: coverage.notMatchable,
      files: result.files.map((f) => f.path),
    };
    writeOut(`${JSON.stringify(summary, null, 2)}\n`, { exact: true });
    return exitCode;
  }

  const out = [
    `Dossier build: ${buildSubject(analysis)}`,
    '',
    ...textTable(
      ['Stage', 'Result', 'Outputs'],
      result.stages.map((s) => [s.stage, `${s.ok ? '✔' : '✖'} ${s.result}`, summarizeOutputs(s.outputs)]),
      { rule: '─' },
    ),
    ...coverageLines(coverage),
    '',
    `Wrote ${result.files.length} files to ${displayRoot(options.out)}/, dated ${date.timestamp} (${DATE_SOURCES[date.source]})`,
  ];
  writeOut(`${out.join('\n')}\n`);
  return exitCode;
}

/** What was built: the device, or for production software the system validated and what it serves. */
function buildSubject(analysis: Analysis): string {
  const { config } = analysis.project;
  if (config.profile !== 'production-software') return config.device.name;
  return `${systemName(analysis.graph, config.software.system)}, production software for ${config.device.name}`;
}

function summarizeOutputs(outputs: readonly string[]): string {
  if (outputs.length === 0) return 'no files';
  const folders = [...new Set(outputs.map((o) => o.split('/')[0]))];
  return `${outputs.length} files in ${folders.map((f) => `${f}/`).join(', ')}`;
}

/** Per ecosystem of the SOUP in use: items, the advisory data and its age; nothing when no SOUP. */
function coverageLines(coverage: ReturnType<typeof advisoryCoverageSummary>): string[] {
  const rows = advisoryCoverageRows(coverage);
  if (rows.length === 0) return [];
  return [
    '',
    `Advisory data (7.1.3), ages on ${coverage.date}, limit ${coverage.maxAgeDays} days:`,
    ...textTable(['Ecosystem', 'SOUP items', 'Advisory data', 'Age'], rows, { rule: '─' }),
  ];
}
