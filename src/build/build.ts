import { createHash } from 'node:crypto';
import type { Analysis } from '../analyze.js';
import { formatJson, formatSarif, formatText, plural, type ReportInput } from '../diagnostics/format.js';
import { DEFAULT_TRACE_CHAINS } from '../model/config.js';
import { traceMatrix } from '../trace/matrix.js';
import { renderCsv, renderMarkdown, renderMatrices, renderText } from '../trace/render.js';
import { DOSSIER_VERSION } from '../version.js';

export interface Artifact {
  /** Path inside the build folder, forward slashes. */
  readonly path: string;
  readonly content: string;
}

export interface StageResult {
  readonly stage: string;
  readonly ok: boolean;
  readonly result: string;
  readonly outputs: readonly string[];
}

export interface BuildResult {
  readonly artifacts: readonly Artifact[];
  readonly stages: readonly StageResult[];
}

/** A stage of `dossier build`: later capabilities add theirs to BUILD_STAGES. */
export type BuildStage = (
  analysis: Analysis,
  context: { displayRoot: string },
) => {
  artifacts: Artifact[];
  ok: boolean;
  result: string;
};

const checkStage: BuildStage = (analysis, { displayRoot }) => {
  const input: ReportInput = {
    diagnostics: analysis.diagnostics,
    summary: analysis.summary,
    displayRoot,
    device: analysis.project.config.device.name,
  };
  const s = analysis.summary;
  return {
    artifacts: [
      { path: 'check/report.txt', content: formatText(input) },
      { path: 'check/report.json', content: formatJson(input) },
      { path: 'check/report.sarif', content: formatSarif(input) },
    ],
    ok: s.errors === 0,
    result: `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} in ${plural(s.records, 'record')}`,
  };
};

const traceStage: BuildStage = (analysis) => {
  const chains = analysis.project.config.trace?.chains ?? DEFAULT_TRACE_CHAINS;
  const matrices = chains.map((chain) => traceMatrix(analysis.graph, chain));
  const artifacts: Artifact[] = [];
  for (const m of matrices) {
    artifacts.push({ path: `trace/${m.name}.md`, content: renderMarkdown(m) });
    artifacts.push({ path: `trace/${m.name}.csv`, content: renderCsv(m) });
    artifacts.push({ path: `trace/${m.name}.txt`, content: renderText(m) });
  }
  artifacts.push({ path: 'trace/matrices.json', content: renderMatrices(matrices, 'json') });
  const gaps = matrices.reduce((n, m) => n + m.rows.filter((r) => r.gapAt >= 0).length, 0);
  return {
    artifacts,
    ok: true,
    result: `${matrices.length} ${matrices.length === 1 ? 'matrix' : 'matrices'}, ${plural(gaps, 'row')} with gaps`,
  };
};

export const BUILD_STAGES: readonly { name: string; run: BuildStage }[] = [
  { name: 'check', run: checkStage },
  { name: 'trace', run: traceStage },
];

/** Runs every stage and returns the files to write. Deterministic: same records, same bytes. */
export function build(analysis: Analysis, context: { displayRoot: string }): BuildResult {
  const artifacts: Artifact[] = [];
  const stages: StageResult[] = [];
  for (const { name, run } of BUILD_STAGES) {
    const out = run(analysis, context);
    artifacts.push(...out.artifacts);
    stages.push({ stage: name, ok: out.ok, result: out.result, outputs: out.artifacts.map((a) => a.path) });
  }
  const manifest = {
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    device: analysis.project.config.device.name,
    stages: stages.map((s) => ({ stage: s.stage, ok: s.ok, result: s.result })),
    files: artifacts
      .map((a) => ({ path: a.path, sha256: createHash('sha256').update(a.content).digest('hex') }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  artifacts.push({ path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` });
  return { artifacts, stages };
}
