import type { Analysis } from '../analyze.js';
import { plural } from '../diagnostics/format.js';
import { toCycloneDx, toCycloneDxVex } from '../soup/sbom/cyclonedx.js';
import { sbomFromProject } from '../soup/sbom/from-project.js';
import { serialize } from '../soup/sbom/json-canonical.js';
import { toOpenVex } from '../soup/sbom/openvex.js';
import { soupListCsv, soupListMarkdown } from '../soup/sbom/soup-list.js';
import { toSpdx } from '../soup/sbom/spdx.js';
import { actionable, renderScanJson, renderScanText, scanReportInput } from '../soup/scan-report.js';
import type { Artifact, BuildContext } from './build.js';

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
    { path: 'soup/sbom.cdx.json', content: serialize(toCycloneDx(doc, { vex: false })) },
    { path: 'soup/sbom.spdx.json', content: serialize(toSpdx(doc)) },
    { path: 'soup/vex.cdx.json', content: serialize(toCycloneDxVex(doc)) },
    { path: 'soup/vex.openvex.json', content: serialize(toOpenVex(doc).document) },
    { path: 'soup/soup-list.md', content: soupListMarkdown(doc) },
    { path: 'soup/soup-list.csv', content: soupListCsv(doc) },
  ];
  const direct = doc.components.filter((c) => c.dependency === 'direct').length;
  const inventory = `${plural(doc.components.length, 'SOUP item')} (${direct} direct), ${plural(doc.vex.length, 'evaluation')}`;
  const scan = analysis.soupScan;
  if (!scan) return { artifacts, ok: true, result: `${inventory}; no advisory data, not scanned` };
  const input = scanReportInput(analysis, scan, context.advisorySnapshots ?? []);
  artifacts.push({ path: 'soup/scan.txt', content: renderScanText(input) });
  artifacts.push({ path: 'soup/scan.json', content: renderScanJson(input) });
  const open = actionable(input).length;
  return {
    artifacts,
    ok: open === 0,
    result: `${inventory}; ${plural(scan.findings.length, 'finding')}, ${open} need${open === 1 ? 's' : ''} evaluation`,
  };
}
