/**
 * The clause-by-process heat map of a gap scan as SVG: one row per process, one cell per clause,
 * coloured by status. Record text never reaches it except through escapeXml; the same scan gives
 * the same bytes.
 */
import { escapeXml } from '../util/xml.js';
import { PROCESS_GROUPS } from './catalog.js';
import type { GapScanResult } from './scan.js';
import { STATUS_LABEL } from './summary.js';
import type { GapStatus } from './types.js';

const FILL: Readonly<Record<GapStatus, string>> = {
  'evidence-found': '#2e7d32',
  partial: '#f9a825',
  'no-evidence': '#c62828',
  'not-applicable': '#d5d8dc',
};
const TEXT: Readonly<Record<GapStatus, string>> = {
  'evidence-found': '#ffffff',
  partial: '#1b1b1b',
  'no-evidence': '#ffffff',
  'not-applicable': '#5f6368',
};

const LABEL_WIDTH = 250;
const CELL_WIDTH = 62;
const CELL_HEIGHT = 30;
const GAP = 4;
const TOP = 44;

export function heatMapSvg(scan: GapScanResult): string {
  const rows = PROCESS_GROUPS.map((g) => ({
    group: g,
    clauses: scan.clauses.filter((c) => c.process === g.key),
  }));
  const columns = Math.max(...rows.map((r) => r.clauses.length));
  const width = LABEL_WIDTH + columns * (CELL_WIDTH + GAP) + 16;
  const legendY = TOP + rows.length * (CELL_HEIGHT + GAP) + 14;
  const height = legendY + 40;
  const title = `IEC 62304 gap scan: ${scan.device}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  rows.forEach((row, r) => {
    const y = TOP + r * (CELL_HEIGHT + GAP);
    parts.push(
      `<text x="12" y="${y + CELL_HEIGHT / 2 + 4}" font-size="12">${escapeXml(row.group.title)}</text>`,
    );
    row.clauses.forEach((c, i) => {
      const x = LABEL_WIDTH + i * (CELL_WIDTH + GAP);
      const accepted = c.allowed !== undefined && c.status !== 'evidence-found' && c.applies;
      const tip = `${c.clause} ${c.title}: ${STATUS_LABEL[c.status]}${accepted ? ` (accepted: ${c.allowed})` : ''}`;
      parts.push(
        `<g><title>${escapeXml(tip)}</title>`,
        `<rect x="${x}" y="${y}" width="${CELL_WIDTH}" height="${CELL_HEIGHT}" rx="3" fill="${FILL[c.status]}"${accepted ? ' stroke="#1a237e" stroke-width="3" stroke-dasharray="4 2"' : ''}/>`,
        `<text x="${x + CELL_WIDTH / 2}" y="${y + CELL_HEIGHT / 2 + 4}" font-size="11" text-anchor="middle" fill="${TEXT[c.status]}">${escapeXml(c.clause)}</text></g>`,
      );
    });
  });
  const legend: [string, string, string][] = (Object.keys(FILL) as GapStatus[]).map((s) => [
    FILL[s],
    STATUS_LABEL[s],
    '',
  ]);
  legend.push([
    '#ffffff',
    'accepted gap (--allow)',
    ' stroke="#1a237e" stroke-width="3" stroke-dasharray="4 2"',
  ]);
  legend.forEach(([fill, label, stroke], i) => {
    const x = 12 + i * 170;
    parts.push(
      `<rect x="${x}" y="${legendY}" width="16" height="16" rx="2" fill="${fill}"${stroke}/>`,
      `<text x="${x + 22}" y="${legendY + 12}" font-size="12">${escapeXml(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
