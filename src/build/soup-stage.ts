import type { Analysis } from '../analyze.js';
import { plural } from '../diagnostics/format.js';
import { advisoryMaxAgeDays } from '../model/config.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from '../soup/anomaly-review.js';
import { type AdvisoryFreshness, freshnessAt, NOT_MATCHABLE } from '../soup/coverage.js';
import { toCycloneDx, toCycloneDxVex } from '../soup/sbom/cyclonedx.js';
import { sbomFromProject } from '../soup/sbom/from-project.js';
import { toOpenVex } from '../soup/sbom/openvex.js';
import { soupListCsv, soupListMarkdown } from '../soup/sbom/soup-list.js';
import { toSpdx } from '../soup/sbom/spdx.js';
import { unmatchableWhy } from '../soup/scan.js';
import { actionable, renderScanJson, renderScanText, scanReportInput } from '../soup/scan-report.js';
import { serialize } from '../util/canonical-json.js';
import type { Artifact, BuildContext } from './build.js';

/**
 * The files the SOUP stage writes, relative to the build's output folder: the documents of the
 * package name them (src/docs/sbom.ts), so they are named once, here.
 */
export const SOUP_FILES = {
  cycloneDx: 'soup/sbom.cdx.json',
  spdx: 'soup/sbom.spdx.json',
  vexCycloneDx: 'soup/vex.cdx.json',
  openVex: 'soup/vex.openvex.json',
  soupListMarkdown: 'soup/soup-list.md',
  soupListCsv: 'soup/soup-list.csv',
  scanText: 'soup/scan.txt',
  scanJson: 'soup/scan.json',
} as const;

/**
 * SOUP and cybersecurity outputs: the SBOM in both formats, the evaluations as VEX, the SOUP list
 * and, when advisory data is available, the scan. The stage fails while a finding needs evaluation.
 */
export function soupStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: Artifact[]; ok: boolean; result: string } {
  const doc = sbomFromProject(analysis, { timestamp: context.timestamp });
  const artifacts: Artifact[] = [
    { path: SOUP_FILES.cycloneDx, content: serialize(toCycloneDx(doc, { vex: false })) },
    { path: SOUP_FILES.spdx, content: serialize(toSpdx(doc)) },
    { path: SOUP_FILES.vexCycloneDx, content: serialize(toCycloneDxVex(doc)) },
    { path: SOUP_FILES.openVex, content: serialize(toOpenVex(doc).document) },
    { path: SOUP_FILES.soupListMarkdown, content: soupListMarkdown(doc) },
    { path: SOUP_FILES.soupListCsv, content: soupListCsv(doc) },
  ];
  const direct = doc.components.filter((c) => c.dependency === 'direct').length;
  const inventory = `${plural(doc.components.length, 'SOUP item')} (${direct} direct), ${plural(doc.vex.length, 'evaluation')}`;
  // Not checked is said loudly, but is not a build failure: the release check is the gate.
  const missing = analysis.advisoryCoverage.filter((c) => !c.data && c.soupIds.length > 0);
  const unchecked = missing.length
    ? `; vulnerabilities NOT CHECKED for ${plural(
        missing.reduce((n, c) => n + c.soupIds.length, 0),
        'SOUP item',
      )}: no ${missing.map((c) => c.ecosystem).join(', ')} advisory data`
    : '';
  const scan = analysis.soupScan;
  if (!scan) return { artifacts, ok: true, result: `${inventory}${unchecked}` };
  const input = scanReportInput(analysis, scan, context.advisorySnapshots ?? []);
  artifacts.push({ path: SOUP_FILES.scanText, content: renderScanText(input) });
  artifacts.push({ path: SOUP_FILES.scanJson, content: renderScanJson(input) });
  const open = actionable(input).length;
  return {
    artifacts,
    ok: open === 0,
    result: `${inventory}; ${plural(scan.findings.length, 'finding')}, ${open} need${open === 1 ? 's' : ''} evaluation${unchecked}`,
  };
}

export interface AdvisoryCoverageSummary {
  /** The date the ages are counted to (today) and the limit (advisories.maxAgeDays). */
  readonly date: string;
  readonly maxAgeDays: number;
  readonly ecosystems: readonly AdvisoryFreshness[];
  /** SOUP no advisory database can match, and how many of them lack a review covering vulnerabilities. */
  readonly notMatchable: { readonly items: number; readonly withoutVulnerabilityReview: number };
}

/** Advisory coverage of the SOUP in use, for the build summary: per ecosystem items, data and age. */
export function advisoryCoverageSummary(analysis: Analysis): AdvisoryCoverageSummary {
  const maxAgeDays = advisoryMaxAgeDays(analysis.project.config);
  const unmatchable = analysis.safety.soup.filter(({ soup }) => unmatchableWhy(soup) !== undefined);
  return {
    date: analysis.today,
    maxAgeDays,
    ecosystems: freshnessAt(analysis.advisoryCoverage, analysis.today, maxAgeDays),
    notMatchable: {
      items: unmatchable.length,
      withoutVulnerabilityReview: unmatchable.filter(
        ({ soup }) => vulnerabilityReviewGap(anomalyReviewOf(soup)) !== undefined,
      ).length,
    },
  };
}

/** The summary as text-table rows: Ecosystem, SOUP items, Advisory data, Age. */
export function advisoryCoverageRows(summary: AdvisoryCoverageSummary): string[][] {
  const rows = summary.ecosystems.map((f) => [
    f.ecosystem,
    String(f.items),
    f.status === 'no-data'
      ? 'NOT CHECKED: no advisory data'
      : `${f.advisories.toLocaleString('en-US')} advisor${f.advisories === 1 ? 'y' : 'ies'}, newest ${f.newestModified?.slice(0, 10) ?? 'unknown'}`,
    f.status === 'no-data'
      ? '—'
      : `${f.ageDays === null ? 'unknown' : plural(f.ageDays, 'day')}${
          f.status === 'stale'
            ? ` STALE (limit ${summary.maxAgeDays})`
            : f.status === 'unused'
              ? ' (no SOUP uses it)'
              : ''
        }`,
  ]);
  const { items, withoutVulnerabilityReview } = summary.notMatchable;
  if (items > 0) {
    rows.push([
      NOT_MATCHABLE,
      String(items),
      'anomaly list reviews by hand',
      withoutVulnerabilityReview > 0
        ? `${withoutVulnerabilityReview} NOT covering vulnerabilities`
        : 'all cover vulnerabilities',
    ]);
  }
  return rows;
}
