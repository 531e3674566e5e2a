/**
 * IEC 62304 9.6: analyse problem reports for trends. A table of problem reports by category and by
 * month reported, so a rising category is visible at a glance.
 */
import type { TraceGraph } from '../graph/graph.js';
import { isActive } from '../model/record.js';

export interface TrendTable {
  readonly months: readonly string[];
  readonly rows: readonly {
    readonly category: string;
    readonly counts: readonly number[];
    readonly total: number;
  }[];
}

/** Category: the record's `category`, else its origin, else "uncategorised". */
export function problemTrends(graph: TraceGraph): TrendTable {
  const problems = graph.ofKind('problem-report').filter(isActive);
  const monthOf = (p: (typeof problems)[number]) => String(p.fields.reported ?? '').slice(0, 7) || 'undated';
  const months = [...new Set(problems.map(monthOf))].sort();
  const byCategory = new Map<string, number[]>();
  for (const p of problems) {
    const category = String(p.fields.category ?? p.fields.origin ?? 'uncategorised');
    const counts = byCategory.get(category) ?? months.map(() => 0);
    counts[months.indexOf(monthOf(p))]!++;
    byCategory.set(category, counts);
  }
  return {
    months,
    rows: [...byCategory]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([category, counts]) => ({ category, counts, total: counts.reduce((n, c) => n + c, 0) })),
  };
}

export function trendRows(table: TrendTable): { header: string[]; rows: string[][] } {
  return {
    header: ['Category', ...table.months, 'Total'],
    rows: table.rows.map((r) => [r.category, ...r.counts.map(String), String(r.total)]),
  };
}
