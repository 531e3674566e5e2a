/**
 * Coverage (lcov, Cobertura) and static-analysis (SARIF) reports become `verification-report`
 * records: unit-level evidence (5.5.2, 5.5.5) and evidence of common-defect avoidance (5.1.12),
 * each file tied to the software item or unit whose `sourceFiles` globs name it.
 */
import picomatch from 'picomatch';
import type { DossierRecord } from '../model/record.js';
import { yamlCommentText } from '../util/yaml-comment.js';
import type { CoverageReport } from './coverage.js';
import { alreadyImported, type KnownRun, nextEvidenceId, type RunMetadata } from './import-run.js';
import { evidenceRecordFiles, type PlannedFile } from './record-files.js';
import type { SarifReport } from './sarif.js';

export interface UnitMatcher {
  /** The most specific unit whose sourceFiles match the path (units before items), if any. */
  unitOf(file: string): string | undefined;
}

/** Units (itemType unit) win over items when both globs match: evidence belongs to the smallest part. */
export function unitMatcher(items: readonly DossierRecord[]): UnitMatcher {
  const withGlobs = items
    .filter((i) => Array.isArray(i.fields.sourceFiles) && i.status !== 'obsolete')
    .map((i) => ({
      id: i.id,
      unit: i.fields.itemType === 'unit',
      matches: picomatch(i.fields.sourceFiles as string[]),
    }))
    .sort((a, b) => Number(b.unit) - Number(a.unit) || (a.id < b.id ? -1 : 1));
  const normalise = (file: string) => file.replace(/\\/g, '/').replace(/^\.\//, '');
  return {
    unitOf(file) {
      const path = normalise(file);
      // Reports often hold absolute paths or paths below a build folder: try each suffix.
      const parts = path.split('/');
      for (let i = 0; i < parts.length; i++) {
        const candidate = parts.slice(i).join('/');
        const found = withGlobs.find((g) => g.matches(candidate));
        if (found) return found.id;
      }
      return undefined;
    },
  };
}

export interface AnalysisPlan {
  readonly kind: 'create' | 'unchanged';
  readonly id: string;
  readonly fields?: Record<string, unknown>;
  readonly unmatchedFiles: readonly string[];
}

/** What importing one coverage or static-analysis report needs. */
export interface AnalysisImportInput<R> {
  readonly report: R;
  readonly file: string;
  readonly sha256: string;
  readonly metadata: RunMetadata;
  readonly known: readonly KnownRun[];
  readonly prefix: string;
  readonly units: UnitMatcher;
}

/** Entries per unit, sorted by unit id. */
function byUnit<T>(map: ReadonlyMap<string, T>): ({ unit: string } & T)[] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([unit, c]) => ({ unit, ...c }));
}

/**
 * The plan both report types share: nothing when the same report was imported before, else a new
 * record with the 5.7.5-style metadata and the fields the report type contributes.
 */
function planAnalysis<R>(
  input: AnalysisImportInput<R>,
  type: 'coverage' | 'static-analysis',
  format: string,
  reportTools: readonly string[],
  contents: () => { fields: Record<string, unknown>; unmatched: readonly string[] },
): AnalysisPlan {
  const same = alreadyImported(input.known, input.sha256);
  if (same) return { kind: 'unchanged', id: same.id, unmatchedFiles: [] };
  const { fields, unmatched } = contents();
  const m = input.metadata;
  const tools = m.tools ?? reportTools;
  return {
    kind: 'create',
    id: nextEvidenceId(input.known, input.prefix),
    fields: {
      type,
      version: m.version,
      date: m.date,
      executedBy: m.executedBy,
      ...(tools.length > 0 ? { tools: [...tools] } : {}),
      report: { file: input.file, sha256: input.sha256, format },
      ...fields,
    },
    unmatchedFiles: unmatched,
  };
}

export function planCoverageImport(input: AnalysisImportInput<CoverageReport>): AnalysisPlan {
  const tools = input.report.tool ? [input.report.tool] : [];
  return planAnalysis(input, 'coverage', input.report.format, tools, () => {
    const perUnit = new Map<
      string,
      { files: number; linesFound: number; linesHit: number; branchesFound: number; branchesHit: number }
    >();
    const unmatched: string[] = [];
    for (const f of input.report.files) {
      const unit = input.units.unitOf(f.path);
      if (!unit) {
        unmatched.push(f.path);
        continue;
      }
      const u = perUnit.get(unit) ?? {
        files: 0,
        linesFound: 0,
        linesHit: 0,
        branchesFound: 0,
        branchesHit: 0,
      };
      perUnit.set(unit, {
        files: u.files + 1,
        linesFound: u.linesFound + f.linesFound,
        linesHit: u.linesHit + f.linesHit,
        branchesFound: u.branchesFound + f.branchesFound,
        branchesHit: u.branchesHit + f.branchesHit,
      });
    }
    return { fields: { units: byUnit(perUnit) }, unmatched };
  });
}

export function planSarifImport(input: AnalysisImportInput<SarifReport>): AnalysisPlan {
  const tools = input.report.tools
    .map((t) => (t.version ? `${t.name} ${t.version}` : t.name))
    .filter(Boolean);
  return planAnalysis(input, 'static-analysis', 'SARIF', tools, () => {
    const unmatched = new Set<string>();
    const counts = new Map<string, { errors: number; warnings: number }>();
    // Notes are information, not defects: only errors and warnings are kept as findings.
    const findings = input.report.results
      .filter((r) => r.level === 'error' || r.level === 'warning')
      .map((r) => {
        const unit = r.file ? input.units.unitOf(r.file) : undefined;
        if (r.file && !unit) unmatched.add(r.file);
        if (unit && !r.suppressed) {
          const c = counts.get(unit) ?? { errors: 0, warnings: 0 };
          counts.set(
            unit,
            r.level === 'error' ? { ...c, errors: c.errors + 1 } : { ...c, warnings: c.warnings + 1 },
          );
        }
        return {
          ...(unit ? { unit } : {}),
          rule: r.ruleId,
          level: r.level,
          ...(r.file ? { file: r.file } : {}),
          ...(r.line ? { line: r.line } : {}),
          message: r.message.slice(0, 500),
          ...(r.suppressed ? { suppressed: true } : {}),
          ...(r.justification ? { justification: r.justification } : {}),
        };
      });
    return { fields: { units: byUnit(counts), findings }, unmatched: [...unmatched].sort() };
  });
}

/** The files of a new verification report: the record, and companion files for findings that do not fit. */
export function analysisRecordFiles(
  id: string,
  title: string,
  fields: Record<string, unknown>,
  target: { readonly rel: string; readonly maxFileBytes: number },
): PlannedFile[] {
  const reportFile = String((fields.report as { file: string }).file);
  return evidenceRecordFiles({
    kind: 'verification-report',
    record: { id, title, status: 'draft', ...fields },
    list: 'findings',
    header: `# Imported by \`dossier evidence import\` from ${yamlCommentText(reportFile)}.\n`,
    companionAbout: `Findings of ${id}, imported from ${reportFile}`,
    rel: target.rel,
    maxFileBytes: target.maxFileBytes,
    // Unsuppressed errors are what the release gate reads (release/static-analysis-errors).
    preferInRecord: (f) =>
      (f as { level?: string }).level === 'error' && !(f as { suppressed?: boolean }).suppressed,
  });
}
