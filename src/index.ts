/** Dossier's library API: the CLI is a thin shell over these functions. */
export { type Analysis, analyze, type Summary } from './analyze.js';
export { type Artifact, BUILD_STAGES, type BuildResult, build } from './build/build.js';
export type { Diagnostic, Finding, Severity } from './diagnostics/diagnostic.js';
export { checkReport, formatJson } from './diagnostics/format-json.js';
export { formatSarif, sarifLog } from './diagnostics/format-sarif.js';
export { formatText } from './diagnostics/format-text.js';
export { findCycles } from './graph/cycles.js';
export { type Link, TraceGraph } from './graph/graph.js';
export { type LoadResult, loadProject, type Project } from './load/project.js';
export { locate } from './load/source.js';
export { configSchema, type DossierConfig } from './model/config.js';
export { KINDS, type KindName, type KindSpec } from './model/kinds.js';
export type { DossierRecord } from './model/record.js';
export { RULES } from './rules/registry.js';
export { type TraceMatrix, traceMatrix } from './trace/matrix.js';
export { renderMatrices } from './trace/render.js';
