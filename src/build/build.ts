import type { Analysis } from '../analyze.js';
import { plural, type ReportInput } from '../diagnostics/format.js';
import { formatJson } from '../diagnostics/format-json.js';
import { formatSarif } from '../diagnostics/format-sarif.js';
import { formatText } from '../diagnostics/format-text.js';
import { traceMatrices } from '../evidence/trace-results.js';
import { traceChains } from '../model/config.js';
import { renderClassification } from '../safety/classification-report.js';
import { renderRisk } from '../safety/risk-report.js';
import { softwareRiskTraceCsv, softwareRiskTraceMarkdown } from '../safety/software-risk-trace.js';
import { renderCsv, renderMarkdown, renderMatrices, renderText } from '../trace/render.js';
import { sha256Hex } from '../util/hash.js';
import { DOSSIER_VERSION } from '../version.js';
import { releaseStage } from './release-stage.js';
import { soupStage } from './soup-stage.js';

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

export interface BuildContext {
  readonly displayRoot: string;
  /** The advisory data the SOUP scan used, for the scan report's header. */
  readonly advisorySnapshots?: readonly { ecosystem: string; snapshot?: string; advisories: number }[];
}

/** A stage of `dossier build`: later capabilities add theirs to BUILD_STAGES. */
export type BuildStage = (
  analysis: Analysis,
  context: BuildContext,
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
    lowered: analysis.lowered,
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
  const chains = traceChains(analysis.project.config);
  // With test results for the configured version, each row says whether it is verified on it.
  const version = analysis.project.config.software.version;
  const hasRuns = analysis.graph.ofKind('test-run').length > 0;
  const matrices = traceMatrices(analysis.graph, chains, hasRuns ? version : undefined);
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

const riskStage: BuildStage = (analysis) => {
  const { safety } = analysis;
  const device = analysis.project.config.device.name;
  const artifacts: Artifact[] = [
    { path: 'risk/risk-table.md', content: renderRisk(safety, 'markdown', device) },
    { path: 'risk/risk-table.csv', content: renderRisk(safety, 'csv', device) },
    { path: 'risk/risk-table.txt', content: renderRisk(safety, 'text', device) },
    { path: 'risk/risk.json', content: renderRisk(safety, 'json', device) },
    { path: 'risk/software-risk-trace.md', content: softwareRiskTraceMarkdown(safety.softwareRiskTrace) },
    { path: 'risk/software-risk-trace.csv', content: softwareRiskTraceCsv(safety.softwareRiskTrace) },
  ];
  if (safety.policy) {
    artifacts.push({
      path: 'risk/matrix-initial.svg',
      content: renderRisk(safety, 'svg', device, 'initial'),
    });
    artifacts.push({
      path: 'risk/matrix-residual.svg',
      content: renderRisk(safety, 'svg', device, 'residual'),
    });
  }
  const unacceptable = safety.risks.filter((r) => r.benefitRiskNeeded).length;
  const notEvaluated = safety.risks.filter((r) => !r.initial || !r.residual).length;
  return {
    artifacts,
    ok: notEvaluated === 0 || safety.risks.length === 0,
    result: `${plural(safety.risks.length, 'hazardous situation')}, ${unacceptable} residual unacceptable, ${notEvaluated} not evaluated`,
  };
};

const classifyStage: BuildStage = (analysis) => {
  const { safety } = analysis;
  const tooLow = analysis.diagnostics.filter((d) => d.code === 'class/declared-too-low').length;
  return {
    artifacts: [
      { path: 'classification/classification.md', content: renderClassification(safety, 'markdown') },
      { path: 'classification/classification.txt', content: renderClassification(safety, 'text') },
      { path: 'classification/classification.json', content: renderClassification(safety, 'json') },
    ],
    ok: tooLow === 0,
    result: `system class ${safety.system?.computedClass ?? '?'}, ${plural(safety.items.length, 'item')}${tooLow ? `, ${tooLow} declared too low` : ''}; FDA ${safety.documentationLevel.level}`,
  };
};

export const BUILD_STAGES: readonly { name: string; run: BuildStage }[] = [
  { name: 'check', run: checkStage },
  { name: 'trace', run: traceStage },
  { name: 'risk', run: riskStage },
  { name: 'classify', run: classifyStage },
  { name: 'soup', run: soupStage },
  { name: 'release', run: releaseStage },
];

/** Runs every stage and returns the files to write. Deterministic: same records, same bytes. */
export function build(analysis: Analysis, context: BuildContext): BuildResult {
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
      .map((a) => ({ path: a.path, sha256: sha256Hex(a.content) }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  artifacts.push({ path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` });
  return { artifacts, stages };
}
