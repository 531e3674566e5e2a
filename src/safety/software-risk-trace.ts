import type { TraceGraph } from '../graph/graph.js';
import { isActive } from '../model/record.js';
import { SOFTWARE_CAUSE_CATEGORIES } from '../model/vocabulary.js';
import { csvLine } from '../util/csv.js';
import { markdownCell } from '../util/markdown.js';
import { causesOf, type SituationRisk } from './risk-evaluation.js';

/** One row of the IEC 62304 7.3.3 trace: hazardous situation → item → cause → control → verification. */
export interface SoftwareRiskTraceRow {
  readonly situation: string;
  readonly item: string;
  readonly category: string;
  readonly clause: string;
  readonly cause: string;
  readonly soup?: string;
  readonly controls: readonly string[];
  readonly verifiedBy: readonly string[];
}

const CATEGORY = new Map<string, { clause: string; label: string }>(
  SOFTWARE_CAUSE_CATEGORIES.map((c) => [c.key, c]),
);

export function softwareRiskTrace(
  graph: TraceGraph,
  risks: readonly SituationRisk[],
): SoftwareRiskTraceRow[] {
  const verification = new Map(
    risks.flatMap((r) =>
      r.controls.map(
        (c) => [c.control.id, [...c.implementation, ...c.effectiveness].map((t) => t.id)] as const,
      ),
    ),
  );
  const rows: SoftwareRiskTraceRow[] = [];
  for (const item of graph.ofKind('software-item').filter(isActive)) {
    for (const cause of causesOf(item)) {
      const controls = [...(cause.controls ?? [])];
      rows.push({
        situation: cause.situation,
        item: item.id,
        category: CATEGORY.get(cause.category)?.label ?? cause.category,
        clause: CATEGORY.get(cause.category)?.clause ?? '7.1.2',
        cause: cause.description,
        ...(cause.soup ? { soup: cause.soup } : {}),
        controls,
        verifiedBy: [...new Set(controls.flatMap((c) => verification.get(c) ?? []))].sort(),
      });
    }
  }
  return rows.sort((a, b) =>
    a.situation < b.situation
      ? -1
      : a.situation > b.situation
        ? 1
        : a.item < b.item
          ? -1
          : a.item > b.item
            ? 1
            : 0,
  );
}

export function softwareRiskTraceMarkdown(rows: readonly SoftwareRiskTraceRow[]): string {
  return `${[
    '## Software risk traceability (IEC 62304 7.3.3)',
    '',
    '| Hazardous situation | Software item | Cause (7.1.2) | Risk controls | Verification |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.situation} | ${r.item} | ${r.clause}: ${markdownCell(r.cause)}${r.soup ? ` (${r.soup})` : ''} | ${r.controls.join(', ') || '**none**'} | ${r.verifiedBy.join(', ') || '**none**'} |`,
    ),
  ].join('\n')}\n`;
}

export function softwareRiskTraceCsv(rows: readonly SoftwareRiskTraceRow[]): string {
  const lines = [
    csvLine([
      'Hazardous situation',
      'Software item',
      'Clause',
      'Category',
      'Cause',
      'SOUP',
      'Risk controls',
      'Verified by',
    ]),
  ];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.situation,
        r.item,
        r.clause,
        r.category,
        r.cause,
        r.soup ?? '',
        r.controls.join(' '),
        r.verifiedBy.join(' '),
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
