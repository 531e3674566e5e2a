/**
 * What the site shows, indexed once from an Analysis: records by id and kind in id order,
 * diagnostics by record and by rule, the search entries. Everything a page needs is a map lookup or
 * a slice, so a page of a 100,000-record project renders in milliseconds. The trace matrices and the
 * release gates are computed on first use and kept.
 */
import type { Analysis } from '../analyze.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import {
  type EvidenceReader,
  type GateResult,
  readGateEvidence,
  releaseGateSteps,
} from '../evidence/release-gate.js';
import { traceMatricesSteps } from '../evidence/trace-results.js';
import { type Verdict, verdictsOn } from '../evidence/verdicts.js';
import { gapScanSteps } from '../gap/scan.js';
import { type Counts, countsOf } from '../gap/summary.js';
import { locate } from '../load/source.js';
import { traceChains } from '../model/config.js';
import { KIND_NAMES, type KindName } from '../model/kinds.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type RiskRow, renderRisk, riskRows } from '../safety/risk-report.js';
import { subjectClasses } from '../safety/subject-class.js';
import { type SecurityReport, securityReport } from '../security/security-report.js';
import type { TraceMatrix } from '../trace/matrix.js';
import { type Steps, stepwise } from '../util/steps.js';
import type { EditorLinks } from './editor.js';
import { chainSlugs } from './paths.js';
import { type SearchIndex, searchIndex } from './search.js';

export interface SiteMatrix {
  readonly slug: string;
  readonly matrix: TraceMatrix;
  /** Indexes of the rows with a gap, for the gaps-only pages. */
  readonly gapRows: readonly number[];
}

export interface ReleaseReadiness {
  readonly release: DossierRecord;
  readonly version: string;
  /** The gate's result, or why it could not run: never shown as ready when it did not run. */
  readonly gate: GateResult | { readonly notChecked: string };
}

/** The gap scan's counts, or why it did not run: never left out, never a verdict. */
export type GapOverview =
  | {
      readonly counts: Counts;
      /** The software version the scan judged. */
      readonly version: string | null;
      /** The gap report written with the site, relative to the site's root. */
      readonly report?: string;
    }
  | { readonly notRun: string };

export interface SiteData {
  readonly analysis: Analysis;
  /** Path of the project as the reports name it. */
  readonly displayRoot: string;
  /** The documentation package's HTML index, relative to the site's root, when the build wrote it. */
  readonly documentsIndex?: string;
  /** Editor links on the record pages (`dossier serve --editor`); none on the static site by default. */
  readonly editor?: EditorLinks;
  /** Every record that owns its id, in id order. */
  readonly records: readonly DossierRecord[];
  readonly byKind: ReadonlyMap<KindName, readonly DossierRecord[]>;
  readonly diagnosticsByRecord: ReadonlyMap<string, readonly Diagnostic[]>;
  /** Diagnostics ordered by rule, then file and line: the diagnostics pages' order. */
  readonly diagnosticsByRule: readonly Diagnostic[];
  /** Each rule with its count and the index of its first diagnostic in `diagnosticsByRule`. */
  readonly rules: readonly { readonly code: string; readonly count: number; readonly first: number }[];
  readonly search: SearchIndex;
  classOf(id: string): string;
  lineOf(record: DossierRecord): number;
  matrices(): readonly SiteMatrix[];
  /** Each test's latest verdict per software version that has test runs (computed once). */
  verdicts(): ReadonlyMap<string, readonly Verdict[]>;
  /** The hazardous situations as risk rows, in id order (computed once). */
  riskRows(): readonly RiskRow[];
  /** The SVG risk matrices before and after control, or undefined without a risk policy (computed once). */
  riskSvgs(): { readonly initial: string; readonly residual: string } | undefined;
  releases(): readonly ReleaseReadiness[];
  /** The gap scan's counts, or why it could not run (computed once). */
  gapScan(): GapOverview;
  /**
   * Whether a part computed once has been computed yet, or has failed (then asking for it throws
   * that error again: the page fails, a 500 under the server); until then the server's pages show
   * it as being computed instead of waiting for it.
   */
  computed(part: StepwisePart): boolean;
  /**
   * Computes a part as `releases()`, `gapScan()` or `matrices()` does, in steps (the server's
   * background work, so that it answers requests between them). A page that asks for the part
   * meanwhile finishes these steps; the value is computed once.
   */
  steps(part: StepwisePart): Steps<void>;
  /** What `dossier security` reports (computed once). */
  security(): SecurityReport;
}

/** The parts of the site data that are computed in steps. */
export type StepwisePart = 'releases' | 'gapScan' | 'matrices';

export interface SiteOptions {
  readonly displayRoot?: string;
  /** Reads the evidence the release gates check (reports, manifests); without it they say "not checked". */
  readonly readEvidence?: EvidenceReader;
  /** Where the documentation package's HTML index is, relative to the site's root (static site). */
  readonly documentsIndex?: string;
  /** Where the build's gap report is, relative to the site's root (static site). */
  readonly gapReport?: string;
  readonly editor?: EditorLinks;
}

const byRuleThenPlace = (a: Diagnostic, b: Diagnostic): number =>
  a.code < b.code
    ? -1
    : a.code > b.code
      ? 1
      : (a.file ?? '') < (b.file ?? '')
        ? -1
        : (a.file ?? '') > (b.file ?? '')
          ? 1
          : (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);

export function siteData(analysis: Analysis, options: SiteOptions = {}): SiteData {
  const { graph, safety } = analysis;
  const records = [...graph.byId.values()].sort(compareById);
  const byKind = new Map<KindName, DossierRecord[]>();
  for (const kind of KIND_NAMES) byKind.set(kind, []);
  for (const r of records) byKind.get(r.kind)!.push(r);
  const diagnosticsByRecord = new Map<string, Diagnostic[]>();
  for (const d of analysis.diagnostics) {
    if (d.recordId === undefined) continue;
    const list = diagnosticsByRecord.get(d.recordId);
    if (list) list.push(d);
    else diagnosticsByRecord.set(d.recordId, [d]);
  }
  const diagnosticsByRule = [...analysis.diagnostics].sort(byRuleThenPlace);
  const rules: { code: string; count: number; first: number }[] = [];
  diagnosticsByRule.forEach((d, i) => {
    const last = rules[rules.length - 1];
    if (last?.code === d.code) last.count++;
    else rules.push({ code: d.code, count: 1, first: i });
  });
  // Made when first searched (about 0.15 s at 100,000 records): a re-analysis of `dossier serve`
  // does not wait for it, and the static site asks for it once.
  let search: SearchIndex | undefined;
  const classes = subjectClasses(graph, safety);
  const releaseParts = stepwise(() => readiness(analysis, options.readEvidence));
  const parts = {
    matrices: stepwise(() => siteMatrices(analysis)),
    releases: releaseParts,
    gapScan: stepwise(function* (): Steps<GapOverview> {
      // The release gates the releases page computed are the ones the scan needs: not run twice.
      yield* releaseParts.steps();
      return yield* gapOverview(analysis, options, gatesOf(releaseParts.get()));
    }),
  };
  let verdicts: Map<string, Verdict[]> | undefined;
  let rows: RiskRow[] | undefined;
  let svgs: { initial: string; residual: string } | null | undefined;
  let security: SecurityReport | undefined;
  const data: SiteData = {
    analysis,
    displayRoot: options.displayRoot ?? '.',
    ...(options.documentsIndex !== undefined ? { documentsIndex: options.documentsIndex } : {}),
    ...(options.editor ? { editor: options.editor } : {}),
    records,
    byKind,
    diagnosticsByRecord,
    diagnosticsByRule,
    rules,
    get search() {
      search ??= searchIndex(records);
      return search;
    },
    classOf: (id) => classes(id),
    lineOf: (record) => {
      const source = record.origin.source;
      if (record.origin.path.length === 0) return source.yamlLine + 1;
      return locate(source, record.origin.path).line;
    },
    matrices: () => parts.matrices.get(),
    verdicts: () => {
      if (!verdicts) {
        verdicts = new Map();
        const runs = graph.ofKind('test-run').filter(isActive);
        const versions = [...new Set(runs.map((r) => String(r.fields.version)))].sort();
        for (const version of versions)
          for (const [test, verdict] of verdictsOn(runs, version)) {
            const list = verdicts.get(test);
            if (list) list.push(verdict);
            else verdicts.set(test, [verdict]);
          }
      }
      return verdicts;
    },
    riskRows: () => {
      rows ??= riskRows(safety.risks);
      return rows;
    },
    riskSvgs: () => {
      if (svgs === undefined) {
        const device = analysis.project.config.device.name;
        svgs = safety.policy
          ? {
              initial: renderRisk(safety, 'svg', device, 'initial'),
              residual: renderRisk(safety, 'svg', device, 'residual'),
            }
          : null;
      }
      return svgs ?? undefined;
    },
    releases: () => parts.releases.get(),
    gapScan: () => parts.gapScan.get(),
    computed: (part) => parts[part].settled(),
    steps: (part) => parts[part].steps(),
    security: () => {
      security ??= securityReport(graph, analysis.project.config);
      return security;
    },
  };
  return data;
}

/** The trace matrices of the configured chains, each with its page slug and its gap rows. */
function* siteMatrices(analysis: Analysis): Steps<SiteMatrix[]> {
  const { graph } = analysis;
  const chains = traceChains(analysis.project.config);
  const version = analysis.project.config.software.version;
  const hasRuns = graph.ofKind('test-run').length > 0;
  const matrices = yield* traceMatricesSteps(graph, chains, hasRuns ? version : undefined);
  const slugs = chainSlugs(matrices.map((m) => m.name));
  return matrices.map((matrix, i) => {
    const slug = slugs[i]!;
    const gapRows: number[] = [];
    matrix.rows.forEach((row, r) => {
      if (row.gapAt >= 0) gapRows.push(r);
    });
    return { slug, matrix, gapRows };
  });
}

/** The gates that ran, of each release's readiness. */
function gatesOf(list: readonly ReleaseReadiness[]): GateResult[] {
  return list.flatMap((r) => ('notChecked' in r.gate ? [] : [r.gate]));
}

function* readiness(analysis: Analysis, read: EvidenceReader | undefined): Steps<ReleaseReadiness[]> {
  const list = analysis.graph
    .ofKind('release')
    .filter(isActive)
    .filter((r) => typeof r.fields.version === 'string' || typeof r.fields.version === 'number');
  const versions = new Set<string>();
  const out: ReleaseReadiness[] = [];
  for (const release of [...list].sort(compareById)) {
    const version = String(release.fields.version);
    if (versions.has(version)) continue;
    versions.add(version);
    if (analysis.project.unloaded.length > 0) {
      out.push({ release, version, gate: { notChecked: 'record files did not load' } });
      continue;
    }
    try {
      const evidence = read ? readGateEvidence(analysis, version, read) : undefined;
      out.push({ release, version, gate: yield* releaseGateSteps(analysis, version, evidence) });
    } catch (error) {
      out.push({
        release,
        version,
        gate: { notChecked: error instanceof Error ? error.message : 'the gate could not run' },
      });
    }
  }
  return out;
}

/** Runs the gap scan for the overview; a scan that cannot run (incomplete load, bad evidence) says why. */
function* gapOverview(
  analysis: Analysis,
  options: SiteOptions,
  gates: readonly GateResult[],
): Steps<GapOverview> {
  try {
    const scan = yield* gapScanSteps(analysis, {
      gates,
      ...(options.readEvidence ? { readEvidence: options.readEvidence } : {}),
    });
    return {
      counts: countsOf(scan.clauses),
      version: scan.version?.version ?? null,
      ...(options.gapReport !== undefined ? { report: options.gapReport } : {}),
    };
  } catch (error) {
    return { notRun: error instanceof Error ? error.message : 'the gap scan failed' };
  }
}
