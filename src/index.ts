/** Dossier's library API: the CLI is a thin shell over these functions. */
export { type Analysis, analyze, type Summary } from './analyze.js';
export { type Artifact, BUILD_STAGES, type BuildResult, build } from './build/build.js';
export type { Diagnostic, Finding, Severity } from './diagnostics/diagnostic.js';
export { checkReport, formatJson } from './diagnostics/format-json.js';
export { formatSarif, sarifLog } from './diagnostics/format-sarif.js';
export { formatText } from './diagnostics/format-text.js';
export { type NewRecordPlan, planNewRecord, writeNewRecord } from './edit/new-record.js';
export { planRenumber, type RenumberPlan, writeRenumber } from './edit/renumber.js';
export { readCobertura, readLcov } from './evidence/coverage.js';
export { mapResultToTest, resultMapper } from './evidence/evidence-id.js';
export { planRunImport } from './evidence/import-run.js';
// Verification evidence and releases (issue 5)
export { type JUnitReport, readJUnit } from './evidence/junit.js';
export { problemTrends } from './evidence/problem-trends.js';
export { type Blocker, GATE_CHECKS, type GateResult, releaseGate } from './evidence/release-gate.js';
export { readSarif } from './evidence/sarif.js';
export { verdictsOn, verificationStatus } from './evidence/verdicts.js';
// The gap scan (issue 11)
export { CLAUSES, CYBERSECURITY_ITEMS, DESIGN_CONTROLS, FDA_ELEMENTS } from './gap/catalog.js';
export { GAP_SCAN_FORMATS, renderGapScan } from './gap/render.js';
export { type GapScanReport, gapScanReport } from './gap/report-json.js';
export {
  type ClauseResult,
  type GapScanOptions,
  type GapScanResult,
  gapScan,
  type ObligationResult,
  orderedGaps,
} from './gap/scan.js';
export type { GapStatus } from './gap/types.js';
export { findCycles } from './graph/cycles.js';
export { type Link, TraceGraph } from './graph/graph.js';
// History, baselines and diffs (issue 13)
export { type Baseline, resolveBaseline } from './history/baseline.js';
export { type DiffOptions, diffProjects, type ProjectDiff } from './history/diff.js';
export { DIFF_FORMATS, type DiffReport, diffReport, renderDiff } from './history/diff-report.js';
export { HISTORY_FORMATS, renderHistory } from './history/history-report.js';
export {
  type LoadAtOptions,
  loadProjectAt,
  type ProjectAtCache,
  type ProjectAtResult,
  projectAtCache,
  RevisionError,
  WORKTREE,
} from './history/project-at.js';
export { type RecordHistory, RecordNotInHistoryError, recordHistory } from './history/record-history.js';
export { type LoadResult, loadProject, type Project } from './load/project.js';
export { gitHeadReader, type HeadReader } from './load/records-at-head.js';
export { locate } from './load/source.js';
// Load completeness (issue 9): files that did not load make a project incomplete.
export {
  assertLoadComplete,
  LoadIncompleteError,
  type RecordsAtHead,
  type UnloadedFile,
} from './load/unloaded.js';
export { configSchema, type DossierConfig } from './model/config.js';
export { KINDS, type KindName, type KindSpec } from './model/kinds.js';
export type { DossierRecord } from './model/record.js';
// Plans (issue 11): which plans and sections a project has, per clause.
export {
  type PlanCoverage,
  type PlanSectionEvidence,
  type PlanTypeCoverage,
  planCoverage,
  planSectionsForClause,
} from './plans/coverage.js';
export { PLAN_TYPE_SPECS, type PlanTypeSpec } from './plans/plan-data.js';
export type { SectionCoverage, SectionState } from './plans/sections.js';
export { compareUnderRulesets, type RulesetComparison, writeRulesetPin } from './rules/migrate.js';
export { RULES } from './rules/registry.js';
export {
  currentRuleset,
  type RulesetChangelog,
  RulesetError,
  type RulesetPlan,
  rulesetChangelog,
  rulesetPlan,
} from './rules/ruleset.js';
export { type CreditedControl, creditedExternalControls } from './safety/external-credit.js';
export { analyzeSafety, type SafetyAnalysis } from './safety/safety-analysis.js';
// The site (issue 14): pages of an analysis, the static site, the local server
export { type SiteData, type SiteOptions, siteData } from './site/data.js';
export { type ServerOptions, type SiteServer, startSiteServer } from './site/server.js';
export { type SiteFile, siteFile, sitePaths } from './site/site.js';
export { type Watcher, watchProject } from './site/watch.js';
export { importAdvisories } from './soup/advisories/import.js';
export { type AdvisoryStore, type EcosystemData, openAdvisoryStore } from './soup/advisories/store.js';
export { syncAdvisories } from './soup/advisories/sync.js';
export {
  type AdvisoryFreshness,
  advisoryCoverage,
  type EcosystemCoverage,
  freshnessAt,
} from './soup/coverage.js';
// SOUP and cybersecurity (issue 4)
export { type DependencyReader, READERS, readDependencyFile } from './soup/import/index.js';
export type { ImportedComponent, ImportResult } from './soup/import/types.js';
export { matchVersion } from './soup/osv/match.js';
export { toCycloneDx, toCycloneDxVex } from './soup/sbom/cyclonedx.js';
export { sbomFromProject } from './soup/sbom/from-project.js';
export { toOpenVex } from './soup/sbom/openvex.js';
export { soupListCsv, soupListMarkdown } from './soup/sbom/soup-list.js';
export { toSpdx } from './soup/sbom/spdx.js';
export { type AdvisorySource, type SoupFinding, type SoupScan, scanSoup } from './soup/scan.js';
export { applySync } from './soup/sync/apply.js';
export { planSync, type SyncPlan } from './soup/sync/plan.js';
export { comparatorFor, SUPPORTED_ECOSYSTEMS } from './soup/versions/index.js';
export { type TraceMatrix, traceMatrix } from './trace/matrix.js';
export { renderMatrices } from './trace/render.js';
export { type BuildDate, BuildDateError, projectBuildDate, resolveBuildDate } from './util/build-date.js';
export { RULESET_VERSION } from './version.js';
