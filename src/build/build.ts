import { createHash } from 'node:crypto';
import type { Analysis } from '../analyze.js';
import { plural, type ReportInput } from '../diagnostics/format.js';
import { formatJson } from '../diagnostics/format-json.js';
import { formatSarif } from '../diagnostics/format-sarif.js';
import { formatText } from '../diagnostics/format-text.js';
import type { DocumentFormat } from '../docs/registry.js';
import type { DocumentTemplates } from '../docs/templates.js';
import type { EvidenceReader, GateResult } from '../evidence/release-gate.js';
import { traceMatrices } from '../evidence/trace-results.js';
import { assertLoadComplete } from '../load/unloaded.js';
import { isProductionSoftware, traceChains } from '../model/config.js';
import { classificationJsonChunks, renderClassification } from '../safety/classification-report.js';
import { renderRisk } from '../safety/risk-report.js';
import { softwareRiskTraceCsv, softwareRiskTraceMarkdown } from '../safety/software-risk-trace.js';
import { matricesJsonChunks, renderCsv, renderMarkdown, renderText } from '../trace/render.js';
import { sha256Hex } from '../util/hash.js';
import { joinChunks } from '../util/json-chunks.js';
import { releaseGarbage } from '../util/memory.js';
import { DOSSIER_VERSION } from '../version.js';
import { documentsStage } from './documents-stage.js';
import { gapStage } from './gap-stage.js';
import { releaseStage } from './release-stage.js';
import { signaturesStage } from './signatures-stage.js';
import { siteStage } from './site-stage.js';
import { soupStage } from './soup-stage.js';
import { validationStage, validationStageApplies } from './validation-stage.js';

export interface Artifact {
  /** Path inside the build folder, forward slashes. */
  readonly path: string;
  /** Text, or the bytes of a binary document (DOCX, PDF). */
  readonly content: string | Uint8Array;
}

/**
 * An artifact rendered only when the build reaches it. Large projects give documents of tens of
 * megabytes; rendering them one at a time, and letting each go once it is written or hashed, keeps
 * the peak memory of `build` and `release check` to the analysis plus one document.
 */
export interface LazyArtifact {
  readonly path: string;
  /**
   * The content, whole or in pieces (large JSON documents are written piece by piece), or the
   * bytes of a binary document, which some renderers (DOCX) can only give asynchronously.
   */
  render(): string | Iterable<string> | Uint8Array | Promise<Uint8Array>;
}

export type StageArtifact = Artifact | LazyArtifact;

/** The path and sha256 of a file the build produced. */
export interface BuiltFile {
  readonly path: string;
  readonly sha256: string;
}

export interface StageResult {
  readonly stage: string;
  readonly ok: boolean;
  readonly result: string;
  readonly outputs: readonly string[];
}

export interface BuildResult {
  /** The rendered files, in build order; empty when a sink received them instead. */
  readonly artifacts: readonly Artifact[];
  /** Every file produced (the manifest included), in build order. */
  readonly files: readonly BuiltFile[];
  readonly stages: readonly StageResult[];
}

/**
 * Receives each file as it is rendered, in pieces, and must consume them all (write or discard);
 * the build hashes the pieces as they pass and keeps only the path and hash.
 */
export type ArtifactSink = (artifact: {
  readonly path: string;
  readonly chunks: Iterable<string | Uint8Array>;
}) => void;

export interface BuildContext {
  readonly displayRoot: string;
  /** The date the outputs carry (src/util/build-date.ts): the same commit gives the same bytes. */
  readonly timestamp: string;
  /**
   * Reads a project file's bytes (undefined when missing), so that the release stage's gate reads
   * the reports and the evidence manifest of earlier gates like `dossier release check` does;
   * without it the gate says the reports were not checked.
   */
  readonly readEvidence?: EvidenceReader;
  /** A gate already computed with the same inputs (`release check`), reused for its version. */
  readonly gate?: GateResult;
  /**
   * The formats of the documentation package (default: all). `release check` hashes the Markdown
   * and HTML only: DOCX and PDF are typeset from the same document model, and typesetting the whole
   * package again for every check would cost more than the check itself.
   */
  readonly documentFormats?: readonly DocumentFormat[];
  /** The project's document templates (docs/documents.md#templates); Dossier's own when absent. */
  readonly documentTemplates?: DocumentTemplates;
  /** The advisory data the SOUP scan used, for the scan report's header. */
  readonly advisorySnapshots?: readonly { ecosystem: string; snapshot?: string; advisories: number }[];
}

export interface StageOutput {
  artifacts: StageArtifact[];
  ok: boolean;
  result: string;
}

/** A stage of `dossier build`: later capabilities add theirs to BUILD_STAGES. */
export type BuildStage = (analysis: Analysis, context: BuildContext) => StageOutput | Promise<StageOutput>;

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
      { path: 'check/report.txt', render: () => formatText(input) },
      { path: 'check/report.json', render: () => formatJson(input) },
      { path: 'check/report.sarif', render: () => formatSarif(input) },
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
  const artifacts: StageArtifact[] = [];
  for (const m of matrices) {
    artifacts.push({ path: `trace/${m.name}.md`, render: () => renderMarkdown(m) });
    artifacts.push({ path: `trace/${m.name}.csv`, render: () => renderCsv(m) });
    artifacts.push({ path: `trace/${m.name}.txt`, render: () => renderText(m) });
  }
  artifacts.push({ path: 'trace/matrices.json', render: () => matricesJsonChunks(matrices) });
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
  const artifacts: StageArtifact[] = [
    { path: 'risk/risk-table.md', render: () => renderRisk(safety, 'markdown', device) },
    { path: 'risk/risk-table.csv', render: () => renderRisk(safety, 'csv', device) },
    { path: 'risk/risk-table.txt', render: () => renderRisk(safety, 'text', device) },
    { path: 'risk/risk.json', render: () => renderRisk(safety, 'json', device) },
    {
      path: 'risk/software-risk-trace.md',
      render: () => softwareRiskTraceMarkdown(safety.softwareRiskTrace),
    },
    { path: 'risk/software-risk-trace.csv', render: () => softwareRiskTraceCsv(safety.softwareRiskTrace) },
  ];
  if (safety.policy) {
    artifacts.push({
      path: 'risk/matrix-initial.svg',
      render: () => renderRisk(safety, 'svg', device, 'initial'),
    });
    artifacts.push({
      path: 'risk/matrix-residual.svg',
      render: () => renderRisk(safety, 'svg', device, 'residual'),
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
      { path: 'classification/classification.md', render: () => renderClassification(safety, 'markdown') },
      { path: 'classification/classification.txt', render: () => renderClassification(safety, 'text') },
      { path: 'classification/classification.json', render: () => classificationJsonChunks(safety) },
    ],
    ok: tooLow === 0,
    result: `system class ${safety.system?.computedClass ?? '?'}, ${plural(safety.items.length, 'item')}${tooLow ? `, ${tooLow} declared too low` : ''}; FDA ${safety.documentationLevel.level}`,
  };
};

/**
 * Device work (IEC 62304 trace chains, ISO 14971 risk, classification, SOUP, the release gate, the
 * device site): not for production software, whose validation report is a document of its package.
 */
const isDevice = (analysis: Analysis): boolean => !isProductionSoftware(analysis.project.config);

/** The stages in order; a stage with `applies` runs only for the projects it says yes to. */
export const BUILD_STAGES: readonly {
  name: string;
  run: BuildStage;
  applies?: (analysis: Analysis) => boolean;
}[] = [
  { name: 'check', run: checkStage },
  { name: 'trace', run: traceStage, applies: isDevice },
  { name: 'risk', run: riskStage, applies: isDevice },
  { name: 'classify', run: classifyStage, applies: isDevice },
  { name: 'soup', run: soupStage, applies: isDevice },
  { name: 'release', run: releaseStage, applies: isDevice },
  { name: 'signatures', run: signaturesStage },
  { name: 'gap-scan', run: gapStage },
  { name: 'documents', run: documentsStage },
  { name: 'validation', run: validationStage, applies: validationStageApplies },
  { name: 'site', run: siteStage, applies: isDevice },
];

/**
 * Runs every stage. Without a sink it returns every file's content; with one, each file goes to the
 * sink as soon as it is rendered and only its path and hash are kept. Deterministic: same records,
 * same bytes. Refuses (LoadIncompleteError) while record files did not load: documents must
 * describe them all.
 */
export async function build(
  analysis: Analysis,
  context: BuildContext,
  sink?: ArtifactSink,
): Promise<BuildResult> {
  assertLoadComplete(analysis.project, 'build the outputs');
  const artifacts: Artifact[] = [];
  const files: BuiltFile[] = [];
  const stages: StageResult[] = [];
  const emit = (path: string, content: string | Iterable<string> | Uint8Array) => {
    if (!sink) {
      const whole =
        typeof content === 'string' || content instanceof Uint8Array ? content : joinChunks(content);
      files.push({ path, sha256: sha256Hex(whole) });
      artifacts.push({ path, content: whole });
      return;
    }
    const hash = createHash('sha256');
    const chunks = function* () {
      for (const chunk of typeof content === 'string' || content instanceof Uint8Array
        ? [content]
        : content) {
        hash.update(chunk);
        yield chunk;
      }
    };
    const source = chunks();
    // Without `return`, a sink that stops early (break) cannot close the source: the rest is read
    // below, so the manifest never holds a hash of part of the document.
    sink({ path, chunks: { [Symbol.iterator]: () => ({ next: () => source.next() }) } });
    for (const _ of source);
    files.push({ path, sha256: hash.digest('hex') });
    releaseGarbage(); // the document is gone once the sink has it: keep the peak near the live heap
  };
  for (const { name, run, applies } of BUILD_STAGES) {
    if (applies && !applies(analysis)) continue;
    const out = await run(analysis, context);
    for (const a of out.artifacts) emit(a.path, 'content' in a ? a.content : await a.render());
    stages.push({ stage: name, ok: out.ok, result: out.result, outputs: out.artifacts.map((a) => a.path) });
  }
  const manifest = {
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    device: analysis.project.config.device.name,
    stages: stages.map((s) => ({ stage: s.stage, ok: s.ok, result: s.result })),
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  emit('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { artifacts, files, stages };
}
