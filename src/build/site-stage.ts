import type { Analysis } from '../analyze.js';
import type { BuildContext, StageArtifact } from './build.js';
import { GAP_SCAN_HTML } from './gap-stage.js';

/**
 * The static site (docs/site.md) under `site/`: the pages `dossier serve` shows, with relative links
 * so that they work from `file://`. Its modules are loaded only when a build reaches this stage.
 */
export async function siteStage(
  analysis: Analysis,
  context: BuildContext,
): Promise<{ artifacts: StageArtifact[]; ok: boolean; result: string }> {
  const { siteData } = await import('../site/data.js');
  const { siteFile, sitePaths } = await import('../site/site.js');
  const data = siteData(analysis, {
    displayRoot: context.displayRoot,
    ...(context.readEvidence ? { readEvidence: context.readEvidence } : {}),
    // The documents stage writes documents/index.html beside site/ when HTML is among the formats.
    ...(!context.documentFormats || context.documentFormats.includes('html')
      ? { documentsIndex: '../documents/index.html' }
      : {}),
    // The gap-scan stage runs before this one in every build.
    gapReport: `../${GAP_SCAN_HTML}`,
  });
  const artifacts: StageArtifact[] = [];
  for (const path of sitePaths(data))
    artifacts.push({
      path: `site/${path}`,
      render: () => {
        const file = siteFile(data, path);
        if (!file) throw new Error(`site: no page at ${path}`);
        return file.body;
      },
    });
  const pages = artifacts.filter((a) => a.path.endsWith('.html')).length;
  return { artifacts, ok: true, result: `${pages.toLocaleString('en-US')} pages` };
}
