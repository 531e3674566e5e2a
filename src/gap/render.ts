/** The formats of `dossier gap-scan` and the build's gap-scan stage. */

import { GAP_SCAN_FORMATS } from '../report-formats.js';
import { heatMapSvg } from './heat-map.js';
import { gapScanHtml } from './render-html.js';
import { gapScanMarkdown, type MarkdownOptions } from './render-markdown.js';
import { gapScanText } from './render-text.js';
import { gapScanJson } from './report-json.js';
import type { GapScanResult } from './scan.js';

export { GAP_SCAN_FORMATS };

export type GapScanFormat = (typeof GAP_SCAN_FORMATS)[number];

export function renderGapScan(
  scan: GapScanResult,
  format: GapScanFormat,
  options: MarkdownOptions & { displayRoot: string },
): string {
  switch (format) {
    case 'text':
      return gapScanText(scan);
    case 'json':
      return gapScanJson(scan, options.displayRoot);
    case 'markdown':
      return gapScanMarkdown(scan, options);
    case 'html':
      return gapScanHtml(scan);
    case 'svg':
      return heatMapSvg(scan);
  }
}
