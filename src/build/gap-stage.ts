/**
 * The gap scan as a build stage: gap-scan/gap-scan.json (the contract of `dossier gap-scan --format
 * json`), gap-scan.md with the heat map beside it (heat-map.svg), and gap-scan.html with the heat map
 * inline. An assessment, not a verdict: the stage reports its counts and does not fail the build;
 * `dossier gap-scan` is the command that fails (exit 1) while an applicable clause has no evidence.
 */
import type { Analysis } from '../analyze.js';
import { plural } from '../diagnostics/format.js';
import { heatMapSvg } from '../gap/heat-map.js';
import { gapScanHtml } from '../gap/render-html.js';
import { gapScanMarkdown } from '../gap/render-markdown.js';
import { gapScanJson } from '../gap/report-json.js';
import { gapScan } from '../gap/scan.js';
import { countsOf } from '../gap/summary.js';
import type { BuildContext, StageArtifact } from './build.js';

/** The HTML gap report, relative to the output folder (the site links to it). */
export const GAP_SCAN_HTML = 'gap-scan/gap-scan.html';

export function gapStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: StageArtifact[]; ok: boolean; result: string } {
  const scan = gapScan(analysis, {
    ...(context.readEvidence ? { readEvidence: context.readEvidence } : {}),
    ...(context.gate ? { gates: [context.gate] } : {}),
  });
  // A production-software project is judged against the CSA criteria; the IEC 62304 clauses all
  // say why they do not apply, so counting them would read "0 applicable clauses" as a pass.
  const csa = scan.csa ? countsOf(scan.csa.items) : undefined;
  const counts = countsOf(scan.clauses);
  return {
    artifacts: [
      { path: 'gap-scan/gap-scan.json', render: () => gapScanJson(scan, context.displayRoot) },
      { path: 'gap-scan/gap-scan.md', render: () => gapScanMarkdown(scan, { heatMapFile: 'heat-map.svg' }) },
      { path: GAP_SCAN_HTML, render: () => gapScanHtml(scan) },
      { path: 'gap-scan/heat-map.svg', render: () => heatMapSvg(scan) },
    ],
    ok: true,
    result: csa
      ? `${csa.applicable} CSA ${csa.applicable === 1 ? 'criterion' : 'criteria'} (IEC 62304 not applicable: production software): ${csa.evidenceFound} evidence found, ${csa.partial} partial, ${csa.noEvidence} no evidence`
      : `${plural(counts.applicable, 'applicable clause')}: ${counts.evidenceFound} evidence found, ${counts.partial} partial, ${counts.noEvidence} no evidence`,
  };
}
