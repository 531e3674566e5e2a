import { isDeepStrictEqual } from 'node:util';
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
import { describeAtHead, idsOf, type UnloadedFile } from './load/unloaded.js';
import { ruleSetting } from './model/config.js';
import type { DossierRecord } from './model/record.js';
import {
  findingsKept,
  graphListing,
  type JudgedFinding,
  kindsEdited,
  recordsNear,
} from './rules/local-rerun.js';
import { ruleRunsFor } from './rules/profiles.js';
import { RULES, ruleFor } from './rules/registry.js';
import type { Rule, RuleContext } from './rules/rule.js';
import { type RulesetChangelog, RulesetError, rulesetPlan } from './rules/ruleset.js';
import {
  configuredSeverity,
  judgeFinding,
  type LoweredRule,
  lowers,
  usableSetting,
} from './rules/severity.js';
import { analyzeSafety, safetyAfterEdit } from './safety/safety-analysis.js';
import { CLASS_CONTENT_KINDS, subjectClasses } from './safety/subject-class.js';
import { advisoryCoverage } from './soup/coverage.js';
import { type AdvisorySource, scanSoup } from './soup/scan.js';
import { inUse } from './soup/scope.js';
import { today } from './util/clock.js';

export interface Summary {
  readonly files: number;
  readonly records: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** The rules' context (project, graph, safety, advisory data, date) and what the rules found. */
export interface Analysis extends RuleContext {
  /**
   * Load errors first (one per file that did not load, each followed by the findings that are its
   * consequences), then every other finding sorted by file, line, column, code.
   */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** Rules dossier.yaml lowers below their default severity, by code; every report shows them. */
  readonly lowered: readonly LoweredRule[];
}

export interface AnalyzeOptions {
  /** Advisories to match the SOUP against (the local store); without them no vulnerability is checked. */
  readonly advisories?: AdvisorySource;
  /** The date of date-relative checks, YYYY-MM-DD; default the clock's (src/util/clock.ts). */
  readonly today?: string;
  /**
   * The ruleset to apply instead of the one dossier.yaml pins (`dossier migrate` compares two).
   * A ruleset that cannot be applied throws {@link RulesetError}.
   */
  readonly ruleset?: string;
  /** The ruleset changelog (default: the one this Dossier ships, data/rulesets.json); tests give others. */
  readonly changelog?: RulesetChangelog;
  /**
   * An analysis of an earlier load of the same project in this process (`dossier serve` after a
   * file changed): what its inputs say is unchanged is taken from it instead of computed again.
   * The result is the analysis made without it.
   */
  readonly previous?: Analysis;
}

/**
 * Runs every rule over a loaded project. Reads no record files again and prints nothing; only the
 * date defaults to the clock when `options.today` is not given, and `link/suspect` asks git which
 * parts of a changed target changed (read-only, capped per run: src/links/what-changed.ts).
 */
export function analyze(project: Project, options: AnalyzeOptions = {}): Analysis {
  const ruleset = rulesetPlan(options.ruleset ?? project.config.ruleset, options.changelog);
  if (!ruleset.ok) throw new RulesetError(`dossier.yaml: ${ruleset.message}`);
  const notEnabled = new Set(ruleset.notEnabled);
  const graph = options.previous
    ? TraceGraph.after(options.previous.graph, project.records)
    : new TraceGraph(project.records);
  const safetyKept =
    options.previous &&
    safetyAfterEdit({ ...options.previous, config: options.previous.project.config }, graph, project.config);
  const safety = safetyKept || analyzeSafety(graph, project.config);
  const soups = graph.ofKind('soup');
  const soupScan = options.advisories
    ? scanSoup(soups, graph.ofKind('vulnerability-evaluation'), options.advisories)
    : undefined;
  const soupInUse = soups.filter(inUse);
  const coverage = advisoryCoverage(soupInUse, options.advisories?.advisoryData());
  const on = options.today ?? today();
  const context: RuleContext = {
    project,
    graph,
    safety,
    ...(soupScan ? { soupScan } : {}),
    advisoryCoverage: coverage,
    today: on,
    ruleset,
  };
  const consequenceOf = missingIdsOf(project.unloaded);
  const classOf = subjectClasses(graph, safety);
  const judge = (
    rule: Rule,
    setting: ReturnType<typeof usableSetting>,
    finding: Finding,
  ): JudgedFinding[] => {
    const judged = judgeFinding(rule, finding, safety.scheme, classOf);
    if (!judged) return [];
    const configured = configuredSeverity(judged.severity, setting);
    const lowered = configured.lowered !== undefined;
    if (configured.severity === 'off') return [{ finding, lowered }];
    const diagnostic = toDiagnostic(finding, project.sources, configured.severity, {
      ...(judged.safetyClass !== undefined ? { safetyClass: judged.safetyClass } : {}),
      ...(configured.lowered ? { lowered: configured.lowered } : {}),
    });
    const cause = finding.targetId === undefined ? undefined : consequenceOf.get(finding.targetId);
    return [{ finding, diagnostic: cause ? { ...diagnostic, consequenceOf: cause } : diagnostic, lowered }];
  };
  // The findings of local rules about records far from an edit are the previous analysis's.
  // (A ruleset or changelog given by the caller, as `dossier migrate` does, is not compared: no reuse.)
  const previousRuns =
    safetyKept &&
    options.previous &&
    options.ruleset === undefined &&
    options.changelog === undefined &&
    isDeepStrictEqual(options.previous.ruleset, ruleset) &&
    on === options.previous.today &&
    nothingUnloaded(options.previous, project) &&
    classesKept(graph)
      ? RULE_RUNS.get(options.previous)
      : undefined;
  const edited = previousRuns ? kindsEdited(graph) : undefined;
  const listings = new Map<number, { near: ReadonlySet<DossierRecord>; graph: TraceGraph }>();
  const listingFor = (reach: number) => {
    let listing = listings.get(reach);
    if (!listing) {
      const near = recordsNear(graph, reach);
      listing = { near, graph: graphListing(graph, near) };
      listings.set(reach, listing);
    }
    return listing;
  };
  const placed = (judged: JudgedFinding) =>
    placedAgain(judged, project.sources, options.previous!.project.sources);
  const runs = new Map<string, readonly JudgedFinding[]>();
  const diagnostics: Diagnostic[] = [];
  const lowered: LoweredRule[] = [];
  for (const rule of RULES) {
    // Pinned verdicts: a rule the pinned ruleset does not enable is not run (ruleset/rules-not-run says so).
    if (notEnabled.has(rule.code)) continue;
    if (!ruleRunsFor(rule, project.config.profile)) continue;
    const setting = usableSetting(rule, ruleSetting(project.config, rule.code));
    const before = previousRuns?.get(rule.code);
    let run: JudgedFinding[];
    if (before && edited && rule.reads && !rule.reads.kinds.some((kind) => edited.has(kind))) {
      // Nothing it reads was edited: its findings are the previous ones.
      run = before.map(placed);
    } else {
      const listing = before && rule.local ? listingFor(rule.local.reach) : undefined;
      const kept = before && listing ? findingsKept(before, listing.near) : undefined;
      run = kept ? kept.map(placed) : [];
      for (const finding of rule.check(kept && listing ? { ...context, graph: listing.graph } : context))
        run.push(...judge(rule, setting, finding));
    }
    runs.set(rule.code, run);
    let affected = 0;
    for (const judged of run) {
      if (judged.lowered) affected++;
      if (judged.diagnostic) diagnostics.push(judged.diagnostic);
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
  const ordered = withLoadErrorsFirst(loadErrors(project.unloaded, project.sources), diagnostics);
  const counts = countBySeverity(ordered);
  const analysis: Analysis = {
    ...context,
    diagnostics: ordered,
    summary: {
      files: project.sources.size,
      records: graph.byId.size,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
    lowered: lowered.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
  RULE_RUNS.set(analysis, runs);
  return analysis;
}

/** Each analysis's judged findings, by rule: what the next analysis of an edit keeps of local rules. */
const RULE_RUNS = new WeakMap<Analysis, ReadonlyMap<string, readonly JudgedFinding[]>>();

/**
 * A finding kept from the previous analysis, with its diagnostic placed again when a file it points
 * into is not the one read then: an edit elsewhere in the file can have moved its lines.
 */
function placedAgain(
  judged: JudgedFinding,
  sources: ReadonlyMap<string, SourceFile>,
  before: ReadonlyMap<string, SourceFile>,
): JudgedFinding {
  const { finding, diagnostic } = judged;
  if (!diagnostic) return judged;
  const moved = (anchor: Anchor | undefined) =>
    anchor !== undefined && anchor.line === undefined && sources.get(anchor.file) !== before.get(anchor.file);
  if (!moved(finding.at) && !finding.related?.some((r) => moved(r.at))) return judged;
  const again = toDiagnostic(finding, sources, diagnostic.severity, {
    ...(diagnostic.safetyClass !== undefined ? { safetyClass: diagnostic.safetyClass } : {}),
    ...(diagnostic.lowered ? { lowered: diagnostic.lowered } : {}),
  });
  return {
    ...judged,
    diagnostic:
      diagnostic.consequenceOf !== undefined ? { ...again, consequenceOf: diagnostic.consequenceOf } : again,
  };
}

/**
 * Whether the class of every finding's subject is the one judged before: it follows from links and
 * the safety analysis, except for the kinds whose class is read from their content.
 */
function classesKept(graph: TraceGraph): boolean {
  for (const old of graph.update?.replaced.keys() ?? []) if (CLASS_CONTENT_KINDS.has(old.kind)) return false;
  return true;
}

/** Whether both loads read every file (an unloaded file's ids change which findings are its consequences). */
function nothingUnloaded(previous: Analysis, project: Project): boolean {
  return previous.project.unloaded.length === 0 && project.unloaded.length === 0;
}

/**
 * One error per file that did not load, whatever the class and whatever dossier.yaml says about the
 * rule: its records are missing, so nothing about the project can be trusted as complete.
 */
function loadErrors(
  unloaded: readonly UnloadedFile[],
  sources: ReadonlyMap<string, SourceFile>,
): Diagnostic[] {
  return unloaded.map((u) =>
    toDiagnostic(
      { ...u.finding, message: `${u.finding.message}; ${describeAtHead(u.atHead)}` },
      sources,
      'error',
    ),
  );
}

/** Each id a file that did not load is known to hold, with that file (the first one, by path). */
function missingIdsOf(unloaded: readonly UnloadedFile[]): Map<string, string> {
  const byId = new Map<string, string>();
  for (const u of unloaded) for (const id of idsOf(u)) if (!byId.has(id)) byId.set(id, u.file);
  return byId;
}

/** Load errors first, each followed by its consequences; then the other findings in their order. */
function withLoadErrorsFirst(load: readonly Diagnostic[], sorted: readonly Diagnostic[]): Diagnostic[] {
  const consequences = new Map<string, Diagnostic[]>();
  const independent: Diagnostic[] = [];
  for (const d of sorted) {
    if (d.consequenceOf === undefined) independent.push(d);
    else {
      const list = consequences.get(d.consequenceOf);
      if (list) list.push(d);
      else consequences.set(d.consequenceOf, [d]);
    }
  }
  return [...load.flatMap((error) => [error, ...(consequences.get(error.file!) ?? [])]), ...independent];
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
