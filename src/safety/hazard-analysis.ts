/**
 * The outcome of the hazard analysis of each software item (IEC 62304 4.3 a, 7.1.1): what it records
 * about its own ability to contribute to hazardous situations.
 *
 * An item answers the first question of the AMD1 flow for itself in one of two ways: it names the
 * situations it can contribute to (`contributesTo`, `causes`), or it states why it cannot
 * (`noContribution`). A composite item that records neither delegates the answer to its parts.
 * Anything else has not been analysed, and Dossier never reads silence as "cannot contribute".
 */
import type { TraceGraph } from '../graph/graph.js';
import { type DossierRecord, isActive } from '../model/record.js';
import type { SituationRisk } from './risk-evaluation.js';

export const ANALYSIS_OUTCOMES = ['contributes', 'no-contribution', 'composite', 'not-analysed'] as const;
/**
 * - `contributes`: the item records hazardous situations it can contribute to;
 * - `no-contribution`: it records why it cannot contribute to any (`noContribution`);
 * - `composite`: it records neither but has parts, whose own analyses answer for it;
 * - `not-analysed`: it records neither and has no parts.
 */
export type AnalysisOutcome = (typeof ANALYSIS_OUTCOMES)[number];

export interface ItemAnalysis {
  readonly outcome: AnalysisOutcome;
  /** Active hazardous situations the item itself names (not its parts). */
  readonly situations: readonly DossierRecord[];
  /** The `noContribution` rationale, when given. */
  readonly noContribution?: string;
}

export function noContributionOf(item: DossierRecord): string | undefined {
  const value = item.fields.noContribution;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The hazard-analysis outcome of every active software item. */
export function analyseItems(
  graph: TraceGraph,
  risks: readonly SituationRisk[],
): Map<DossierRecord, ItemAnalysis> {
  const own = new Map<DossierRecord, DossierRecord[]>();
  for (const risk of risks) {
    for (const item of risk.contributors) {
      const list = own.get(item) ?? [];
      list.push(risk.situation);
      own.set(item, list);
    }
  }
  const result = new Map<DossierRecord, ItemAnalysis>();
  for (const item of graph.ofKind('software-item').filter(isActive)) {
    const situations = own.get(item) ?? [];
    const noContribution = noContributionOf(item);
    const outcome: AnalysisOutcome =
      situations.length > 0
        ? 'contributes'
        : noContribution !== undefined
          ? 'no-contribution'
          : graph.childrenOf(item).some(isActive)
            ? 'composite'
            : 'not-analysed';
    result.set(item, {
      outcome,
      situations,
      ...(noContribution !== undefined ? { noContribution } : {}),
    });
  }
  return result;
}
