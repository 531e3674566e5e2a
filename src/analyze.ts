import {
  type Anchor,
  compareDiagnostics,
  countBySeverity,
  type Diagnostic,
  type Finding,
  type Severity,
} from './diagnostics/diagnostic.js';
import { TraceGraph } from './graph/graph.js';
import type { Project } from './load/project.js';
import { locate, type SourceFile } from './load/source.js';
import { ruleSetting } from './model/config.js';
import { RULES, ruleFor } from './rules/registry.js';
import {
  configuredSeverity,
  judgeFinding,
  type LoweredRule,
  lowers,
  usableSetting,
} from './rules/severity.js';
import { analyzeSafety, type SafetyAnalysis } from './safety/safety-analysis.js';
import { subjectClasses } from './safety/subject-class.js';
import { type AdvisorySource, type SoupScan, scanSoup } from './soup/scan.js';

export interface Summary {
  readonly files: number;
  readonly records: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export interface Analysis {
  readonly project: Project;
  readonly graph: TraceGraph;
  readonly safety: SafetyAnalysis;
  readonly soupScan?: SoupScan;
  /** Sorted by file, line, column, code. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** Rules dossier.yaml lowers below their default severity, by code; every report shows them. */
  readonly lowered: readonly LoweredRule[];
}

export interface AnalyzeOptions {
  /** Advisories to match the SOUP against (the local store); without them no vulnerability is checked. */
  readonly advisories?: AdvisorySource;
}

/** Runs every rule over a loaded project. Pure: reads nothing from disk, prints nothing. */
export function analyze(project: Project, options: AnalyzeOptions = {}): Analysis {
  const graph = new TraceGraph(project.records);
  const safety = analyzeSafety(graph, project.config);
  const soupScan = options.advisories
    ? scanSoup(graph.ofKind('soup'), graph.ofKind('vulnerability-evaluation'), options.advisories)
    : undefined;
  const context = { project, graph, safety, ...(soupScan ? { soupScan } : {}) };
  const classOf = subjectClasses(graph, safety);
  const diagnostics: Diagnostic[] = [];
  const lowered: LoweredRule[] = [];
  for (const rule of RULES) {
    const setting = usableSetting(rule, ruleSetting(project.config, rule.code));
    let affected = 0;
    for (const finding of rule.check(context)) {
      const judged = judgeFinding(rule, finding, safety.scheme, classOf);
      if (!judged) continue;
      const configured = configuredSeverity(judged.severity, setting);
      if (configured.lowered) affected++;
      if (configured.severity === 'off') continue;
      diagnostics.push(
        toDiagnostic(finding, project.sources, configured.severity, {
          ...(judged.safetyClass !== undefined ? { safetyClass: judged.safetyClass } : {}),
          ...(configured.lowered ? { lowered: configured.lowered } : {}),
        }),
      );
    }
    if (setting && lowers(rule, setting)) {
      lowered.push({
        code: rule.code,
        from: rule.severity,
        to: setting.severity,
        ...(setting.reason !== undefined ? { reason: setting.reason } : {}),
        findings: affected,
      });
    }
  }
  diagnostics.sort(compareDiagnostics);
  const counts = countBySeverity(diagnostics);
  return {
    project,
    graph,
    safety,
    ...(soupScan ? { soupScan } : {}),
    diagnostics,
    summary: {
      files: project.sources.size,
      records: graph.byId.size,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
    lowered: lowered.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}

/** Diagnostics for a project whose configuration could not be loaded. */
export function configDiagnostics(
  findings: readonly Finding[],
  sources: ReadonlyMap<string, SourceFile>,
): Diagnostic[] {
  return findings.map((f) => toDiagnostic(f, sources, f.severity ?? 'error')).sort(compareDiagnostics);
}

export function toDiagnostic(
  finding: Finding,
  sources: ReadonlyMap<string, SourceFile>,
  severity: Severity,
  judgement: Pick<Diagnostic, 'safetyClass' | 'lowered'> = {},
): Diagnostic {
  const rule = ruleFor(finding.code);
  const position = resolve(finding.at, sources);
  const hint = finding.hint ?? rule?.hint;
  const related = finding.related?.map((r) => ({ message: r.message, ...resolve(r.at, sources) }));
  return {
    severity,
    code: finding.code,
    message: finding.message,
    ...(finding.recordId !== undefined ? { recordId: finding.recordId } : {}),
    ...position,
    clauses: finding.clauses?.length ? finding.clauses : (rule?.clauses ?? []),
    ...(judgement.safetyClass !== undefined ? { safetyClass: judgement.safetyClass } : {}),
    ...(judgement.lowered ? { lowered: judgement.lowered } : {}),
    ...(hint ? { hint } : {}),
    ...(related && related.length > 0 ? { related } : {}),
  };
}

function resolve(
  anchor: Anchor | undefined,
  sources: ReadonlyMap<string, SourceFile>,
): { file?: string; line?: number; column?: number } {
  if (!anchor) return {};
  if (anchor.line !== undefined) return { file: anchor.file, line: anchor.line, column: anchor.column ?? 1 };
  const source = sources.get(anchor.file);
  if (!source) return { file: anchor.file };
  const position = locate(source, anchor.path ?? [], anchor.atKey ?? false);
  return { file: anchor.file, line: position.line, column: position.column };
}
